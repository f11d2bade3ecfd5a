//! The 62 conformance cases (expected answers from AWS documentation) through `simulate`.

use repl_lint::iam::simulate::simulate;

#[test]
fn all_conformance_cases() {
    let input = include_str!("data/iam-cases.json");
    let cases: Vec<serde_json::Value> = serde_json::from_str(input).expect("cases parse");
    let out = simulate(input).expect("simulate runs");
    let results: Vec<serde_json::Value> = serde_json::from_str(&out).expect("output is JSON");
    assert_eq!(results.len(), cases.len());
    let mut failures = Vec::new();
    for (case, result) in cases.iter().zip(&results) {
        let expected = case["expected"].as_str().unwrap_or_default();
        let got = result["decision"].as_str().unwrap_or_default();
        if expected != got {
            failures.push(format!(
                "{}: expected {expected}, got {result}",
                case["name"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn explicit_and_implicit_denies_are_told_apart() {
    let input = include_str!("data/iam-cases.json");
    let out: Vec<serde_json::Value> = serde_json::from_str(&simulate(input).unwrap()).unwrap();
    let by_name = |prefix: &str| {
        out.iter()
            .find(|r| r["name"].as_str().unwrap_or_default().starts_with(prefix))
            .unwrap()
            .clone()
    };
    let r = by_name("4 ");
    assert_eq!(r["reason"], "explicit-deny");
    assert_eq!(r["statements"][0]["policy"], "resource");
    assert_eq!(r["statements"][0]["statement"], 1);
    assert_eq!(by_name("2 ")["reason"], "implicit-deny");
    assert_eq!(by_name("S2 ")["statements"][0]["policy"], "scp[1][1]");
    assert_eq!(by_name("1 ")["statements"][0]["policy"], "identity[0]");
}
