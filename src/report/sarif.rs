//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning ingests it.
//!
//! Own serde structs covering what GitHub reads (as ruff and oxc do) rather than a generated
//! crate: the subset is small and the field choices below are the point. GitHub keeps an alert
//! across runs by `partialFingerprints`, so each result carries the hash of the finding's identity
//! (rule, resource, discriminator), never of a line number.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::engine::Outcome;
use crate::finding::{Finding, Severity};
use crate::rules::{RULES, RuleMeta};
use crate::source::{Loc, SourceDb};

use super::nested::{nested, put_in_place};
use super::paths::{RepoPath, RepoPaths, dir_uri, uri_path};
use super::position;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id results are relative to; `originalUriBaseIds` says where it is.
pub const SRCROOT: &str = "%SRCROOT%";
/// The `partialFingerprints` key; bump the version when the identity scheme changes.
pub const FINGERPRINT_KEY: &str = "replLint/v1";
/// GitHub shows at most 1000 locations per result; a handful is what a reader follows.
const MAX_RELATED: usize = 50;
/// GitHub's limit on `shortDescription` and `fullDescription`.
const MAX_DESCRIPTION: usize = 1024;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    /// Written once per process (see [`rules_text`]); empty here.
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help<'a>,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    resource: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// SARIF messages are sentences: the validators flag text without a final period.
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// `]` followed by `(` would read as an embedded link; SARIF escapes brackets with `\`.
fn plain(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}

fn truncate(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let mut end = max - 3;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `ver-dst-not-enabled` → `VerDstNotEnabled`: the PascalCase name SARIF viewers expect.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The docs without their first line (the summary), as the full description.
fn full_description(meta: &RuleMeta) -> String {
    let body = meta.docs.trim_start();
    let rest = body.split_once('\n').map_or("", |(_, r)| r).trim();
    let para = rest
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or(meta.summary);
    truncate(sentence(&para.replace('\n', " ")), MAX_DESCRIPTION)
}

fn rule(meta: &'static RuleMeta) -> Rule<'static> {
    Rule {
        id: meta.id,
        name: pascal(meta.id),
        short_description: Text {
            text: truncate(sentence(meta.summary), MAX_DESCRIPTION),
        },
        full_description: Text {
            text: full_description(meta),
        },
        help: Help {
            text: meta.docs,
            markdown: meta.docs,
        },
        help_uri: format!(
            "{}/blob/main/docs/rules/{}.md",
            env!("CARGO_PKG_REPOSITORY"),
            meta.id
        ),
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            tags: vec!["s3-replication", meta.group],
            precision: "high",
            problem_severity: match meta.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "recommendation",
            },
        },
    }
}

fn physical(sources: &SourceDb, paths: &RepoPaths, loc: &Loc) -> Option<PhysicalLocation> {
    let p = position(sources, loc)?;
    let file = loc.file()?;
    let artifact_location = match paths.get(file) {
        RepoPath::Relative(rel) => ArtifactLocation {
            uri: uri_path(rel),
            uri_base_id: Some(SRCROOT),
        },
        RepoPath::Other(path) if path.starts_with('/') => ArtifactLocation {
            uri: format!("file://{}", uri_path(path)),
            uri_base_id: None,
        },
        RepoPath::Other(path) => ArtifactLocation {
            uri: uri_path(path),
            uri_base_id: None,
        },
    };
    Some(PhysicalLocation {
        artifact_location,
        region: Region {
            start_line: p.line,
            start_column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
        },
    })
}

fn result(
    sources: &SourceDb,
    paths: &RepoPaths,
    rule_index: &HashMap<&str, usize>,
    f: &Finding,
    fingerprint: String,
) -> SarifResult {
    let mut related_locations = Vec::new();
    for r in &f.related {
        if related_locations.len() == MAX_RELATED {
            break;
        }
        if let Some(physical_location) = physical(sources, paths, &r.loc) {
            related_locations.push(Location {
                id: Some(related_locations.len() + 1),
                physical_location,
                message: Some(Text {
                    text: sentence(&plain(&r.message)),
                }),
            });
        }
    }
    let mut text = sentence(&plain(&f.message));
    if !related_locations.is_empty() {
        // GitHub links related locations only where the message refers to them.
        let links: Vec<String> = f
            .related
            .iter()
            .zip(&related_locations)
            .map(|(r, l)| format!("[{}]({})", plain(&r.message), l.id.unwrap_or(0)))
            .collect();
        text = format!("{text} See {}.", links.join(", "));
    }
    if let Some(help) = &f.help {
        text = format!("{text}\n\nFix: {}", sentence(&plain(help)));
    }
    let primary = physical(sources, paths, &f.primary)
        .or_else(|| {
            f.related
                .iter()
                .find_map(|r| physical(sources, paths, &r.loc))
        })
        .map(|physical_location| Location {
            id: None,
            physical_location,
            message: None,
        });
    SarifResult {
        rule_id: f.rule.id,
        rule_index: rule_index.get(f.rule.id).copied().unwrap_or(0),
        level: level(f.severity),
        message: Text { text },
        locations: primary.into_iter().collect(),
        related_locations,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        properties: ResultProperties {
            resource: f.resource.clone(),
        },
    }
}

/// Renders the outcome with paths relative to `paths.root()`.
pub fn render(outcome: &Outcome, paths: &RepoPaths) -> String {
    let sources = &outcome.sources;
    let rule_index: HashMap<&str, usize> = RULES
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta().id, i))
        .collect();
    // Two findings with one identity would merge into one alert; number the repeats instead.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results = outcome
        .findings
        .iter()
        .map(|f| {
            let base = f.fingerprint();
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let fp = if *n == 1 { base } else { format!("{base}:{n}") };
            result(sources, paths, &rule_index, f, fp)
        })
        .collect();
    let notifications = outcome
        .input_errors
        .iter()
        .map(|e| Notification {
            level: if e.warning { "warning" } else { "error" },
            message: Text {
                text: sentence(&plain(&e.message)),
            },
            locations: physical(sources, paths, &e.loc)
                .map(|physical_location| Location {
                    id: None,
                    physical_location,
                    message: None,
                })
                .into_iter()
                .collect(),
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "repl-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: Vec::new(),
                },
            },
            automation_details: AutomationDetails { id: "repl-lint/" },
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                ArtifactLocation {
                    uri: dir_uri(paths.root()),
                    uri_base_id: None,
                },
            )]),
            column_kind: "unicodeCodePoints",
            invocations: vec![Invocation {
                execution_successful: !outcome.has_input_errors(),
                tool_execution_notifications: notifications,
            }],
            results,
        }],
    };
    let mut out =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    // The driver's rules, written empty above: the first member of that name in the log.
    put_in_place(&mut out, EMPTY_RULES, &["\"rules\": ", rules_text()]);
    out.push('\n');
    out
}

/// How the log writes the driver's empty list of rules.
const EMPTY_RULES: &str = "\"rules\": []";

/// The driver's rules (every rule's metadata and help, most of a small log), as the log writes
/// them where they sit (`runs[0].tool.driver.rules`): the same for every run of the process,
/// written once.
fn rules_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        const DRIVER_MEMBER: &str = "          ";
        let rules: Vec<String> = RULES
            .iter()
            .map(|r| nested(&rule(r.meta()), &format!("{DRIVER_MEMBER}  ")))
            .collect();
        format!("[\n{}\n{DRIVER_MEMBER}]", rules.join(",\n"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules written once read as the log writes them in place.
    #[test]
    fn rules_written_once_read_as_written_in_place() {
        #[derive(Serialize)]
        struct InPlace<'a> {
            runs: Vec<InRun<'a>>,
        }
        #[derive(Serialize)]
        struct InRun<'a> {
            tool: InTool<'a>,
        }
        #[derive(Serialize)]
        struct InTool<'a> {
            driver: InDriver<'a>,
        }
        #[derive(Serialize)]
        struct InDriver<'a> {
            rules: Vec<Rule<'a>>,
        }
        let whole = serde_json::to_string_pretty(&InPlace {
            runs: vec![InRun {
                tool: InTool {
                    driver: InDriver {
                        rules: RULES.iter().map(|r| rule(r.meta())).collect(),
                    },
                },
            }],
        })
        .unwrap();
        assert!(whole.contains(&format!("\"rules\": {}\n", rules_text())));
    }

    #[test]
    fn names_and_sentences() {
        assert_eq!(pascal("ver-dst-not-enabled"), "VerDstNotEnabled");
        assert_eq!(sentence("no role"), "no role.");
        assert_eq!(sentence("done."), "done.");
        assert_eq!(plain("a[\"x\"](y)"), "a\\[\"x\"\\](y)");
    }
}
