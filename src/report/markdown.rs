//! `--format markdown`: a summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment: counts,
//! a table of findings linking to their lines, and a Mermaid diagram of the topology with the
//! links that have findings drawn in red.

use std::collections::HashSet;
use std::fmt::Write;

use crate::engine::Outcome;
use crate::finding::Severity;
use crate::source::Loc;
use crate::topology::{EdgeKind, NodeKind, Topology};

use super::paths::{RepoPath, RepoPaths, uri_path};
use super::position;

/// GitHub step summaries are capped at 1 MiB; a table this long is read in the SARIF view instead.
const MAX_ROWS: usize = 200;

/// Where links point: relative paths, or `https://github.com/OWNER/REPO/blob/SHA/` in Actions
/// (a step summary is not rendered next to the repository, so relative links would break there).
pub fn link_base_from_env() -> String {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        var("GITHUB_SERVER_URL"),
        var("GITHUB_REPOSITORY"),
        var("GITHUB_SHA"),
    ) {
        (Some(server), Some(repo), Some(sha)) => format!("{server}/{repo}/blob/{sha}/"),
        _ => String::new(),
    }
}

fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\r', "")
        .replace('\n', "<br>")
}

fn link(outcome: &Outcome, paths: &RepoPaths, base: &str, loc: &Loc) -> String {
    let (Some(p), Some(file)) = (position(&outcome.sources, loc), loc.file()) else {
        return String::new();
    };
    match paths.get(file) {
        RepoPath::Relative(rel) => format!(
            "[{}:{}]({base}{}#L{})",
            cell(rel),
            p.line,
            uri_path(rel),
            p.line
        ),
        RepoPath::Other(path) => format!("`{}:{}`", cell(path), p.line),
    }
}

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "🔴 error",
        Severity::Warning => "🟠 warning",
        Severity::Info => "🔵 info",
    }
}

/// Mermaid labels are quoted; a quote inside one ends it.
fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;").replace('\n', " ")
}

/// The addresses that have a finding at warning or above: their edges are drawn as failing.
fn failing(outcome: &Outcome) -> HashSet<&str> {
    outcome
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| f.resource.as_str())
        .collect()
}

pub fn mermaid(topology: &Topology, failing: &HashSet<&str>) -> String {
    let mut out = String::from("```mermaid\nflowchart LR\n");
    let mut accounts: Vec<Option<&str>> = Vec::new();
    for n in &topology.nodes {
        if !accounts.contains(&n.account.as_deref()) {
            accounts.push(n.account.as_deref());
        }
    }
    for (ai, acct) in accounts.iter().enumerate() {
        let indent = if acct.is_some() { "    " } else { "  " };
        if let Some(a) = acct {
            let _ = writeln!(out, "  subgraph acct{ai}[\"account {}\"]", mermaid_text(a));
        }
        for (i, n) in topology.nodes.iter().enumerate() {
            if n.account.as_deref() != *acct {
                continue;
            }
            let label = mermaid_text(&n.label);
            let external = if n.address.is_none() {
                " (not in input)"
            } else {
                ""
            };
            let _ = match n.kind {
                NodeKind::Bucket => writeln!(out, "{indent}n{i}[(\"🪣 {label}{external}\")]"),
                NodeKind::Role => writeln!(out, "{indent}n{i}{{{{\"👤 {label}{external}\"}}}}"),
                NodeKind::Key => writeln!(out, "{indent}n{i}>\"🔑 {label}{external}\"]"),
            };
        }
        if acct.is_some() {
            out.push_str("  end\n");
        }
    }
    let mut red = Vec::new();
    for (i, e) in topology.edges.iter().enumerate() {
        let bad = failing.contains(e.replication.as_str())
            || [e.from, e.to]
                .iter()
                .any(|&n| failing.iter().any(|a| topology.nodes[n].is(a)));
        let mark = if bad { "❌ " } else { "" };
        let _ = match e.kind {
            EdgeKind::Replicates => writeln!(
                out,
                "  n{} ==>|\"{mark}{}\"| n{}",
                e.from,
                mermaid_text(&e.label),
                e.to
            ),
            EdgeKind::RoleOf => {
                writeln!(out, "  n{} -.->|\"{mark}replicates as\"| n{}", e.from, e.to)
            }
            EdgeKind::ReplicaKey => {
                writeln!(out, "  n{} -.->|\"{mark}replica key\"| n{}", e.from, e.to)
            }
        };
        if bad {
            red.push(i.to_string());
        }
    }
    if !red.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#d73a49,stroke-width:3px",
            red.join(",")
        );
    }
    out.push_str("```\n");
    out
}

/// Renders the summary; `base` prefixes links (see [`link_base_from_env`]).
pub fn render_with_base(outcome: &Outcome, paths: &RepoPaths, base: &str) -> String {
    let mut out = String::from("## repl-lint: S3 replication\n\n");
    let (e, w, i) = (
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
        outcome.count(Severity::Info),
    );
    let input_errors = outcome.input_errors.iter().filter(|e| !e.warning).count();
    let verdict = if e + input_errors == 0 {
        "✅ no errors"
    } else {
        "❌ replication will fail"
    };
    let _ = writeln!(
        out,
        "{verdict}: **{e}** error(s), **{w}** warning(s), **{i}** info, **{input_errors}** input error(s)."
    );
    if outcome.suppressed + outcome.baselined > 0 {
        let _ = writeln!(
            out,
            "Accepted: {} suppressed with a reason, {} in the baseline.",
            outcome.suppressed, outcome.baselined
        );
    }
    out.push('\n');
    if !outcome.input_errors.is_empty() {
        out.push_str("### Input errors\n\n");
        for ie in &outcome.input_errors {
            let at = link(outcome, paths, base, &ie.loc);
            let _ = writeln!(out, "- {at} {}", cell(&ie.message));
        }
        out.push('\n');
    }
    if !outcome.findings.is_empty() {
        out.push_str(
            "### Findings\n\n| Severity | Rule | Location | Message |\n|---|---|---|---|\n",
        );
        for f in outcome.findings.iter().take(MAX_ROWS) {
            let mut at = link(outcome, paths, base, &f.primary);
            if at.is_empty() {
                at = format!("`{}`", cell(&f.resource));
            }
            let _ = writeln!(
                out,
                "| {} | `{}` | {at} | {} |",
                icon(f.severity),
                f.rule.id,
                cell(&f.message)
            );
        }
        if outcome.findings.len() > MAX_ROWS {
            let _ = writeln!(
                out,
                "\n…and {} more; see the SARIF report.",
                outcome.findings.len() - MAX_ROWS
            );
        }
        out.push('\n');
    }
    if !outcome.topology.nodes.is_empty() {
        out.push_str("### Replication topology\n\n");
        out.push_str(&mermaid(&outcome.topology, &failing(outcome)));
    }
    out
}

pub fn render(outcome: &Outcome, paths: &RepoPaths) -> String {
    render_with_base(outcome, paths, &link_base_from_env())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::{Edge, Node};

    #[test]
    fn failing_edges_are_red() {
        let t = Topology {
            nodes: vec![
                Node {
                    kind: NodeKind::Bucket,
                    label: "src".into(),
                    address: Some("aws_s3_bucket.src".into()),
                    account: Some("111111111111".into()),
                    parts: Vec::new(),
                },
                Node {
                    kind: NodeKind::Bucket,
                    label: "dst\"x".into(),
                    address: None,
                    account: Some("222222222222".into()),
                    parts: Vec::new(),
                },
            ],
            edges: vec![Edge {
                from: 0,
                to: 1,
                kind: EdgeKind::Replicates,
                label: "r1".into(),
                replication: "aws_s3_bucket_replication_configuration.r".into(),
            }],
        };
        let m = mermaid(
            &t,
            &HashSet::from(["aws_s3_bucket_replication_configuration.r"]),
        );
        assert!(
            m.contains("subgraph acct0[\"account 111111111111\"]"),
            "{m}"
        );
        assert!(m.contains("dst#quot;x (not in input)"), "{m}");
        assert!(m.contains("n0 ==>|\"❌ r1\"| n1"), "{m}");
        assert!(m.contains("linkStyle 0 stroke:#d73a49"), "{m}");
    }
}
