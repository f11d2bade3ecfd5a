//! Source files, byte spans and locations.
//!
//! Every value the model keeps carries a [`Loc`]: loaders know byte spans directly. Policies
//! embedded as JSON strings inside another file are parsed from the decoded string, and their
//! locations are mapped back to the exact bytes of the outer file.

mod lines;
mod text;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lines::LineIndex;
pub use text::SourceText;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }
}

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Loc {
    #[default]
    None,
    Span(Span),
    /// A range of a decoded string whose literal sits at `string`: offsets count bytes of the
    /// decoded text (for example a policy document held in a JSON string of a plan).
    InString {
        string: Arc<StringOrigin>,
        start: u32,
        end: u32,
    },
}

/// The literal that holds an embedded document, and how decoded offsets map to its raw bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StringOrigin {
    /// A JSON string literal (with quotes) at this location: escapes are re-read on resolution.
    JsonLiteral(Loc),
    /// Decoded offset → raw file offset checkpoints, sorted by decoded offset; between two
    /// checkpoints the text is copied byte for byte.
    Mapped {
        file: FileId,
        checkpoints: Arc<[(u32, u32)]>,
    },
}

impl Loc {
    pub fn span(file: FileId, start: usize, end: usize) -> Loc {
        Loc::Span(Span::new(file, start, end))
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Loc::None)
    }

    pub fn file(&self) -> Option<FileId> {
        match self {
            Loc::None => None,
            Loc::Span(s) => Some(s.file),
            Loc::InString { string, .. } => match string.as_ref() {
                StringOrigin::JsonLiteral(l) => l.file(),
                StringOrigin::Mapped { file, .. } => Some(*file),
            },
        }
    }

    /// This location if it is set, otherwise `fallback`.
    pub fn or(&self, fallback: &Loc) -> Loc {
        if self.is_none() {
            fallback.clone()
        } else {
            self.clone()
        }
    }
}

/// What kind of input a file holds, decided by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Plan,
    Terraform,
    TfVars,
    CloudFormationJson,
    CloudFormationYaml,
    Policy,
    Other,
}

pub struct SourceFile {
    /// The path as the user gave it (or as found below a directory they gave).
    pub path: PathBuf,
    pub text: SourceText,
    /// The format recognized from the content, for a file given (or found) as an input; files
    /// that a loader reads for itself (a module's .tf files) have none.
    pub kind: Option<FileKind>,
    lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: SourceText) -> SourceFile {
        let lines = LineIndex::new(text.as_bytes());
        SourceFile {
            path,
            text,
            kind: None,
            lines,
        }
    }

    /// 1-based line and column (columns count characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        self.lines.line_col(&self.text, offset as usize)
    }

    pub fn line_start(&self, line0: usize) -> Option<u32> {
        self.lines
            .line_start(&self.text, line0)
            .map(|start| start as u32)
    }

    pub fn line_count(&self) -> usize {
        self.lines.line_count()
    }
}

/// All files of one run.
#[derive(Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn new() -> SourceDb {
        SourceDb::default()
    }

    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<SourceText>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(path.into(), text.into()));
        id
    }

    /// Records the format recognized from a file's content.
    pub fn set_kind(&mut self, id: FileId, kind: FileKind) {
        if let Some(file) = self.files.get_mut(id.0 as usize) {
            file.kind = Some(kind);
        }
    }

    /// Lets the kernel drop the pages of mapped texts from the process's memory once loading is
    /// over: what comes after reads only the few places findings point at, and those pages come
    /// back from the page cache.
    pub fn release_resident(&self) {
        for file in &self.files {
            file.text.release_resident();
        }
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.get(id).text
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The byte span a location stands for, if it can be found.
    pub fn resolve(&self, loc: &Loc) -> Option<Span> {
        match loc {
            Loc::None => None,
            Loc::Span(s) => Some(*s),
            Loc::InString { string, start, end } => match string.as_ref() {
                StringOrigin::JsonLiteral(outer) => {
                    let lit = self.resolve(outer)?;
                    let text = self.files.get(lit.file.0 as usize)?.text.as_bytes();
                    let raw = text.get(lit.start as usize..lit.end as usize)?;
                    let s = crate::syntax::json_locate::decoded_to_raw(raw, *start as usize)?;
                    let e = crate::syntax::json_locate::decoded_to_raw(raw, *end as usize)?;
                    Some(Span::new(
                        lit.file,
                        lit.start as usize + s,
                        lit.start as usize + e,
                    ))
                }
                StringOrigin::Mapped { file, checkpoints } => {
                    let map = |d: u32| -> u32 {
                        let i = match checkpoints.binary_search_by_key(&d, |c| c.0) {
                            Ok(i) => i,
                            Err(0) => return d,
                            Err(i) => i - 1,
                        };
                        let (dec, raw) = checkpoints[i];
                        raw + (d - dec)
                    };
                    Some(Span {
                        file: *file,
                        start: map(*start),
                        end: map(*end).max(map(*start)),
                    })
                }
            },
        }
    }
}
