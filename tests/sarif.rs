//! SARIF output: valid against the official SARIF 2.1.0 schema, paths relative to the root,
//! fingerprints that survive unrelated edits.

mod common;

use std::path::Path;
use std::process::Command;

use common::{MAIN_TF, TempRepo, bin, outcome, validate};
use repl_lint::report::{RepoPaths, sarif};
use serde_json::Value;

fn render(repo: &TempRepo, main_tf: &str) -> Value {
    let o = outcome(repo, main_tf);
    let paths = RepoPaths::new(&o.sources, repo.path());
    serde_json::from_str(&sarif::render(&o, &paths)).unwrap()
}

#[test]
fn validates_against_schema() {
    let repo = TempRepo::new("sarif-schema");
    let doc = render(&repo, MAIN_TF);
    validate(&doc);
    // For `../shared/tools/sarif-validate.sh`, which needs a file.
    if let Some(out) = std::env::var_os("REPL_LINT_SARIF_FIXTURE") {
        std::fs::write(out, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    }
}

#[test]
fn results_are_relative_to_root_with_rules_from_metadata() {
    let repo = TempRepo::new("sarif-paths");
    let doc = render(&repo, MAIN_TF);
    let run = &doc["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "repl-lint");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), repl_lint::rules::RULES.len());
    for r in rules {
        assert!(r["shortDescription"]["text"].as_str().unwrap().len() <= 1024);
        assert!(r["help"]["markdown"].as_str().is_some());
    }
    let result = &run["results"][0];
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "infra/main.tf");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 12);
    assert_eq!(loc["region"]["startColumn"], 16);
    assert_eq!(loc["region"]["endColumn"], 41);
    let related = &result["relatedLocations"][0];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "infra/iam/role.tf"
    );
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains("[role defined here](1)")
    );
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

fn fingerprints(doc: &Value) -> Vec<(String, u64)> {
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["partialFingerprints"]["replLint/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_lines_added_above() {
    let repo = TempRepo::new("sarif-fp");
    let before = fingerprints(&render(&repo, MAIN_TF));
    let edited = format!("# a comment\nlocals {{\n  x = 1\n}}\n\n{MAIN_TF}");
    let after = fingerprints(&render(&repo, &edited));
    assert_eq!(before.len(), after.len());
    for (i, ((fa, la), (fb, lb))) in before.iter().zip(&after).enumerate() {
        assert_eq!(fa, fb, "fingerprint changed");
        // The first two findings are in the edited file.
        if i < 2 {
            assert_eq!(la + 5, *lb, "the test should move the finding");
        }
    }
    let distinct: std::collections::HashSet<_> = before.iter().map(|(f, _)| f).collect();
    assert_eq!(distinct.len(), before.len());
}

/// Every sample the project ships: its SARIF validates.
#[test]
fn samples_validate() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let Ok(entries) = std::fs::read_dir(&samples) else {
        return;
    };
    let mut dirs: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        for side in ["bad", "good"] {
            let case = dir.join(side);
            if !case.is_dir() {
                continue;
            }
            let out = Command::new(bin())
                .args(["--format", "sarif", "--fail-on", "never", "--root"])
                .arg(&samples)
                .arg(&case)
                .output()
                .unwrap();
            let doc: Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", case.display()));
            validate(&doc);
        }
    }
}
