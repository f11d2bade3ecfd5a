//! Any bytes as a Terraform module's `main.tf`: parse and evaluate in the sandbox, then the rules.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use repl_lint::engine::{self, Options};
use repl_lint::load::Input;

/// The loader reads modules from disk: one private folder per fuzzing process.
fn module_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("repl-lint-fuzz-hcl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = module_dir();
    if std::fs::write(dir.join("main.tf"), data).is_err() {
        return;
    }
    let outcome = engine::run(&[Input::Path(dir.clone())], &Options::default());
    let _ = repl_lint::report::human::render(&outcome, false);
});
