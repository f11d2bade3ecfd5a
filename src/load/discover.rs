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
            let called = called_modules(&tf_dirs);
            for (dir, files) in tf_dirs {
                // A folder only called as a local module is loaded through its callers, with
                // their inputs; alone its variables would be unknown.
                let canon = dir.canonicalize().unwrap_or_else(|_| dir.clone());
                if called.contains(&canon) {
                    continue;
                }
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
        let looks_like_input =
            is_candidate(name) || name.ends_with(".tf") || name.ends_with(".tf.json");
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                if looks_like_input {
                    unreadable_entry(
                        &path,
                        format!("cannot read {}: {e}", path.display()),
                        model,
                        db,
                    );
                }
                continue;
            }
        };
        if !meta.is_dir() && !meta.is_file() {
            if looks_like_input {
                unreadable_entry(
                    &path,
                    format!(
                        "{} is not a regular file (a pipe, socket or device); not read",
                        path.display()
                    ),
                    model,
                    db,
                );
            }
            continue;
        }
        if meta.is_dir() {
            // A link to this folder or one above it is a loop: following it would only repeat.
            let is_link =
                std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            if is_link
                && let (Ok(target), Ok(here)) = (path.canonicalize(), dir.canonicalize())
                && here.starts_with(&target)
            {
                continue;
            }
            walk(&path, depth + 1, units, tf_dirs, model, db);
        } else if name.ends_with(".tf") || name.ends_with(".tf.json") {
            tf_dirs.entry(dir.to_path_buf()).or_default().push(path);
        } else if is_candidate(name) {
            units.push(Unit::File { path, bytes: None });
        }
    }
}

/// A directory entry named like an input that cannot be read: said, never skipped silently.
fn unreadable_entry(path: &Path, message: String, model: &mut Model, db: &mut SourceDb) {
    model
        .input_errors
        .push(super::unreadable(db, path, None, message));
}

/// Folders that another scanned folder calls as a local module (`source = "../x"`). The files
/// are read on all cores; each folder's own path is resolved once.
fn called_modules(
    tf_dirs: &BTreeMap<PathBuf, Vec<PathBuf>>,
) -> std::collections::BTreeSet<PathBuf> {
    use rayon::prelude::*;
    let resolved: Vec<(&PathBuf, &Vec<PathBuf>, Option<PathBuf>)> = tf_dirs
        .iter()
        .map(|(dir, files)| (dir, files, dir.canonicalize().ok()))
        .collect();
    let scanned: std::collections::HashSet<&PathBuf> =
        resolved.iter().filter_map(|(_, _, c)| c.as_ref()).collect();
    resolved
        .par_iter()
        .flat_map_iter(|(dir, files, canonical)| {
            let own = canonical.as_ref().unwrap_or(dir);
            let mut targets = Vec::new();
            for f in files.iter() {
                let Ok(text) = std::fs::read_to_string(f) else {
                    continue;
                };
                for source in local_sources(&text) {
                    if let Ok(target) = dir.join(source).canonicalize()
                        && target != **own
                        && scanned.contains(&target)
                    {
                        targets.push(target);
                    }
                }
            }
            targets
        })
        .collect()
}

/// `source = "./x"` / `"../x"` arguments, found without parsing (a file that does not parse is
/// reported when its module is loaded).
fn local_sources(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix("source") else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('"') else {
            continue;
        };
        let Some(end) = rest.find('"') else { continue };
        let value = &rest[..end];
        if value.starts_with("./") || value.starts_with("../") {
            out.push(value);
        }
    }
    out
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
        && !name.contains(".tfvars")
        && name != "package.json"
        && name != "package-lock.json"
}
