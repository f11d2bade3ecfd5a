//! The examples of every tier 1 rule: Terraform and CloudFormation, failing and fixed, each a
//! short code block (or a sentence saying the format cannot express the situation).

use repl_lint::rules;

#[path = "common/tier1.rs"]
mod tier1;
use tier1::TIER1;

const SECTIONS: &[&str] = &[
    "## What goes wrong",
    "## How to fix",
    "## Example",
    "## Sources",
];

const EXAMPLES: &[(&str, &str)] = &[
    ("Terraform, failing:", "```hcl"),
    ("Terraform, fixed:", "```hcl"),
    ("CloudFormation, failing:", "```yaml"),
    ("CloudFormation, fixed:", "```yaml"),
];

/// The section headings of a rule's docs, outside code blocks.
fn headings(docs: &str) -> Vec<&str> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in docs.lines().map(str::trim) {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with("## ") {
            out.push(line);
        }
    }
    out
}

/// The lines of the `## Example` section.
fn example_section(docs: &str) -> Vec<&str> {
    docs.lines()
        .map(str::trim)
        .skip_while(|l| *l != "## Example")
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .collect()
}

#[test]
fn tier1_docs_have_the_sections_in_order() {
    for id in TIER1 {
        let rule = rules::by_id(id).unwrap_or_else(|| panic!("no rule {id}"));
        assert_eq!(headings(rule.meta().docs), SECTIONS, "sections of {id}");
    }
}

#[test]
fn tier1_docs_show_both_formats_failing_and_fixed() {
    for id in TIER1 {
        let docs = rules::by_id(id).map(|r| r.meta().docs).unwrap_or_default();
        let lines = example_section(docs);
        for (label, fence) in EXAMPLES {
            let at = lines
                .iter()
                .position(|l| l == label)
                .unwrap_or_else(|| panic!("{id}: no `{label}` in its example"));
            assert_eq!(
                lines.get(at + 1),
                Some(fence),
                "{id}: `{label}` is not followed by {fence}"
            );
            let block: Vec<&&str> = lines[at + 2..]
                .iter()
                .take_while(|l| **l != "```")
                .collect();
            assert!(
                (3..=25).contains(&block.len()),
                "{id}: `{label}` has {} lines (keep examples 3 to 25 lines)",
                block.len()
            );
        }
    }
}
