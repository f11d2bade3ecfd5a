//! Any bytes as a bare IAM policy document (identity, trust, bucket or key policy).
#![no_main]

use libfuzzer_sys::fuzz_target;
use repl_lint::engine::{self, Options};
use repl_lint::load::Input;

fuzz_target!(|data: &[u8]| {
    // The input is sniffed by content; seeds are policy documents, so most runs stay policies.
    let outcome = engine::run(&[Input::Stdin(data.to_vec())], &Options::default());
    let _ = repl_lint::report::human::render(&outcome, false);
});
