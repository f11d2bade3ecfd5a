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
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/hcl");
    let files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let base = std::env::temp_dir().join(format!("repl-lint-hcl-corpus-{}", std::process::id()));
    let next = AtomicUsize::new(0);
    // Each worker has a folder of its own, holding one input at a time as its main.tf.
    let scratch = || {
        let dir = base.join(next.fetch_add(1, Ordering::Relaxed).to_string());
        std::fs::create_dir_all(&dir).unwrap();
        dir
    };
    files.par_iter().for_each_init(scratch, |dir, path| {
        std::fs::copy(path, dir.join("main.tf")).unwrap();
        let outcome = engine::run(&[Input::Path(dir.clone())], &Options::default());
        let _ = repl_lint::report::human::render(&outcome, false);
    });
    let _ = std::fs::remove_dir_all(&base);
    assert!(!files.is_empty(), "no HCL corpus under {}", root.display());
}
