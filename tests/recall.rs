//! A generated plan of 300 setups with planted mistakes (`gen-plan.py --setups 300 --seed 7`):
//! every planted mistake is reported at its labelled resource, and setups without a mistake get
//! no error and no warning.

use std::collections::HashMap;
use std::path::PathBuf;

use repl_lint::engine::{self, Options};
use repl_lint::finding::Severity;
use repl_lint::load::Input;

fn setup_of(address: &str) -> Option<usize> {
    let base = address.split('[').next()?;
    base.rsplit('_').next()?.parse().ok()
}

#[test]
fn planted_mistakes_are_found_and_clean_setups_stay_clean() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/plans");
    let labels: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("gen300.labels.json")).unwrap())
            .unwrap();
    let outcome = engine::run(&[Input::Path(dir.join("gen300.json"))], &Options::default());
    assert!(outcome.input_errors.is_empty());
    let mut labelled: HashMap<usize, Vec<String>> = HashMap::new();
    for l in labels.as_array().unwrap() {
        let addresses = l["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        labelled.insert(l["setup"].as_u64().unwrap() as usize, addresses);
    }
    let reported: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    let mut missed = Vec::new();
    for (setup, addresses) in &labelled {
        if !reported.iter().any(|f| addresses.contains(&f.resource)) {
            missed.push(*setup);
        }
    }
    let stray: Vec<_> = reported
        .iter()
        .filter(|f| {
            setup_of(&f.resource)
                .is_none_or(|s| !labelled.get(&s).is_some_and(|a| a.contains(&f.resource)))
        })
        .map(|f| format!("{} {}", f.rule.id, f.resource))
        .collect();
    assert!(
        missed.is_empty(),
        "planted mistakes not reported in setups {missed:?}"
    );
    assert!(
        stray.is_empty(),
        "findings outside planted mistakes: {stray:?}"
    );
}
