//! One missing grant is one finding, however many replication rules need it.

mod common;

use std::path::PathBuf;

use common::TempRepo;
use repl_lint::engine::{self, Options};
use repl_lint::load::Input;

/// The `srcp-tagging` bad sample with two more rules, filtered by prefix: every rule needs
/// `s3:GetObjectVersionTagging`, on `SRC/*`, `SRC/one*` and `SRC/two*`.
fn three_rules() -> TempRepo {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = std::fs::read_to_string(root.join("samples/srcp-tagging/bad-tf/main.tf"))
        .expect("the sample exists");
    let extra = |id: &str, priority: u32| {
        format!(
            "  rule {{\n    id       = \"{id}\"\n    priority = {priority}\n    status   = \"Enabled\"\n\n    filter {{\n      prefix = \"{id}\"\n    }}\n\n    delete_marker_replication {{\n      status = \"Enabled\"\n    }}\n\n    destination {{\n      bucket        = aws_s3_bucket.replica.arn\n      storage_class = \"STANDARD\"\n    }}\n  }}\n\n"
        )
    };
    let marker = "  rule {\n    id       = \"everything\"";
    assert!(
        sample.contains(marker),
        "the sample's rule is where the test expects it"
    );
    let text = sample.replacen(
        marker,
        &format!("{}{}{marker}", extra("one", 2), extra("two", 3)),
        1,
    );
    let repo = TempRepo::new("grouping");
    repo.write("main.tf", &text);
    repo
}

#[test]
fn a_grant_missing_for_several_prefix_rules_is_one_finding() {
    let repo = three_rules();
    let outcome = engine::run(
        &[Input::Path(repo.path().to_path_buf())],
        &Options::only("srcp-tagging"),
    );
    assert!(
        outcome.input_errors.is_empty(),
        "{:?}",
        outcome.input_errors
    );
    let messages: Vec<&str> = outcome
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(
        messages[0].contains("/*`"),
        "the widest pattern is the one reported: {messages:?}"
    );
}
