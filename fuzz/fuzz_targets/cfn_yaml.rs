//! Any bytes as a CloudFormation YAML template (short tags, anchors and aliases included).
#![no_main]

use libfuzzer_sys::fuzz_target;
use repl_lint::engine::{self, Options};
use repl_lint::load::Input;

fuzz_target!(|data: &[u8]| {
    let outcome = engine::run(&[Input::Stdin(data.to_vec())], &Options::default());
    let paths = repl_lint::report::paths::RepoPaths::new(&outcome.sources, std::path::Path::new("."));
    let _ = repl_lint::report::sarif::render(&outcome, &paths);
    let _ = repl_lint::report::human::render(&outcome, false);
});
