//! The statement a fix proposes can be pasted into the configuration as it is.

use std::path::PathBuf;

use repl_lint::engine::{self, Options};
use repl_lint::load::Input;

/// The `dstp-replicate-tags` bad sample with a replica bucket whose name is known only after
/// apply.
fn replica_named_after_apply() -> PathBuf {
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
    let dir = std::env::temp_dir().join(format!("repl-lint-fix-texts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("main.tf"), text).expect("write main.tf");
    dir
}

#[test]
fn a_name_known_after_apply_is_shown_as_its_interpolation() {
    let dir = replica_named_after_apply();
    let outcome = engine::run(
        &[Input::Path(dir.clone())],
        &Options::only("dstp-replicate-tags"),
    );
    let _ = std::fs::remove_dir_all(&dir);
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
