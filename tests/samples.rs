//! Every rule has a bad sample that must report it and a good sample that must not.
//! The rendered diagnostics of the bad samples are snapshots.

use std::path::{Path, PathBuf};

use repl_lint::engine::{self, Options};
use repl_lint::load::Input;
use repl_lint::report;
use repl_lint::rules::{self, RULES};

fn relative(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    dir.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| dir.to_path_buf())
}

fn rule_of(dir: &Path) -> &'static dyn rules::Rule {
    let id = dir
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("");
    rules::by_id(id).unwrap_or_else(|| panic!("samples/{id} belongs to no rule"))
}

fn run(dir: &Path, id: &str) -> engine::Outcome {
    engine::run(&[Input::Path(relative(dir))], &Options::only(id))
}

#[test]
fn bad_samples_report_their_rule() {
    insta::glob!("../samples", "*/bad*", |dir| {
        let rule = rule_of(dir);
        let outcome = run(dir, rule.meta().id);
        assert!(
            outcome.input_errors.iter().all(|e| e.warning),
            "input errors in {}",
            dir.display()
        );
        assert!(
            outcome
                .findings
                .iter()
                .any(|f| f.severity >= repl_lint::finding::Severity::Warning
                    || f.severity >= rule.meta().severity),
            "{} reported nothing on {}:\n{}",
            rule.meta().id,
            dir.display(),
            report::human::render(&outcome, false)
        );
        insta::assert_snapshot!(report::human::render(&outcome, false));
    });
}

#[test]
fn good_samples_are_clean() {
    insta::glob!("../samples", "*/good*", |dir| {
        let rule = rule_of(dir);
        let outcome = run(dir, rule.meta().id);
        assert!(
            outcome.input_errors.is_empty(),
            "input errors in {}",
            dir.display()
        );
        assert!(
            outcome.findings.is_empty(),
            "{} reported on its good sample:\n{}",
            rule.meta().id,
            report::human::render(&outcome, false)
        );
    });
}

#[test]
fn every_rule_has_samples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for rule in RULES {
        let id = rule.meta().id;
        if id.starts_with("std-") {
            continue;
        }
        for side in ["bad", "good"] {
            assert!(
                root.join(id).join(side).is_dir(),
                "samples/{id}/{side} is missing"
            );
        }
    }
}
