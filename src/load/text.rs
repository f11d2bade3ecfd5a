//! Bytes to text, and which format a text is in.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::source::{FileKind, SourceText};

/// Why a file is not text: the message, and for bytes that are not UTF-8 their lossy decoding
/// with the offset of the first bad byte, so the error can point at it.
#[derive(Debug)]
pub struct ReadError {
    pub message: String,
    pub undecodable: Option<(String, usize)>,
}

impl ReadError {
    fn plain(message: String) -> ReadError {
        ReadError {
            message,
            undecodable: None,
        }
    }

    fn decoding(bytes: &[u8], message: String) -> ReadError {
        ReadError {
            message,
            undecodable: invalid_utf8_offset(bytes)
                .map(|offset| (String::from_utf8_lossy(bytes).into_owned(), offset)),
        }
    }
}

/// Files at least this large are mapped rather than read into the heap. Smaller ones are cheap to
/// hold, and a mapping costs a system call and a region of address space each.
pub const MAP_MIN_BYTES: u64 = 8 << 20;

/// Reads a file into the text that [`crate::source::SourceDb`] keeps, holding a large UTF-8 file
/// once: a file of [`MAP_MIN_BYTES`] or more is mapped ([`MappedText`]), a smaller one is read
/// straight into its final buffer, with no byte vector and no `String` on the way (a 100 MB plan
/// held three times was most of the peak memory). Files with a BOM, and files that change size
/// while read, go through [`decode`].
///
/// What is not a regular file is refused before it is opened: opening a named pipe blocks until
/// someone writes to it.
pub fn read_shared(path: &Path) -> Result<SourceText, ReadError> {
    read_shared_mapping_from(path, MAP_MIN_BYTES)
}

fn read_shared_mapping_from(path: &Path, map_min: u64) -> Result<SourceText, ReadError> {
    let io = |e: std::io::Error| ReadError::plain(format!("cannot read {}: {e}", path.display()));
    let size = readable_size(path).map_err(ReadError::plain)?;
    let mut file = std::fs::File::open(path).map_err(io)?;
    if size >= map_min
        && let Some(mapped) = MappedText::map(&file, size)?
    {
        return Ok(SourceText::mapped(mapped));
    }
    if let Ok(len) = usize::try_from(size) {
        let mut buffer: Arc<[u8]> = std::iter::repeat_n(0u8, len).collect();
        if let Some(bytes) = Arc::get_mut(&mut buffer)
            && file.read_exact(bytes).is_ok()
            && file.read(&mut [0u8; 1]).map_err(io)? == 0
            && !has_bom(&buffer)
        {
            return shared_utf8(buffer).map(SourceText::from);
        }
    }
    decode_shared(std::fs::read(path).map_err(io)?)
}

/// Whether `bytes` are UTF-8, checked in pieces on all cores (reading a large mapped file's
/// pages in for the first time is most of the cost). Pieces are cut before a byte that starts a
/// character, so the whole is UTF-8 exactly when every piece is; a cut that finds none (the
/// text is not UTF-8 there) may fail a piece, and `false` sends the caller to the one check
/// that says where.
fn is_utf8_on_all_cores(bytes: &[u8]) -> bool {
    is_utf8_in_pieces(bytes, 1 << 20)
}

fn is_utf8_in_pieces(bytes: &[u8], piece_len: usize) -> bool {
    let piece_len = piece_len.max(1);
    let mut pieces = Vec::with_capacity(bytes.len() / piece_len + 1);
    let mut rest = bytes;
    while rest.len() > piece_len {
        // At most three continuation bytes (`10xxxxxx`) follow a character's first byte; the
        // end of the text is a cut as well.
        let cut = (piece_len..piece_len + 4)
            .find(|&i| rest.get(i).is_none_or(|b| b & 0xC0 != 0x80))
            .unwrap_or(piece_len);
        let (piece, tail) = rest.split_at(cut);
        pieces.push(piece);
        rest = tail;
    }
    pieces.push(rest);
    pieces
        .par_iter()
        .all(|piece| std::str::from_utf8(piece).is_ok())
}

/// The text of a large file, mapped read-only: after loading, [`MappedText::release_resident`]
/// lets the kernel drop its pages from the process, and only the few a report reads come back
/// (from the page cache). A heap copy would stay resident to the end of the run, when the model,
/// the graph and the findings are at their largest.
///
/// The caveat of any mapping: the text is the file as it is on disk during the run. A file
/// truncated by another process meanwhile (`terraform show -json tfplan > plan.json` run again)
/// makes a later read of the lost pages fail with `SIGBUS`, which ends the run; a file rewritten
/// in place may show its new bytes in snippets. Writing a new file and renaming it over the old
/// one leaves the mapped file intact.
pub struct MappedText {
    map: memmap2::Mmap,
}

impl MappedText {
    /// Maps `file`, whose size was `size` when checked. `None` when it is not plain UTF-8 of
    /// that size (a BOM, or a file that changed meanwhile): [`decode`] reads those.
    fn map(file: &std::fs::File, size: u64) -> Result<Option<MappedText>, ReadError> {
        // SAFETY: the mapping is private and read-only, so nothing in this process writes to it;
        // another process truncating or rewriting the file is the caveat documented on the type.
        let Ok(map) = (unsafe { memmap2::MmapOptions::new().map_copy_read_only(file) }) else {
            return Ok(None);
        };
        if u64::try_from(map.len()) != Ok(size) || has_bom(&map) {
            return Ok(None);
        }
        if !is_utf8_on_all_cores(&map)
            && let Err(e) = std::str::from_utf8(&map)
        {
            return Err(ReadError::decoding(&map, not_utf8(e)));
        }
        Ok(Some(MappedText { map }))
    }

    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes were checked to be UTF-8 when mapped, and the mapping is read-only
        // for this process. It holds only while no other process rewrites the file in place
        // during the run: the caveat documented on the type, which the README states as well.
        unsafe { std::str::from_utf8_unchecked(&self.map) }
    }

    /// [`MappedText::release_resident`] for the pages wholly inside `range`: a page that also
    /// holds bytes outside it stays, so a loader that is done with one part keeps the rest.
    pub fn release_resident_range(&self, range: std::ops::Range<usize>) {
        const PAGE: usize = 4096;
        let start = range.start.div_ceil(PAGE) * PAGE;
        let end = range.end.min(self.map.len()) / PAGE * PAGE;
        if start >= end {
            return;
        }
        #[cfg(unix)]
        {
            // SAFETY: as in `release_resident`: the mapping is private, read-only and never
            // written. With pages larger than 4 KiB, memmap2 rounds the start down to a page:
            // a page partly outside the range may go too, which costs a re-read, not correctness.
            let _ = unsafe {
                self.map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    start,
                    end - start,
                )
            };
        }
    }

    /// Drops the mapping's pages from the process's resident memory; reading them again faults
    /// them back in from the page cache (or the disk).
    pub fn release_resident(&self) {
        #[cfg(unix)]
        {
            // SAFETY: MADV_DONTNEED on a private mapping discards the process's copy of the pages:
            // pages it wrote to would revert to the file's bytes. This mapping is read-only and
            // never written, so its contents stay those of the file (see the caveat above).
            // Failing only leaves the pages resident.
            let _ = unsafe {
                self.map
                    .unchecked_advise(memmap2::UncheckedAdvice::DontNeed)
            };
        }
    }
}

/// Decodes owned bytes into shared text: UTF-8 without BOM reuses their buffer.
pub fn decode_shared(bytes: Vec<u8>) -> Result<SourceText, ReadError> {
    if has_bom(&bytes) {
        return decode(&bytes)
            .map(SourceText::from)
            .map_err(|m| ReadError::decoding(&bytes, m));
    }
    String::from_utf8(bytes).map(SourceText::from).map_err(|e| {
        let message = not_utf8(e.utf8_error());
        ReadError::decoding(e.as_bytes(), message)
    })
}

fn has_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
}

fn shared_utf8(bytes: Arc<[u8]>) -> Result<Arc<str>, ReadError> {
    if let Err(e) = std::str::from_utf8(&bytes) {
        return Err(ReadError::decoding(&bytes, not_utf8(e)));
    }
    let raw = Arc::into_raw(bytes) as *const str;
    // SAFETY: the bytes were just checked to be UTF-8, `str` has the layout of `[u8]`, and the
    // pointer comes from `Arc::into_raw` of an `Arc` of that layout, as `Arc::from_raw` requires.
    Ok(unsafe { Arc::from_raw(raw) })
}

fn not_utf8(e: std::str::Utf8Error) -> String {
    format!(
        "the file is not valid UTF-8 (invalid byte at offset {}); save it as UTF-8",
        e.valid_up_to()
    )
}

/// Decodes a file: UTF-8 with or without BOM, or UTF-16 with a BOM (as PowerShell's `>` writes).
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(not_utf8(e)),
    }
}

/// Where decoding failed, for a span: the offset of the first invalid byte of a UTF-8 file.
/// The text before it is the same in a lossy decoding, so the span lands on the right line.
pub fn invalid_utf8_offset(bytes: &[u8]) -> Option<usize> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let skipped = bytes.len() - body.len();
    std::str::from_utf8(body)
        .err()
        .map(|e| e.valid_up_to() + skipped)
}

/// Inputs larger than this are refused: spans are 32-bit and nobody reviews a 1 GiB template.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Reads an input file, refusing what is not a regular file: a named pipe would block the
/// run forever, a device could be endless.
pub fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    readable_size(path)?;
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The size of a regular file of at most [`MAX_INPUT_BYTES`], asked before it is opened.
fn readable_size(path: &Path) -> Result<u64, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!(
            "{} is not a regular file (a folder, pipe, socket or device); not read",
            path.display()
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "{} is {} MiB, more than the {} MiB repl-lint reads",
            path.display(),
            meta.len() >> 20,
            MAX_INPUT_BYTES >> 20
        ));
    }
    Ok(meta.len())
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("the file looks like UTF-16 but has an odd number of bytes".into());
    }
    let units = bytes
        .chunks_exact(2)
        .map(|c| unit(<[u8; 2]>::try_from(c).unwrap_or_default()));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| {
            "the file is UTF-16 with an invalid surrogate pair; save it as UTF-8".to_string()
        })
}

/// Recognizes a file's format by its content (and, for HCL, its name).
pub fn sniff(path: &Path, text: &str) -> FileKind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with(".tf") {
        return FileKind::Terraform;
    }
    if name.ends_with(".tfvars") {
        return FileKind::TfVars;
    }
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('{') || head.starts_with('[') {
        // Look only at the first part of a large file: plans start with `format_version`.
        let window = &text[..floor_char_boundary(text, 4096)];
        if window.contains("\"format_version\"")
            && (text.contains("\"planned_values\"")
                || text.contains("\"resource_changes\"")
                || text.contains("\"values\""))
        {
            return FileKind::Plan;
        }
        if text.contains("\"Resources\"") && text.contains("\"AWS::") {
            return FileKind::CloudFormationJson;
        }
        if looks_like_policy(text) {
            return FileKind::Policy;
        }
        if name.ends_with(".tf.json") {
            return FileKind::Terraform;
        }
        // A YAML template written in flow style.
        if is_yaml_name(name) && text.contains("Resources") && text.contains("AWS::") {
            return FileKind::CloudFormationYaml;
        }
        return FileKind::Other;
    }
    // Policy snippets copied from documentation with text around them (`...`): reported as
    // policy documents that do not parse, at the offending position.
    if !is_yaml_name(name) && looks_like_policy(text) {
        return FileKind::Policy;
    }
    let yamlish = is_yaml_name(name);
    // A top-level `Resources:` key and an AWS resource type: other YAML (CI workflows, compose
    // files) that merely mentions resources is not a template.
    let resources_key = text
        .lines()
        .any(|l| l.starts_with("Resources:") || l.starts_with("\"Resources\":"));
    if (yamlish || text.contains("AWSTemplateFormatVersion"))
        && resources_key
        && text.contains("AWS::")
    {
        return FileKind::CloudFormationYaml;
    }
    FileKind::Other
}

/// JSON with a policy's keys: a document, or statements without their document.
fn looks_like_policy(text: &str) -> bool {
    text.contains("\"Statement\"")
        || text.contains("\"statement\"")
        || (text.contains("\"Effect\"")
            && (text.contains("\"Action\"") || text.contains("\"NotAction\"")))
}

fn is_yaml_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template")
}

fn floor_char_boundary(text: &str, max: usize) -> usize {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Checked in pieces of any length, bytes are UTF-8 exactly when they are as a whole.
        #[test]
        fn pieces_agree_with_one_check(
            parts in prop::collection::vec(
                prop_oneof![
                    "[a\u{e9}\u{20ac}\u{1f600}\n]{0,6}".prop_map(String::into_bytes),
                    prop::collection::vec(any::<u8>(), 0..3),
                ],
                0..12,
            ),
            piece_len in 1usize..9,
        ) {
            let bytes = parts.concat();
            prop_assert_eq!(
                is_utf8_in_pieces(&bytes, piece_len),
                std::str::from_utf8(&bytes).is_ok()
            );
        }
    }

    #[test]
    fn decodes_boms_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBF{}").unwrap(), "{}");
        assert_eq!(decode(b"\xFF\xFE{\x00}\x00").unwrap(), "{}");
        assert!(decode(b"\xFF\xFE{").is_err());
        assert!(decode(b"{\xC3}").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn shared_reads_match_decode() {
        let dir = std::env::temp_dir().join(format!("repl-lint-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cases: [&[u8]; 5] = [
            b"",
            b"{}",
            "h\u{e9}llo".as_bytes(),
            b"\xEF\xBB\xBF{}",
            b"{\xC3}",
        ];
        for (i, bytes) in cases.iter().enumerate() {
            let path = dir.join(format!("case-{i}"));
            std::fs::write(&path, bytes).unwrap();
            let as_text =
                |r: Result<SourceText, ReadError>| r.map(|t| t.to_string()).map_err(|e| e.message);
            assert_eq!(as_text(read_shared(&path)), decode(bytes), "case {i}");
            let mapped = read_shared_mapping_from(&path, 1);
            if let Ok(text) = &mapped {
                assert_eq!(text.is_mapped(), !bytes.is_empty() && !has_bom(bytes));
                text.release_resident();
            }
            assert_eq!(as_text(mapped), decode(bytes), "case {i} mapped");
            let undecodable = |r: Result<SourceText, ReadError>| r.err().map(|e| e.undecodable);
            assert_eq!(
                undecodable(read_shared_mapping_from(&path, 1)),
                undecodable(read_shared(&path)),
                "case {i}"
            );
            assert_eq!(
                as_text(decode_shared(bytes.to_vec())),
                decode(bytes),
                "case {i}"
            );
        }
        assert!(read_shared(&dir.join("missing")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn yaml_templates_by_content() {
        let t = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n";
        assert_eq!(sniff(Path::new("t.yaml"), t), FileKind::CloudFormationYaml);
        assert_eq!(sniff(Path::new("t.txt"), t), FileKind::Other);
        let with_version = format!("AWSTemplateFormatVersion: 2010-09-09\n{t}");
        assert_eq!(
            sniff(Path::new("t.txt"), &with_version),
            FileKind::CloudFormationYaml
        );
        let workflow = "jobs:\n  build:\n    steps: []\n# Resources: none\n";
        assert_eq!(sniff(Path::new("ci.yml"), workflow), FileKind::Other);
    }
}
