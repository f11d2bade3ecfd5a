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
