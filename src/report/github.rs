//! `--format github`: workflow commands that GitHub Actions turns into annotations on the diff.
//!
//! A step keeps only 10 annotations of each kind and drops the rest silently, so the first 10 of
//! each kind are annotations, the full list goes to a collapsed log group, and a notice says how
//! many did not fit.

use std::fmt::Write;

use crate::engine::Outcome;
use crate::finding::{Finding, Severity};
use crate::source::Loc;

use super::paths::RepoPaths;
use super::position;

/// Annotations GitHub keeps per kind and step.
const PER_KIND: usize = 10;

/// The data part of a command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which separate properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// `file=…,line=…` for a location; columns only when the span stays on one line, because GitHub
/// misplaces annotations whose columns span several lines.
fn properties(outcome: &Outcome, paths: &RepoPaths, loc: &Loc, title: &str) -> String {
    let mut props = Vec::new();
    if let (Some(p), Some(file)) = (position(&outcome.sources, loc), loc.file()) {
        props.push(format!("file={}", escape_property(paths.str(file))));
        props.push(format!("line={}", p.line));
        if p.line == p.end_line {
            props.push(format!("col={}", p.column));
            props.push(format!("endColumn={}", p.end_column));
        }
        props.push(format!("endLine={}", p.end_line));
    }
    props.push(format!("title={}", escape_property(title)));
    props.join(",")
}

/// Where a location is, as `path:line` for text.
fn place(outcome: &Outcome, paths: &RepoPaths, loc: &Loc) -> Option<String> {
    let p = position(&outcome.sources, loc)?;
    Some(format!("{}:{}", paths.str(loc.file()?), p.line))
}

fn body(outcome: &Outcome, paths: &RepoPaths, f: &Finding) -> String {
    let mut text = f.message.clone();
    for r in &f.related {
        if let Some(at) = place(outcome, paths, &r.loc) {
            let _ = write!(text, "\n{}: {at}", r.message);
        }
    }
    if let Some(help) = &f.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    text
}

pub fn render(outcome: &Outcome, paths: &RepoPaths) -> String {
    let mut out = String::new();
    let mut shown = [0usize; 3];
    let mut dropped = 0usize;
    let slot = |s: Severity| match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    };
    for e in &outcome.input_errors {
        let severity = if e.warning {
            Severity::Warning
        } else {
            Severity::Error
        };
        if shown[slot(severity)] < PER_KIND {
            shown[slot(severity)] += 1;
            let _ = writeln!(
                out,
                "::{} {}::{}",
                command(severity),
                properties(outcome, paths, &e.loc, "repl-lint: input error"),
                escape_data(&e.message)
            );
        } else {
            dropped += 1;
        }
    }
    for f in &outcome.findings {
        // The last notice slot is kept for the "more findings" notice.
        let cap = if f.severity == Severity::Info {
            PER_KIND - 1
        } else {
            PER_KIND
        };
        if shown[slot(f.severity)] < cap {
            shown[slot(f.severity)] += 1;
            let title = format!("repl-lint {}: {}", f.rule.id, f.rule.summary);
            let _ = writeln!(
                out,
                "::{} {}::{}",
                command(f.severity),
                properties(outcome, paths, &f.primary, &title),
                escape_data(&body(outcome, paths, f))
            );
        } else {
            dropped += 1;
        }
    }
    if dropped > 0 {
        let _ = writeln!(
            out,
            "::notice title=repl-lint::{}",
            escape_data(&format!(
                "{dropped} more finding(s) than GitHub shows as annotations; see the log and the SARIF report."
            ))
        );
    }
    out.push_str("::group::repl-lint: all findings\n");
    for f in &outcome.findings {
        let at = place(outcome, paths, &f.primary).unwrap_or_else(|| f.resource.clone());
        // Inside a group, a line starting with `::` would be read as a command.
        let line = format!(
            "{at}: {} [{}] {}",
            f.severity.as_str(),
            f.rule.id,
            f.message.replace('\n', " ")
        );
        let _ = writeln!(out, "{}", line.trim_start_matches(':'));
    }
    out.push_str("::endgroup::\n");
    let _ = writeln!(
        out,
        "repl-lint: {} error(s), {} warning(s), {} info",
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
        outcome.count(Severity::Info)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_property("a: b, c%\n"), "a%3A b%2C c%25%0A");
    }
}
