//! Any bytes as a `terraform show -json` plan: the whole run (load, graph, every rule, reports).
#![no_main]

use libfuzzer_sys::fuzz_target;
use repl_lint::engine::{self, Options};
use repl_lint::load::Input;

fuzz_target!(|data: &[u8]| {
    let outcome = engine::run(&[Input::Stdin(data.to_vec())], &Options::default());
    let _ = repl_lint::report::json::render(&outcome);
    let _ = repl_lint::report::human::render(&outcome, false);
});
