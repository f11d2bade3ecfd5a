//! Turns the paths on the command line into files and Terraform modules to load.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::{InputError, Model};
use crate::source::{Loc, SourceDb};

pub enum Unit {
    File {
        path: PathBuf,
        bytes: Option<Vec<u8>>,
    },
    /// A folder of `.tf` files, loaded together.
    TerraformModule { dir: PathBuf, files: Vec<PathBuf> },
    /// A CloudFormation template of a CDK assembly, with its stack's account and region.
    CfnStack(crate::load::cfn::cdk::CdkStack),
}

/// Directories deeper than this are not followed (and symlink loops end here at the latest).
const MAX_DEPTH: usize = 32;

pub fn discover(path: &Path, units: &mut Vec<Unit>, model: &mut Model, db: &mut SourceDb) {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() && cdk_assembly(path, units, model, db) => {}
        Ok(meta) if meta.is_dir() => {
            let mut tf_dirs: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
            walk(path, 0, units, &mut tf_dirs, model, db);
            for (dir, files) in tf_dirs {
                units.push(Unit::TerraformModule { dir, files });
            }
        }
        Ok(_) => {
            let is_tf = path.extension().is_some_and(|e| e == "tf");
            if is_tf {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                units.push(Unit::TerraformModule {
                    dir,
                    files: vec![path.to_path_buf()],
                });
            } else {
                units.push(Unit::File {
                    path: path.to_path_buf(),
                    bytes: None,
                });
            }
        }
        Err(e) => {
            let file = db.add(path, "");
            model.input_errors.push(InputError {
                loc: Loc::None,
                file,
                message: format!("cannot read {}: {e}", path.display()),
                warning: false,
            });
        }
    }
}

fn walk(
    dir: &Path,
    depth: usize,
    units: &mut Vec<Unit>,
    tf_dirs: &mut BTreeMap<PathBuf, Vec<PathBuf>>,
    model: &mut Model,
    db: &mut SourceDb,
) {
    if depth > MAX_DEPTH {
        let file = db.add(dir, "");
        model.input_errors.push(InputError {
            loc: Loc::None,
            file,
            message: format!(
                "{}: more than {MAX_DEPTH} folder levels (a symlink loop?); not followed",
                dir.display()
            ),
            warning: true,
        });
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let file = db.add(dir, "");
            model.input_errors.push(InputError {
                loc: Loc::None,
                file,
                message: format!("cannot read folder {}: {e}", dir.display()),
                warning: false,
            });
            return;
        }
    };
    if depth > 0 && cdk_assembly(dir, units, model, db) {
        return;
    }
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, depth + 1, units, tf_dirs, model, db);
        } else if name.ends_with(".tf") || name.ends_with(".tf.json") {
            tf_dirs.entry(dir.to_path_buf()).or_default().push(path);
        } else if is_candidate(name) {
            units.push(Unit::File { path, bytes: None });
        }
    }
}

/// A CDK cloud assembly (`cdk.out`) is read through its manifest: the stacks' templates with
/// their environments, and none of the asset files beside them.
fn cdk_assembly(dir: &Path, units: &mut Vec<Unit>, model: &mut Model, db: &mut SourceDb) -> bool {
    match crate::load::cfn::cdk::stacks(dir) {
        None => false,
        Some(Ok(stacks)) => {
            units.extend(stacks.into_iter().map(Unit::CfnStack));
            true
        }
        Some(Err(message)) => {
            let file = db.add(dir.join("manifest.json"), "");
            model.input_errors.push(InputError {
                loc: Loc::None,
                file,
                message,
                warning: false,
            });
            true
        }
    }
}

/// Files worth sniffing below a folder; everything else (README, scripts) is not an input.
fn is_candidate(name: &str) -> bool {
    [".json", ".yaml", ".yml", ".template"]
        .iter()
        .any(|ext| name.ends_with(ext))
        && !name.ends_with(".tfstate")
        && name != "package.json"
        && name != "package-lock.json"
}
