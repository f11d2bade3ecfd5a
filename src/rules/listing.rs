//! What `repl-lint rules` and `repl-lint explain` print, and the `docs/rules.md` index.
//!
//! Everything here reads the rules' own metadata, so the listing, the explanation and the
//! generated index cannot drift from the code.

use std::fmt::Write as _;

use super::{RULES, RuleMeta};

/// The sections every rule's docs has, in this order (`## Example` may say that a format
/// cannot express the situation, but the heading is always there).
pub const DOC_SECTIONS: &[&str] = &["What goes wrong", "How to fix", "Example", "Sources"];

/// The command that regenerates `docs/rules.md`.
pub const REGENERATE_INDEX: &str = "cargo run -- rules --format markdown > docs/rules.md";

/// A rule's docs as written, without the one space every `///` line starts with.
pub fn docs_text(meta: &RuleMeta) -> String {
    let mut out = String::new();
    for line in meta.docs.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    let trimmed = out.trim_end();
    format!("{trimmed}\n")
}

/// The `## ` headings of a rule's docs, in order.
pub fn doc_headings(meta: &RuleMeta) -> Vec<String> {
    let mut in_code = false;
    let mut headings = Vec::new();
    for line in docs_text(meta).lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code && let Some(h) = line.strip_prefix("## ") {
            headings.push(h.trim().to_string());
        }
    }
    headings
}

/// The catalogue code as a sort key: letter, then number (`K2` before `K10`).
fn code_key(code: &str) -> (String, u32, String) {
    let letters: String = code
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let digits: String = code
        .chars()
        .skip_while(|c| c.is_ascii_alphabetic())
        .take_while(char::is_ascii_digit)
        .collect();
    (
        letters,
        digits.parse().unwrap_or(u32::MAX),
        code.to_string(),
    )
}

/// Every rule, in catalogue order.
pub fn sorted_rules() -> Vec<&'static RuleMeta> {
    let mut metas: Vec<&'static RuleMeta> = RULES.iter().map(|r| r.meta()).collect();
    metas.sort_by(|a, b| code_key(a.code).cmp(&code_key(b.code)).then(a.id.cmp(b.id)));
    metas
}

/// Rules grouped by their group, groups in the catalogue order of their first rule.
pub fn grouped() -> Vec<(&'static str, Vec<&'static RuleMeta>)> {
    let mut groups: Vec<(&'static str, Vec<&'static RuleMeta>)> = Vec::new();
    for meta in sorted_rules() {
        match groups.iter_mut().find(|(g, _)| *g == meta.group) {
            Some((_, rules)) => rules.push(meta),
            None => groups.push((meta.group, vec![meta])),
        }
    }
    groups
}

/// A plain-text table for terminals: id, code, severity, group, summary.
pub fn table() -> String {
    let metas = sorted_rules();
    let width = |f: fn(&RuleMeta) -> &str, title: &str| {
        metas
            .iter()
            .map(|m| f(m).len())
            .max()
            .unwrap_or(0)
            .max(title.len())
    };
    let id_w = width(|m| m.id, "ID");
    let code_w = width(|m| m.code, "CODE");
    let sev_w = width(|m| m.severity.as_str(), "SEVERITY");
    let group_w = width(|m| m.group, "GROUP");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:id_w$}  {:code_w$}  {:sev_w$}  {:group_w$}  SUMMARY",
        "ID", "CODE", "SEVERITY", "GROUP"
    );
    for m in &metas {
        let _ = writeln!(
            out,
            "{:id_w$}  {:code_w$}  {:sev_w$}  {:group_w$}  {}",
            m.id,
            m.code,
            m.severity.as_str(),
            m.group,
            m.summary
        );
    }
    let _ = writeln!(
        out,
        "\n{} rules; `repl-lint explain ID` prints one rule's documentation.",
        metas.len()
    );
    out
}

/// The JSON listing for tools: an array of `{id, code, group, severity, summary, docs}`.
pub fn json() -> String {
    let items: Vec<serde_json::Value> = sorted_rules()
        .into_iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "code": m.code,
                "group": m.group,
                "severity": m.severity.as_str(),
                "summary": m.summary,
                "docs": docs_text(m),
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// The `docs/rules.md` index: one section per group, each rule with its full docs.
pub fn markdown() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# repl-lint rules\n");
    let _ = writeln!(
        out,
        "<!-- Generated from the rules' own docs: do not edit. Regenerate with `{REGENERATE_INDEX}`. -->\n"
    );
    let _ = writeln!(
        out,
        "Every rule with its catalogue code, default severity and documentation. `repl-lint rules` \
         lists them, `repl-lint explain ID` prints one.\n"
    );
    let groups = grouped();
    for (group, rules) in &groups {
        let _ = writeln!(out, "- [{group}](#{})", anchor(&format!("group {group}")));
        for m in rules {
            let _ = writeln!(
                out,
                "  - [`{}`](#{}) ({}): {}",
                m.id, m.id, m.code, m.summary
            );
        }
    }
    for (group, rules) in &groups {
        let _ = writeln!(out, "\n## Group {group}");
        for m in rules {
            let _ = writeln!(out, "\n### {}\n", m.id);
            let _ = writeln!(
                out,
                "Code `{}`, severity `{}`, group `{}`.\n",
                m.code,
                m.severity.as_str(),
                m.group
            );
            // The rule's own `##` headings become `####` under its `###` heading.
            let mut in_code = false;
            for line in docs_text(m).lines() {
                if line.trim_start().starts_with("```") {
                    in_code = !in_code;
                }
                match line.strip_prefix("## ") {
                    Some(h) if !in_code => {
                        let _ = writeln!(out, "#### {h}");
                    }
                    _ => {
                        let _ = writeln!(out, "{line}");
                    }
                }
            }
        }
    }
    out
}

/// A GitHub heading anchor.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// One rule's docs for a terminal: a header line, headings underlined, code indented.
pub fn explain(id: &str, color: bool) -> Result<String, String> {
    let Some(rule) = super::by_id(id) else {
        return Err(unknown_rule(id));
    };
    let m = rule.meta();
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, {}, group {})",
        bold(m.id),
        m.code,
        m.severity.as_str(),
        m.group
    );
    let mut in_code = false;
    for line in docs_text(m).lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            let _ = writeln!(out, "    {line}");
        } else if let Some(h) = line.strip_prefix("## ") {
            let _ = writeln!(out, "{}\n{}", bold(h), "-".repeat(h.chars().count()));
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    Ok(out)
}

/// "no rule X", naming the closest id.
pub fn unknown_rule(id: &str) -> String {
    match closest_id(id) {
        Some(near) => {
            format!("no rule `{id}`; did you mean `{near}`? (`repl-lint rules` lists them)")
        }
        None => format!("no rule `{id}` (`repl-lint rules` lists them)"),
    }
}

/// The rule id nearest to `id` by edit distance (or one containing it).
pub fn closest_id(id: &str) -> Option<&'static str> {
    let lower = id.to_ascii_lowercase();
    if lower.is_empty() {
        return None;
    }
    RULES
        .iter()
        .map(|r| r.meta().id)
        .map(|candidate| {
            let d = if candidate.contains(&lower) {
                candidate.len() - lower.len()
            } else {
                crate::edit_distance::edit_distance(&lower, candidate)
            };
            (d, candidate)
        })
        .filter(|(d, c)| *d <= c.len() / 2)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_ids() {
        assert_eq!(
            closest_id("ver-dst-not-enable"),
            Some("ver-dst-not-enabled")
        );
        assert_eq!(
            closest_id("dstp-replicate-tag"),
            Some("dstp-replicate-tags")
        );
        assert_eq!(closest_id("zzzzzzzzzzzzzzzzzzzzzzzzzzzz"), None);
        assert!(explain("nope-nope", false).is_err());
        let text = explain("ver-dst-not-enabled", false).unwrap_or_default();
        assert!(text.starts_with("ver-dst-not-enabled (B2, error"), "{text}");
        assert!(text.contains("What goes wrong\n---------------"), "{text}");
    }

    #[test]
    fn json_lists_every_rule() {
        let v: serde_json::Value = serde_json::from_str(&json()).unwrap_or_default();
        let items = v.as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), RULES.len());
        for key in ["id", "code", "group", "severity", "summary", "docs"] {
            assert!(items.iter().all(|i| i.get(key).is_some()), "{key}");
        }
    }
}
