//! Reading and parsing the .tf files of one folder, and the byte maps of string literals.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::structure::{Block, Body, Structure};

use super::hcl;
use crate::model::InputError;
use crate::source::{FileId, Loc, SourceDb};

/// Files bigger than this are not Terraform anyone reviews; they are refused, not parsed.
const MAX_FILE_BYTES: u64 = 16 << 20;

pub struct Parsed {
    pub file: FileId,
    pub text: Arc<str>,
    pub body: Body,
}

/// A file read and parsed ahead of the module evaluation that uses it, on another core.
pub struct Prepared {
    text: Arc<str>,
    body: Body,
}

/// The root module files `files` read and parsed on all cores, by path. A file that cannot be
/// read, decoded or parsed is left out: [`parse_file`] reads it again and reports why.
pub fn prepare(files: &[PathBuf]) -> std::collections::HashMap<PathBuf, Prepared> {
    use rayon::prelude::*;
    files
        .par_iter()
        .filter(|f| f.extension().is_some_and(|x| x == "tf"))
        .filter_map(|path| {
            let text = read_text(path).ok()?;
            let body = hcl::body(&text).ok()?;
            Some((path.clone(), Prepared { text, body }))
        })
        .collect()
}

/// Why a file's text could not be had: the message, and the bytes when they were read.
struct Unreadable {
    message: String,
    bytes: Option<Vec<u8>>,
}

/// The text of a .tf file, refused past [`MAX_FILE_BYTES`].
fn read_text(path: &Path) -> Result<Arc<str>, Unreadable> {
    let plain = |message| Unreadable {
        message,
        bytes: None,
    };
    if std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_FILE_BYTES) {
        return Err(plain(format!(
            "{}: larger than 16 MiB; not read",
            path.display()
        )));
    }
    let bytes = crate::load::text::read_input(path).map_err(plain)?;
    match crate::load::text::decode(&bytes) {
        Ok(text) => Ok(text.into()),
        Err(message) => Err(Unreadable {
            message,
            bytes: Some(bytes),
        }),
    }
}

/// Reads and parses one file, unless `prepared` already did; errors become input errors (with
/// the span of the bad token).
pub fn parse_file(
    path: &Path,
    db: &mut SourceDb,
    errors: &mut Vec<InputError>,
    prepared: Option<Prepared>,
) -> Option<Parsed> {
    if let Some(Prepared { text, body }) = prepared {
        let file = db.add(path, text.clone());
        return Some(Parsed { file, text, body });
    }
    match read_text(path) {
        Ok(text) => {
            let file = db.add(path, text.clone());
            parse_text(file, text, errors)
        }
        Err(Unreadable { message, bytes }) => {
            errors.push(crate::load::unreadable(db, path, bytes.as_deref(), message));
            None
        }
    }
}

pub fn parse_text(file: FileId, text: Arc<str>, errors: &mut Vec<InputError>) -> Option<Parsed> {
    match hcl::body(&text) {
        Ok(body) => Some(Parsed { file, text, body }),
        Err(e) => {
            let message = match legacy_hint(&text) {
                Some(hint) => format!(
                    "this file uses Terraform 0.11 syntax ({hint}), which Terraform 0.12 and later \
                     reject; upgrade it with `terraform 0.12upgrade` (parser: {})",
                    e.message
                ),
                None => format!("invalid HCL: {}", e.message),
            };
            errors.push(InputError {
                loc: Loc::span(file, e.start, e.end),
                file,
                message,
                warning: false,
            });
            None
        }
    }
}

/// What in a file that HCL2 rejects looks like Terraform 0.11.
fn legacy_hint(text: &str) -> Option<&'static str> {
    for line in text.lines() {
        let t = line.trim_start();
        // `"name" = ...` as an argument: 0.11 accepted quoted argument names.
        if let Some(rest) = t.strip_prefix('"')
            && let Some(close) = rest.find('"')
            && rest[..close]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && rest[close + 1..].trim_start().starts_with('=')
        {
            return Some("quoted argument names such as `\"name\" = ...`");
        }
    }
    // `"${var.x}"` values are not a sign: Terraform 0.12 and later still accept them, so a
    // modern file with an unrelated syntax error must not be called 0.11.
    None
}

/// A top-level block with the file it was written in.
#[derive(Clone)]
pub struct FBlock {
    pub file: FileId,
    pub block: Rc<Block>,
}

impl FBlock {
    pub fn label(&self, i: usize) -> &str {
        self.block.labels.get(i).map_or("", |l| l.as_str())
    }

    /// `resource "type" "name"`: findings about a missing setting point here.
    pub fn header(&self) -> Loc {
        let b = &self.block;
        let start = b.ident.span().map(|r| r.start);
        let end = b
            .labels
            .last()
            .and_then(|l| l.span())
            .or_else(|| b.ident.span())
            .map(|r| r.end);
        match (start, end) {
            (Some(s), Some(e)) => Loc::span(self.file, s, e),
            _ => span_loc(self.file, b.span()),
        }
    }
}

pub fn span_loc(file: FileId, r: Option<std::ops::Range<usize>>) -> Loc {
    match r {
        Some(r) => Loc::span(file, r.start, r.end),
        None => Loc::None,
    }
}

/// The blocks of one module folder, sorted by kind.
#[derive(Default)]
pub struct ModuleSource {
    pub dir: PathBuf,
    pub variables: Vec<FBlock>,
    /// `locals` attributes: (file, name, attribute).
    pub locals: Vec<(FileId, Rc<hcl_edit::structure::Attribute>)>,
    pub outputs: Vec<FBlock>,
    pub resources: Vec<FBlock>,
    pub data: Vec<FBlock>,
    pub modules: Vec<FBlock>,
    pub providers: Vec<FBlock>,
    pub texts: Vec<(FileId, Arc<str>)>,
    /// A file of the folder did not parse: Terraform refuses the whole module, and so do we
    /// (what is left would give findings about a configuration that does not exist).
    pub broken: bool,
}

impl ModuleSource {
    pub fn add(&mut self, parsed: Parsed) {
        self.texts.push((parsed.file, parsed.text));
        for s in parsed.body.into_iter() {
            let Structure::Block(block) = s else { continue };
            let fb = FBlock {
                file: parsed.file,
                block: Rc::new(block),
            };
            match fb.block.ident.as_str() {
                "variable" => self.variables.push(fb),
                "output" => self.outputs.push(fb),
                "resource" => self.resources.push(fb),
                "data" => self.data.push(fb),
                "module" => self.modules.push(fb),
                "provider" => self.providers.push(fb),
                "locals" => {
                    for a in fb.block.body.attributes() {
                        self.locals.push((fb.file, Rc::new(a.clone())));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Decoded → raw checkpoints for a literal whose raw bytes start at `raw_start`: escapes
/// (`\"`, `\n`, `\u00e9`, `$${`) and heredoc indentation make the two drift apart.
pub fn align(raw: &str, raw_start: usize, decoded: &str, escapes: bool) -> Vec<(u32, u32)> {
    let mut cps = vec![(0u32, raw_start as u32)];
    let mut delta: i64 = 0;
    let mut r = 0usize;
    let rb = raw.as_bytes();
    for (d, ch) in decoded.char_indices() {
        let pos;
        loop {
            if r >= raw.len() {
                return cps;
            }
            if escapes && rb.get(r) == Some(&b'\\') {
                let (c, len) = unescape_at(&raw[r..]);
                let at = r;
                r += len.max(1);
                if c == Some(ch) {
                    pos = at;
                    break;
                }
                continue;
            }
            let Some(rc) = raw.get(r..).and_then(|t| t.chars().next()) else {
                return cps;
            };
            let at = r;
            r += rc.len_utf8();
            if rc == ch {
                pos = at;
                break;
            }
        }
        let dd = pos as i64 - d as i64;
        if dd != delta {
            cps.push((d as u32, (raw_start + pos) as u32));
            delta = dd;
        }
    }
    cps
}

fn unescape_at(s: &str) -> (Option<char>, usize) {
    let mut it = s.chars();
    it.next();
    match it.next() {
        Some('n') => (Some('\n'), 2),
        Some('r') => (Some('\r'), 2),
        Some('t') => (Some('\t'), 2),
        Some('"') => (Some('"'), 2),
        Some('\\') => (Some('\\'), 2),
        Some('u') => {
            let hex = s.get(2..6).unwrap_or("");
            (
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                6,
            )
        }
        Some('U') => {
            let hex = s.get(2..10).unwrap_or("");
            (
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                10,
            )
        }
        Some(c) => (Some(c), 1 + c.len_utf8()),
        None => (None, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn align_tracks_escapes() {
        let raw = r#"a\"b\nc"#;
        let cps = align(raw, 10, "a\"b\nc", true);
        assert_eq!(cps.first(), Some(&(0, 10)));
        // `"` (decoded 1) sits at raw 1 (the backslash); `c` (decoded 4) at raw 6.
        let map = crate::load::terraform::value::TextMap {
            file: crate::source::FileId(0),
            checkpoints: cps,
        };
        assert_eq!(map.raw(4), 16);
    }
}
