//! The statement a fix proposes can be pasted into the configuration as it is.

mod common;

use std::path::PathBuf;

use common::TempRepo;
use repl_lint::engine::{self, Options};
use repl_lint::load::Input;

/// The `dstp-replicate-tags` bad sample with a replica bucket whose name is known only after
/// apply.
fn replica_named_after_apply() -> TempRepo {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = std::fs::read_to_string(root.join("samples/dstp-replicate-tags/bad-tf/main.tf"))
        .expect("the sample exists");
    let literal = "bucket = \"acme-data-replica\"";
    assert!(sample.contains(literal), "the sample names its replica");
    let text = sample.replacen(
        literal,
        "bucket = \"acme-data-replica-${random_pet.suffix.id}\"",
        1,
    ) + "\nresource \"random_pet\" \"suffix\" {}\n";
    let repo = TempRepo::new("fix-texts");
    repo.write("main.tf", &text);
    repo
}

#[test]
fn a_name_known_after_apply_is_shown_as_its_interpolation() {
    let repo = replica_named_after_apply();
    let outcome = engine::run(
        &[Input::Path(repo.path().to_path_buf())],
        &Options::only("dstp-replicate-tags"),
    );
    assert!(
        outcome.input_errors.is_empty(),
        "{:?}",
        outcome.input_errors
    );
    let finding = outcome
        .findings
        .first()
        .expect("the grant is still missing");
    let help = finding.help.as_deref().unwrap_or_default();
    let wanted = "\"Resource\": \"arn:aws:s3:::acme-data-replica-${random_pet.suffix.id}/*\"";
    assert!(help.contains(wanted), "{help}");
    assert!(
        finding.message.contains("${random_pet.suffix.id}"),
        "{}",
        finding.message
    );
}
