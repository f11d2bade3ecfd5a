//! The text of a source file, held in the heap or mapped.

use std::sync::Arc;

/// The text of a source file: in the heap, or mapped from a large file
/// ([`crate::load::text::MappedText`]).
pub struct SourceText(TextStorage);

enum TextStorage {
    Heap(Arc<str>),
    Mapped(crate::load::text::MappedText),
}

impl SourceText {
    pub fn mapped(text: crate::load::text::MappedText) -> SourceText {
        SourceText(TextStorage::Mapped(text))
    }

    pub fn is_mapped(&self) -> bool {
        matches!(self.0, TextStorage::Mapped(_))
    }

    /// [`SourceText::release_resident`] for the pages that lie wholly inside `range` (byte
    /// offsets of the text).
    pub fn release_resident_range(&self, range: std::ops::Range<usize>) {
        if let TextStorage::Mapped(mapped) = &self.0 {
            mapped.release_resident_range(range);
        }
    }

    /// Lets the kernel drop a mapped text's pages from the process's memory until they are read
    /// again; a text in the heap stays as it is.
    pub fn release_resident(&self) {
        if let TextStorage::Mapped(mapped) = &self.0 {
            mapped.release_resident();
        }
    }
}

impl std::ops::Deref for SourceText {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0 {
            TextStorage::Heap(text) => text,
            TextStorage::Mapped(mapped) => mapped.as_str(),
        }
    }
}

impl From<Arc<str>> for SourceText {
    fn from(text: Arc<str>) -> SourceText {
        SourceText(TextStorage::Heap(text))
    }
}

impl From<String> for SourceText {
    fn from(text: String) -> SourceText {
        SourceText(TextStorage::Heap(text.into()))
    }
}

impl From<&str> for SourceText {
    fn from(text: &str) -> SourceText {
        SourceText(TextStorage::Heap(text.into()))
    }
}
