//! Locations resolved to file, line and column for output.

use crate::source::{Loc, SourceDb, Span};

/// A resolved location: 1-based lines and columns (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    pub file: String,
    pub span: Option<Span>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// Where `loc` points; a location that cannot be resolved gives the file with line 1.
pub fn position(sources: &SourceDb, loc: &Loc) -> Option<Position> {
    let file = loc.file()?;
    let path = sources.path(file).display().to_string();
    let Some(span) = sources.resolve(loc) else {
        return Some(Position {
            file: path,
            span: None,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        });
    };
    let f = sources.get(span.file);
    let (line, column) = f.line_col(span.start);
    let (end_line, end_column) = f.line_col(span.end);
    Some(Position {
        file: sources.path(span.file).display().to_string(),
        span: Some(span),
        line,
        column,
        end_line,
        end_column,
    })
}
