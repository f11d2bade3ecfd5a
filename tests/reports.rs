//! `--format github` and `--format markdown` on a hand-built outcome.

mod common;

use common::{MAIN_TF, TempRepo, outcome};
use repl_lint::report::{RepoPaths, github, markdown};

#[test]
fn github_annotations() {
    let repo = TempRepo::new("gh");
    let o = outcome(&repo, MAIN_TF);
    let paths = RepoPaths::new(&o.sources, repo.path());
    let out = github::render(&o, &paths);
    let lines: Vec<&str> = out.lines().collect();
    // The input warning first, then findings in order.
    assert!(
        lines[0].starts_with("::warning file=infra/iam/role.tf,line=2,col="),
        "{out}"
    );
    let id = repl_lint::rules::RULES[0].meta().id;
    assert!(
        lines[1].starts_with(&format!(
            "::error file=infra/main.tf,line=12,col=16,endColumn=41,endLine=12,title=repl-lint {id}%3A "
        )),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("::destination `dst-bucket` is not versioned%0Arole defined here: infra/iam/role.tf:1%0Ahelp: enable versioning:%0A"), "{}", lines[1]);
    // Spans over several lines carry no columns.
    assert!(
        lines[2].starts_with("::warning file=infra/main.tf,line=8,endLine=9,title="),
        "{}",
        lines[2]
    );
    assert!(
        lines[2].ends_with("::a message, with: commas%0Aand 100%25 newlines"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("::notice file=infra/iam/role.tf,"),
        "{}",
        lines[3]
    );
    assert!(out.contains("::group::"));
    assert!(out.contains("infra/main.tf:12: error ["));
}

#[test]
fn github_caps_annotations_per_kind() {
    let repo = TempRepo::new("gh-cap");
    let mut o = outcome(&repo, MAIN_TF);
    let first = o.findings[0].clone();
    for i in 0..14 {
        let mut f = first.clone();
        f.discriminator = format!("d{i}");
        o.findings.push(f);
    }
    let paths = RepoPaths::new(&o.sources, repo.path());
    let out = github::render(&o, &paths);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::error ")).count(),
        10
    );
    assert!(
        out.contains("::notice title=repl-lint::5 more finding(s)"),
        "{out}"
    );
}

#[test]
fn markdown_summary() {
    let repo = TempRepo::new("md");
    let o = outcome(&repo, MAIN_TF);
    let paths = RepoPaths::new(&o.sources, repo.path());
    let out = markdown::render_with_base(&o, &paths, "");
    assert!(
        out.contains("**1** error(s), **1** warning(s), **1** info"),
        "{out}"
    );
    assert!(
        out.contains("[infra/main.tf:12](infra/main.tf#L12)"),
        "{out}"
    );
    assert!(
        out.contains("a message, with: commas<br>and 100% newlines"),
        "{out}"
    );
    assert!(out.contains("```mermaid\nflowchart LR\n"), "{out}");
    assert!(out.contains("n0 ==>|\"❌ all\"| n1"), "{out}");
    assert!(out.contains("n2 -.->|\"❌ replicates as\"| n0"), "{out}");
    let linked = markdown::render_with_base(&o, &paths, "https://github.com/o/r/blob/abc/");
    assert!(linked.contains("(https://github.com/o/r/blob/abc/infra/main.tf#L12)"));
}

/// A sample plan end to end: the failing link is drawn red.
#[test]
fn markdown_marks_the_failing_link_of_a_sample() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(common::bin())
        .current_dir(dir)
        .env_remove("GITHUB_SHA")
        .args(["samples/ver-dst-not-enabled/bad", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("(samples/ver-dst-not-enabled/bad/plan.json#L"),
        "{md}"
    );
    assert!(md.contains("```mermaid"), "{md}");
    assert!(md.contains("==>|\"❌ everything\"|"), "{md}");
    assert!(md.contains("linkStyle 0 stroke:#d73a49"), "{md}");
}
