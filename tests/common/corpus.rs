//! The shared real-world corpus (`../shared/corpus`), read in place when this checkout sits next
//! to it: its files are not ours to copy into the project. Tests that need a case skip (and say
//! so) on a machine without it.

use std::path::{Path, PathBuf};

/// The folder of a corpus case, or `None` (with a note on stderr) when the corpus is absent.
pub fn case(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(name);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: corpus case {name} is not next to this checkout");
        None
    }
}
