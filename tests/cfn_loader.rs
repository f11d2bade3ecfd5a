//! The CloudFormation loader: spans, YAML reading, intrinsics, resources, several stacks.

use std::path::{Path, PathBuf};

use repl_lint::load::{self, Input, LoadOptions};
use repl_lint::model::Model;
use repl_lint::source::SourceDb;

fn load_paths(paths: &[PathBuf], options: &LoadOptions) -> (Model, SourceDb) {
    let mut db = SourceDb::new();
    let inputs: Vec<Input> = paths.iter().cloned().map(Input::Path).collect();
    let model = load::load(&inputs, options, &mut db);
    (model, db)
}

#[test]
fn corpus_cfn_cases_load() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        return;
    };
    let mut cases: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("cfn-"))
        })
        .collect();
    cases.sort();
    for case in cases {
        let (model, db) = load_paths(std::slice::from_ref(&case), &LoadOptions::default());
        let errors: Vec<String> = model
            .input_errors
            .iter()
            .map(|e| {
                format!(
                    "{} {:?} {}: {}",
                    if e.warning { "warning" } else { "ERROR" },
                    db.path(e.file),
                    db.resolve(&e.loc).map(|s| s.start).unwrap_or(0),
                    e.message
                )
            })
            .collect();
        eprintln!(
            "{}: {} buckets, {} replications, {} roles, {} attachments, {} managed, {} keys, {} bucket settings; {:?}",
            case.file_name().unwrap().to_string_lossy(),
            model.buckets.len(),
            model.replications.len(),
            model.roles.len(),
            model.role_policy_attachments.len(),
            model.managed_policies.len(),
            model.keys.len(),
            model.bucket_settings.len(),
            errors
        );
        assert!(
            model.input_errors.iter().all(|e| e.warning),
            "{}: {errors:?}",
            case.display()
        );
    }
}
