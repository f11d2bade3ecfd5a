//! `scripts/action.sh` (the GitHub Action's logic) in a simulated runner: GITHUB_WORKSPACE,
//! GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, inputs as INPUT_* variables, and the binary under
//! test as REPL_LINT_BIN (no cargo install).

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use common::{TempRepo, bin, validate};

struct Run {
    status: i32,
    stdout: String,
    outputs: HashMap<String, String>,
    summary: String,
    sarif: Option<serde_json::Value>,
}

fn run_action(workspace: &Path, inputs: &[(&str, &str)]) -> Run {
    let runner = TempRepo::new("runner");
    let output = runner.write("github_output", "");
    let summary = runner.write("step_summary", "previous step\n");
    let sarif = runner.path().join("out.sarif");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(script)
        .env("REPL_LINT_BIN", bin())
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("INPUT_SARIF_FILE", &sarif)
        .env_remove("GITHUB_SHA");
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let outputs = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let summary = std::fs::read_to_string(&summary).unwrap();
    let sarif = std::fs::read_to_string(&sarif)
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap());
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        outputs,
        summary,
        sarif,
    }
}

/// A CloudFormation suppression without a reason: a warning from the engine itself, whatever
/// the loaders support.
const STACK: &str = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Source:\n    Type: AWS::S3::Bucket\n    Metadata:\n      repl-lint:\n        ignore:\n          - id: ver-src-not-enabled\n";

#[test]
fn annotations_summary_sarif_outputs_and_fail_on() {
    let ws = TempRepo::new("action-ws");
    ws.write("infra/stack.yaml", STACK);
    let strict = run_action(
        ws.path(),
        &[("INPUT_PATHS", "infra"), ("INPUT_FAIL_ON", "warning")],
    );
    assert_eq!(strict.status, 1, "{}", strict.stdout);
    assert!(
        strict
            .stdout
            .contains("::warning file=infra/stack.yaml,line=8,"),
        "{}",
        strict.stdout
    );
    assert_eq!(strict.outputs["findings"], "1");
    assert_eq!(strict.outputs["errors"], "0");
    assert_eq!(strict.outputs["exit-code"], "1");
    assert!(
        strict.summary.starts_with("previous step\n## repl-lint"),
        "{}",
        strict.summary
    );
    assert!(strict.summary.contains("std-suppression-no-reason"));
    let sarif = strict.sarif.expect("SARIF written");
    validate(&sarif);
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/stack.yaml"
    );

    let lenient = run_action(
        ws.path(),
        &[("INPUT_PATHS", "infra"), ("INPUT_FAIL_ON", "error")],
    );
    assert_eq!(lenient.status, 0, "{}", lenient.stdout);
    assert_eq!(lenient.outputs["findings"], "1");
}

#[test]
fn config_errors_fail_with_2_and_still_set_outputs() {
    let ws = TempRepo::new("action-config");
    ws.write("infra/stack.yaml", STACK);
    ws.write("lint.toml", "[standards]\nrequire-rtx = true\n");
    let run = run_action(
        ws.path(),
        &[("INPUT_PATHS", "infra"), ("INPUT_CONFIG", "lint.toml")],
    );
    assert_eq!(run.status, 2);
    assert_eq!(run.outputs["exit-code"], "2");
    assert!(run.summary.contains("could not run"));
    assert!(run.stdout.contains("::error title=repl-lint::"));
    let bad = run_action(ws.path(), &[("INPUT_FAIL_ON", "sometimes")]);
    assert_eq!(bad.status, 2);
}

#[test]
fn samples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = run_action(
        root,
        &[("INPUT_PATHS", "samples"), ("INPUT_FAIL_ON", "error")],
    );
    let errors: usize = run.outputs["errors"].parse().unwrap();
    assert_eq!(run.status, if errors > 0 { 1 } else { 0 }, "{}", run.stdout);
    assert!(run.summary.contains("## repl-lint: S3 replication"));
    if errors > 0 {
        assert!(
            run.stdout.contains("::error file=samples/"),
            "{}",
            run.stdout
        );
        assert!(run.summary.contains("```mermaid"), "{}", run.summary);
    }
    validate(&run.sarif.expect("SARIF written"));
}
