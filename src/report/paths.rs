//! Paths as code hosts want them: relative to the repository root, with `/` separators.
//!
//! GitHub drops results whose path goes through a symlink or lies outside the checkout, so each
//! path is canonicalized before it is made relative to the (canonicalized) root.

use std::path::{Component, Path, PathBuf};

use crate::source::{FileId, SourceDb};

/// The path of every source file, relative to `root` where it lies below it.
pub struct RepoPaths {
    root: PathBuf,
    paths: Vec<RepoPath>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RepoPath {
    /// Below the root: `infra/s3.tf`.
    Relative(String),
    /// Outside the root (or not a file, like `-`): as the user gave it.
    Other(String),
}

impl RepoPath {
    pub fn as_str(&self) -> &str {
        match self {
            RepoPath::Relative(s) | RepoPath::Other(s) => s,
        }
    }
}

fn slashes(path: &Path) -> String {
    let mut out = String::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&s.to_string_lossy());
            }
            Component::RootDir => out.push('/'),
            Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str("..");
            }
        }
    }
    out
}

impl RepoPaths {
    pub fn new(sources: &SourceDb, root: &Path) -> RepoPaths {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let paths = sources
            .files()
            .map(|(_, f)| Self::relativize(&root, &f.path))
            .collect();
        RepoPaths { root, paths }
    }

    fn relativize(root: &Path, path: &Path) -> RepoPath {
        match path.canonicalize() {
            Ok(full) => match full.strip_prefix(root) {
                Ok(rel) => RepoPath::Relative(slashes(rel)),
                Err(_) => RepoPath::Other(slashes(&full)),
            },
            Err(_) => RepoPath::Other(slashes(path)),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn get(&self, file: FileId) -> &RepoPath {
        &self.paths[file.0 as usize]
    }

    pub fn str(&self, file: FileId) -> &str {
        self.get(file).as_str()
    }
}

/// Percent-encodes what may not stand in a URI path (RFC 3986 `pchar` plus `/`).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `file:` URI for a directory, with the trailing slash SARIF needs on base URIs.
pub fn dir_uri(dir: &Path) -> String {
    let mut p = slashes(dir);
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    format!("file://{}", uri_path(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_spaces_and_keeps_separators() {
        assert_eq!(uri_path("infra dir/s3.tf"), "infra%20dir/s3.tf");
        assert_eq!(dir_uri(Path::new("/a b")), "file:///a%20b/");
    }

    #[test]
    fn relative_below_root_other_outside() {
        let dir = std::env::temp_dir().join(format!("repl-lint-paths-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("infra")).unwrap();
        std::fs::write(dir.join("infra/main.tf"), "").unwrap();
        let mut db = SourceDb::new();
        let inside = db.add(dir.join("infra/./main.tf"), "");
        let stdin = db.add("-", "");
        let paths = RepoPaths::new(&db, &dir);
        assert_eq!(
            paths.get(inside),
            &RepoPath::Relative("infra/main.tf".into())
        );
        assert_eq!(paths.get(stdin), &RepoPath::Other("-".into()));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
