//! Every rule's documentation has the sections of the docs format, and `docs/rules.md` is the
//! index generated from it.

use std::path::Path;

use repl_lint::rules::RULES;
use repl_lint::rules::listing::{self, DOC_SECTIONS, REGENERATE_INDEX};

#[test]
fn every_rule_has_the_doc_sections_in_order() {
    let mut problems = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        let headings = listing::doc_headings(meta);
        if headings != DOC_SECTIONS {
            problems.push(format!(
                "{}: sections {:?}, expected {:?}",
                meta.id, headings, DOC_SECTIONS
            ));
        }
        if meta.summary.trim().is_empty() {
            problems.push(format!("{}: no one-line summary", meta.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rules_index_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == listing::markdown(),
        "docs/rules.md is stale: regenerate it with `{REGENERATE_INDEX}`"
    );
}

#[test]
fn explain_and_rules_commands() {
    let bin = env!("CARGO_BIN_EXE_repl-lint");
    let unknown = std::process::Command::new(bin)
        .args(["explain", "ver-dst-not-enable"])
        .output()
        .expect("runs repl-lint");
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("did you mean `ver-dst-not-enabled`"),
        "{stderr}"
    );

    let known = std::process::Command::new(bin)
        .args(["explain", "del-tag-filter", "--no-color"])
        .output()
        .expect("runs repl-lint");
    assert_eq!(known.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&known.stdout).contains("How to fix"));

    let json = std::process::Command::new(bin)
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs repl-lint");
    let items: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_default();
    assert_eq!(items.as_array().map(Vec::len), Some(RULES.len()));
}

/// The code blocks of a rule's docs, with their fence language.
fn code_blocks(docs: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in docs.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (fence, current.take()) {
            (Some(lang), None) => current = Some((lang.trim().to_string(), String::new())),
            (Some(_), Some(block)) => blocks.push(block),
            (None, Some((lang, mut body))) => {
                body.push_str(line);
                body.push('\n');
                current = Some((lang, body));
            }
            (None, None) => {}
        }
    }
    blocks
}

/// Users copy the examples: a Terraform one must be HCL that parses (a body, or an expression
/// for a statement shown alone), a CloudFormation one YAML that parses, a policy JSON that parses
/// (a document, or the members of one).
#[test]
fn every_example_in_the_docs_parses() {
    let mut problems = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        for (lang, body) in code_blocks(&listing::docs_text(meta)) {
            let error = match lang.as_str() {
                // A statement inside `jsonencode(...)` is shown as an expression on its own.
                "hcl" => hcl_edit::parser::parse_body(&body).err().and_then(|e| {
                    let uncommented: String = body
                        .lines()
                        .filter(|l| !l.trim_start().starts_with('#'))
                        .map(|l| format!("{l}\n"))
                        .collect();
                    hcl_edit::parser::parse_expr(uncommented.trim())
                        .err()
                        .map(|_| e.to_string())
                }),
                // A policy element (`"Principal": ...`) is shown without its statement.
                "json" => serde_json::from_str::<serde_json::Value>(&body)
                    .err()
                    .and_then(|e| {
                        serde_json::from_str::<serde_json::Value>(&format!("{{{body}}}"))
                            .err()
                            .map(|_| e.to_string())
                    }),
                "yaml" => yaml_error(&body),
                _ => None,
            };
            if let Some(error) = error {
                problems.push(format!("{} ({lang}): {error}\n{body}", meta.id));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} examples do not parse:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn yaml_error(text: &str) -> Option<String> {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            None => return None,
            Some(Err(e)) => return Some(e.to_string()),
            Some(Ok((saphyr_parser::Event::StreamEnd, _))) => return None,
            Some(Ok(_)) => {}
        }
    }
}
