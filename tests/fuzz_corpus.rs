//! Replays the fuzzers' minimized corpora and past crashes through the whole run: every input
//! ends in findings or input errors, never a panic.

use std::path::Path;

use repl_lint::engine::{self, Options};
use repl_lint::load::Input;

fn replay(dir: &Path) -> usize {
    use rayon::prelude::*;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.par_iter().for_each(|path| {
        let bytes = std::fs::read(path).unwrap();
        let outcome = engine::run(&[Input::Stdin(bytes)], &Options::default());
        let _ = repl_lint::report::human::render(&outcome, false);
    });
    files.len()
}

#[test]
fn fuzz_corpora_and_regressions_run_without_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut total = 0;
    for target in ["plan_json", "policy_document", "cfn_yaml"] {
        total += replay(&root.join("corpus").join(target));
    }
    total += replay(&root.join("regressions"));
    assert!(total > 0, "no fuzz corpus found under {}", root.display());
}

#[test]
fn hcl_corpus_runs_without_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/hcl");
    let scratch = std::env::temp_dir().join(format!("repl-lint-hcl-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        std::fs::copy(entry.path(), scratch.join("main.tf")).unwrap();
        let outcome = engine::run(&[Input::Path(scratch.clone())], &Options::default());
        let _ = repl_lint::report::human::render(&outcome, false);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
