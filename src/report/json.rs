//! `--format json`: a stable interface (version 1).

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::Outcome;
use crate::finding::Severity;

use super::position;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    input_errors: Vec<JsonInputError>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    file: Option<String>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    resource: &'a str,
    related: Vec<JsonRelated<'a>>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: Option<String>,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonInputError {
    file: String,
    line: usize,
    column: usize,
    message: String,
    severity: &'static str,
}

#[derive(Serialize)]
struct Summary {
    error: usize,
    warning: usize,
    info: usize,
    files: usize,
}

pub fn render(outcome: &Outcome) -> String {
    let sources = &outcome.sources;
    // Positions mean reading the text around each finding: found on all cores.
    let findings = outcome
        .findings
        .par_iter()
        .map(|f| {
            let p = position(sources, &f.primary);
            JsonFinding {
                rule: f.rule.id,
                severity: f.severity.as_str(),
                message: &f.message,
                file: p.as_ref().map(|p| p.file.clone()),
                line: p.as_ref().map_or(1, |p| p.line),
                column: p.as_ref().map_or(1, |p| p.column),
                end_line: p.as_ref().map_or(1, |p| p.end_line),
                end_column: p.as_ref().map_or(1, |p| p.end_column),
                resource: &f.resource,
                related: f
                    .related
                    .iter()
                    .map(|r| {
                        let p = position(sources, &r.loc);
                        JsonRelated {
                            file: p.as_ref().map(|p| p.file.clone()),
                            line: p.as_ref().map_or(1, |p| p.line),
                            column: p.as_ref().map_or(1, |p| p.column),
                            message: &r.message,
                        }
                    })
                    .collect(),
                help: f.help.as_deref(),
            }
        })
        .collect();
    let input_errors = outcome
        .input_errors
        .iter()
        .map(|e| {
            let p = position(sources, &e.loc);
            JsonInputError {
                file: p
                    .as_ref()
                    .map(|p| p.file.clone())
                    .unwrap_or_else(|| sources.path(e.file).display().to_string()),
                line: p.as_ref().map_or(1, |p| p.line),
                column: p.as_ref().map_or(1, |p| p.column),
                message: e.message.clone(),
                severity: if e.warning { "warning" } else { "error" },
            }
        })
        .collect();
    let report = Report {
        version: 1,
        findings,
        input_errors,
        summary: Summary {
            error: outcome.count(Severity::Error),
            warning: outcome.count(Severity::Warning),
            info: outcome.count(Severity::Info),
            files: sources.files().filter(|(_, f)| !f.text.is_empty()).count(),
        },
    };
    let mut out =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
