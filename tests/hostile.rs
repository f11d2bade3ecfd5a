//! Hostile inputs: whatever a pull request puts in front of repl-lint, the run ends with findings
//! or a clear input error, never a crash, a hang or unbounded memory.
//!
//! Each case runs the real binary under a generous watchdog and an address-space limit: these are
//! not timing tests (performance lives in `benches/`), they catch hangs and blow-ups.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

/// A temporary directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("repl-lint-hostile-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What one run produced.
struct Run {
    code: i32,
    report: Value,
    stderr: String,
}

impl Run {
    fn input_errors(&self) -> Vec<String> {
        self.report["input_errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        format!(
                            "{}:{}:{}: {}",
                            e["file"].as_str().unwrap_or(""),
                            e["line"],
                            e["column"],
                            e["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Exit code 2 with at least one input error that has a message and a line.
    fn assert_input_error(&self, needle: &str) {
        assert_eq!(
            self.code, 2,
            "expected an input error; stderr: {}",
            self.stderr
        );
        let errors = self.input_errors();
        assert!(
            errors.iter().any(|e| e.to_lowercase().contains(needle)),
            "no input error mentions {needle:?}: {errors:#?}"
        );
        for error in self.report["input_errors"].as_array().unwrap() {
            assert!(
                error["line"].as_u64().unwrap_or(0) >= 1,
                "error without a line: {error}"
            );
        }
    }

    fn assert_no_input_error(&self) {
        assert!(
            self.code == 0 || self.code == 1,
            "exit code {}: {:#?}; stderr: {}",
            self.code,
            self.input_errors(),
            self.stderr
        );
        assert!(self.input_errors().is_empty(), "{:#?}", self.input_errors());
    }
}

const ADDRESS_SPACE_LIMIT_KB: u64 = 4 * 1024 * 1024;
const WATCHDOG: Duration = Duration::from_secs(120);

fn run(args: &[&Path]) -> Run {
    let bin = Command::cargo_bin("repl-lint").unwrap();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_LIMIT_KB}; exec \"$0\" --format json \"$@\""
        ))
        .arg(bin.get_program())
        .args(args);
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read while it runs: a report larger than a pipe's buffer would otherwise hold it.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut out);
            }
            out
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("repl-lint hung on {args:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = std::process::Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let code = output.status.code().unwrap_or_else(|| {
        panic!("repl-lint was killed by a signal on {args:?} (crash or stack overflow): {stderr}")
    });
    assert!(!stderr.contains("panicked"), "panic on {args:?}: {stderr}");
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not a JSON report ({e}): {stderr}"));
    Run {
        code,
        report,
        stderr,
    }
}

#[test]
fn yaml_alias_bomb_is_an_input_error() {
    let scratch = Scratch::new("alias-bomb");
    let mut yaml = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for level in 1..=12 {
        let prev = level - 1;
        yaml.push_str(&format!(
            "a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    yaml.push_str("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: *a12\n");
    let file = scratch.write("template.yaml", yaml);
    run(&[&file]).assert_input_error("alias");
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn ten_thousand_levels_of_nesting_in_every_format() {
    let scratch = Scratch::new("nesting");
    let depth = 10_000;
    let cases = [
        scratch.write(
            "plan.json",
            format!(
                r#"{{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{}}}"#,
                nested("[", "]", depth)
            ),
        ),
        scratch.write(
            "policy.json",
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{}}}]}}"#,
                nested(r#"{"a":"#, "}", depth).replacen(r#"{"a":}"#, r#"{"a":1}"#, 1)
            ),
        ),
        scratch.write(
            "template.yaml",
            format!(
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: {}\n",
                nested("[", "]", depth)
            ),
        ),
        scratch.write(
            "template.json",
            format!(
                r#"{{"AWSTemplateFormatVersion":"2010-09-09","Resources":{{"B":{{"Type":"AWS::S3::Bucket","Metadata":{}}}}}}}"#,
                nested("[", "]", depth)
            ),
        ),
        scratch.write(
            "tf/main.tf",
            format!(
                "resource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"b\"\n  tags = {}\n}}\n",
                nested("[", "]", depth)
            ),
        ),
    ];
    // Deep nesting in a value the model never reads is skipped without recursion: no error
    // is due, and none may crash.
    let ignored = scratch.write(
        "ignored/plan.json",
        format!(
            r#"{{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{{"root_module":{{"resources":[{{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{{"bucket":"b","tags":{}}}}}]}}}}}}"#,
            nested("[", "]", depth)
        ),
    );
    run(&[&ignored]).assert_no_input_error();
    for file in &cases {
        let outcome = run(&[file]);
        let findings = outcome.report["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let json_invalid = findings.iter().any(|f| f["rule"] == "pol-json-invalid");
        assert!(
            (outcome.code == 2 && !outcome.input_errors().is_empty()) || json_invalid,
            "{}: expected a nesting input error, got exit {} {:#?}",
            file.display(),
            outcome.code,
            outcome.input_errors()
        );
    }
}

#[test]
fn a_hundred_megabyte_string_is_read_within_bounds() {
    let scratch = Scratch::new("huge-string");
    let huge = "a".repeat(100 * 1024 * 1024);
    let plan = format!(
        r#"{{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{{"root_module":{{"resources":[{{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{{"bucket":"b","tags":{{"note":"{huge}"}}}}}}]}}}}}}"#
    );
    let file = scratch.write("plan.json", plan);
    run(&[&file]).assert_no_input_error();
}

#[test]
fn invalid_utf8_and_nul_bytes_are_input_errors() {
    let scratch = Scratch::new("bytes");
    let files = [
        scratch.write(
            "a/main.tf",
            b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"\xff\xfe\xfd\"\n}\n",
        ),
        scratch.write(
            "b/plan.json",
            b"{\"format_version\":\"1.2\",\"planned_values\":{\"x\":\"\xc3\x28\"}}",
        ),
        scratch.write(
            "c/template.yaml",
            b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: \"\xe2\x82\"\n",
        ),
        scratch.write(
            "d/main.tf",
            b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"a\0b\"\n}\0\n",
        ),
        scratch.write(
            "e/policy.json",
            b"{\"Version\":\"2012-10-17\",\0\"Statement\":[]}",
        ),
    ];
    for file in &files {
        let outcome = run(&[file]);
        let findings = outcome.report["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        // A policy document that is not JSON is the `pol-json-invalid` finding, with its span.
        let json_invalid = findings.iter().any(|f| f["rule"] == "pol-json-invalid");
        assert!(
            (outcome.code == 2 && !outcome.input_errors().is_empty()) || json_invalid,
            "{}: expected an input error, got exit {}: {:#?}",
            file.display(),
            outcome.code,
            outcome.input_errors()
        );
    }
    // The span lands on the bad byte's line, not on the top of the file.
    let outcome = run(&[&files[0]]);
    assert_eq!(
        outcome.report["input_errors"][0]["line"], 2,
        "{:#?}",
        outcome.report
    );
}

#[test]
fn a_plan_that_is_not_json_is_an_input_error() {
    let scratch = Scratch::new("not-json");
    let file = scratch.write("plan.json", "<html>502 Bad Gateway</html>\n");
    let outcome = run(&[&file]);
    assert_eq!(outcome.code, 2);
    assert!(!outcome.input_errors().is_empty());
    let truncated = scratch.write(
        "cut/plan.json",
        r#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address""#,
    );
    run(&[&truncated]).assert_input_error("");
}

#[test]
fn symlink_loops_end_discovery() {
    let scratch = Scratch::new("symlinks");
    scratch.write(
        "infra/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    );
    std::os::unix::fs::symlink(scratch.0.join("infra"), scratch.0.join("infra/loop")).unwrap();
    std::os::unix::fs::symlink(scratch.0.join("a"), scratch.0.join("b")).unwrap();
    std::os::unix::fs::symlink(scratch.0.join("b"), scratch.0.join("a")).unwrap();
    let outcome = run(&[&scratch.0]);
    assert!(
        outcome.code == 0 || outcome.code == 1 || outcome.code == 2,
        "{}",
        outcome.stderr
    );
    assert!(outcome.report["summary"]["files"].as_u64().unwrap_or(0) >= 1);
}

#[test]
fn unreadable_entries_are_reported_and_the_run_goes_on() {
    let scratch = Scratch::new("unreadable");
    scratch.write(
        "good/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    );
    std::os::unix::fs::symlink(
        scratch.0.join("nowhere.tf"),
        scratch.0.join("good/dangling.tf"),
    )
    .unwrap();
    // A FIFO would block a naive read forever.
    let fifo = scratch.0.join("pipe/plan.json");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    std::fs::create_dir_all(scratch.0.join("dir.tf")).unwrap();
    let outcome = run(&[&scratch.0]);
    assert!(outcome.report["summary"]["files"].as_u64().unwrap_or(0) >= 1);
    let errors = outcome.input_errors().join("\n");
    assert!(
        errors.contains("dangling.tf"),
        "dangling symlink not reported: {errors}"
    );
    if made {
        assert!(errors.contains("plan.json"), "FIFO not reported: {errors}");
    }
    // Named directly, an unreadable path is an input error too.
    run(&[&scratch.0.join("good/dangling.tf")]).assert_input_error("");
}

#[test]
fn a_policy_with_ten_thousand_statements_is_analyzed() {
    let scratch = Scratch::new("big-policy");
    let statements: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                r#"{{"Sid":"S{i}","Effect":"Allow","Action":["s3:GetObjectVersionForReplication","s3:ReplicateObject"],"Resource":"arn:aws:s3:::bucket-{i}/*"}}"#
            )
        })
        .collect();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    let file = scratch.write("policy.json", policy);
    run(&[&file]).assert_no_input_error();
}

#[test]
fn a_policy_of_distinct_misspelled_actions_is_analyzed() {
    // Each unknown action gets a "did you mean" hint: the search is bounded, so that thousands
    // of long, distinct names stay cheap (10,000 statements of five: 1.7 s in release).
    let scratch = Scratch::new("misspelled-policy");
    let statements: Vec<String> = (0..1_000)
        .map(|i| {
            let actions: Vec<String> = (0..5)
                .map(|k| format!(r#""s3:Replicat{}{i}x{k}""#, "e".repeat(k * 7)))
                .collect();
            format!(
                r#"{{"Effect":"Allow","Action":[{}],"Resource":"*"}}"#,
                actions.join(",")
            )
        })
        .collect();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    let file = scratch.write("policy.json", policy);
    let outcome = run(&[&file]);
    outcome.assert_no_input_error();
    let unknown = outcome.report["findings"].as_array().map_or(0, |f| {
        f.iter()
            .filter(|f| f["rule"] == "pol-unknown-action")
            .count()
    });
    assert_eq!(unknown, 5_000, "every misspelled action is reported");
}

#[test]
fn a_reference_cycle_is_no_crash() {
    // Found by the `hcl` fuzz target: a bucket named after itself overflowed the stack.
    let scratch = Scratch::new("cycle");
    let file = scratch.write(
        "infra/main.tf",
        r#"resource "aws_s3_bucket" "src" {
  bucket = aws_s3_bucket.src.id
}

resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = aws_s3_bucket.src.id
  role   = "arn:aws:iam::111111111111:role/r"
  rule {
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket = "${aws_s3_bucket.src.arn}-replica"
    }
  }
}
"#,
    );
    let outcome = run(&[file.parent().unwrap()]);
    assert!(outcome.code == 0 || outcome.code == 1, "{}", outcome.stderr);
}

#[test]
fn a_file_ending_inside_many_unclosed_levels_is_refused_without_parsing() {
    // Found by the `hcl` fuzz target: hcl-edit's time doubles with every level still open at the
    // end of the text, so the 41 here would keep it busy for days.
    let scratch = Scratch::new("unclosed");
    let open = "(t -p - ".repeat(40);
    let module = scratch.write("module/main.tf", format!("locals {{\n  a = x - {open}"));
    run(&[module.parent().unwrap()]).assert_input_error("41 unclosed");

    let templated = scratch.write(
        "templated/main.tf",
        r#"resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = templatefile("${path.module}/t.tpl", {})
}
"#,
    );
    scratch.write("templated/t.tpl", format!("${{x - {open}"));
    // The refused template is an unknown value that no rule here needs: ending at all, in the
    // usual exit codes, is what this checks.
    let outcome = run(&[templated.parent().unwrap()]);
    assert!(outcome.code <= 2, "{}", outcome.stderr);

    // Below the limit hcl-edit parses the text and reports the error itself, quickly.
    let few = scratch.write(
        "few/main.tf",
        format!("locals {{\n  a = x - {}", "(t -p - ".repeat(6)),
    );
    run(&[few.parent().unwrap()]).assert_input_error("invalid hcl");
}
