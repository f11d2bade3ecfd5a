//! `--format json`: a stable interface (version 1).

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::Outcome;
use crate::finding::Severity;

use super::nested::{nested, put_in_place};
use super::position;

#[derive(Serialize)]
struct Report {
    version: u32,
    /// Written apart, on all cores (see [`render`]); empty here.
    findings: Vec<()>,
    input_errors: Vec<JsonInputError>,
    summary: Summary,
}

#[derive(Serialize, Clone)]
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

#[derive(Serialize, Clone)]
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
    // Positions mean reading the text around each finding, and a large report takes a while to
    // write out: each finding is found and written on all cores.
    let findings: Vec<String> = outcome
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
        .map(|f| nested(&f, FINDING_INDENT))
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
        findings: Vec::new(),
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
    // The report's second member, written empty above.
    if !findings.is_empty() {
        let mut pieces = Vec::with_capacity(findings.len() * 2 + 1);
        pieces.push("\"findings\": [\n");
        for (i, finding) in findings.iter().enumerate() {
            if i > 0 {
                pieces.push(",\n");
            }
            pieces.push(finding);
        }
        pieces.push("\n  ]");
        put_in_place(&mut out, EMPTY_FINDINGS, &pieces);
    }
    out.push('\n');
    out
}

/// How the report writes an empty list of findings.
const EMPTY_FINDINGS: &str = "\"findings\": []";

/// How deep a finding sits in the report: inside its object, inside `findings`.
const FINDING_INDENT: &str = "    ";

#[cfg(test)]
mod tests {
    use super::*;

    /// A finding written on its own and indented reads as the writer writes it inside the list.
    #[test]
    fn a_nested_value_reads_as_written_in_place() {
        let related = |message| JsonRelated {
            file: Some("a \"b\"\nc.json".into()),
            line: 1,
            column: 2,
            message,
        };
        let finding = JsonFinding {
            rule: "r",
            severity: "error",
            message: "line one\nline two",
            file: None,
            line: 3,
            column: 4,
            end_line: 5,
            end_column: 6,
            resource: "x.y",
            related: vec![related("m1"), related("m2")],
            help: Some("h"),
        };
        let one = JsonFinding {
            message: "plain",
            related: vec![related("m3")],
            help: None,
            ..finding.clone()
        };
        #[derive(Serialize)]
        struct InPlace<'a> {
            version: u32,
            findings: Vec<&'a JsonFinding<'a>>,
        }
        let bare = JsonFinding {
            related: Vec::new(),
            ..finding.clone()
        };
        let whole = serde_json::to_string_pretty(&InPlace {
            version: 1,
            findings: vec![&finding, &one, &bare],
        })
        .unwrap();
        let apart = format!(
            "{{\n  \"version\": 1,\n  \"findings\": [\n{},\n{},\n{}\n  ]\n}}",
            nested(&finding, FINDING_INDENT),
            nested(&one, FINDING_INDENT),
            nested(&bare, FINDING_INDENT)
        );
        assert_eq!(apart, whole);
    }
}
