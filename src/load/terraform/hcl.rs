//! The Terraform loader's only door to hcl-edit: its three parsers, each behind the scan for
//! unclosed levels (`unclosed.rs`), with one error shape for both.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use hcl_edit::template::Template;

use super::unclosed::{Start, refused};

/// Why a text did not parse, and the bytes to point at.
pub struct ParseError {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// A configuration file's text.
pub fn body(text: &str) -> Result<Body, ParseError> {
    guarded(text, Start::Body, hcl_edit::parser::parse_body)
}

/// A `templatefile` template's text.
pub fn template(text: &str) -> Result<Template, ParseError> {
    guarded(text, Start::Template, hcl_edit::parser::parse_template)
}

/// One expression, such as a variable's value given as text.
pub fn expr(text: &str) -> Result<Expression, ParseError> {
    guarded(text, Start::Body, hcl_edit::parser::parse_expr)
}

fn guarded<T>(
    text: &str,
    start: Start,
    parse: fn(&str) -> Result<T, hcl_edit::parser::Error>,
) -> Result<T, ParseError> {
    if let Some(open) = refused(text, start) {
        let (start, end) = open.span();
        return Err(ParseError {
            start,
            end,
            message: open.message(),
        });
    }
    parse(text).map_err(|e| {
        let offset = e.location().offset().min(text.len());
        ParseError {
            start: offset,
            end: next_char_end(text, offset),
            message: e.message().to_owned(),
        }
    })
}

fn next_char_end(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|t| t.chars().next())
        .map_or(offset, |c| offset + c.len_utf8())
}
