//! Lines and columns of byte offsets.

use rayon::prelude::*;

/// Lines are found by counting newlines from the start of the block an offset is in, and columns
/// by counting characters the same way: a list of every line start took 17 MB for a 100 MB
/// plan, two counts per block take 200 KB. A lookup counts at most a block or two, and so reads
/// a page or two of a mapped text, also on the one long line of a minified plan.
const LINE_BLOCK: usize = 4096;

pub(super) struct LineIndex {
    /// Entry `k`: the newlines in the text before byte `k * LINE_BLOCK`, for every block start
    /// up to the text's length included.
    newlines_before_block: Vec<u32>,
    /// Entry `k`: the characters in the text before byte `k * LINE_BLOCK`, likewise; counted
    /// the first time a column is asked for on a line longer than a block.
    chars_before_block: std::sync::OnceLock<Vec<u32>>,
    newlines: u32,
}

/// For every block start up to the text's length included: the sum of `count` over the blocks
/// before it (the last entry is the whole text's). A large text's blocks are counted on all
/// cores.
fn before_each_block(text: &[u8], count: impl Fn(&[u8]) -> usize + Sync) -> Vec<u32> {
    const PARALLEL_FROM: usize = 1 << 20;
    let counts: Vec<u32> = if text.len() >= PARALLEL_FROM {
        text.par_chunks(LINE_BLOCK)
            .map(|block| count(block) as u32)
            .collect()
    } else {
        text.chunks(LINE_BLOCK)
            .map(|block| count(block) as u32)
            .collect()
    };
    let mut out = Vec::with_capacity(counts.len() + 1);
    let mut sum = 0u32;
    for n in counts {
        out.push(sum);
        sum += n;
    }
    out.push(sum);
    out
}

/// The characters that start in `bytes` (every byte but UTF-8 continuation bytes).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub(super) fn new(text: &[u8]) -> LineIndex {
        let newlines_before_block =
            before_each_block(text, |block| memchr::memchr_iter(b'\n', block).count());
        let newlines = newlines_before_block.last().copied().unwrap_or(0);
        LineIndex {
            newlines_before_block,
            chars_before_block: std::sync::OnceLock::new(),
            newlines,
        }
    }

    /// 1-based line and column (columns count characters) of a byte offset; offsets past the
    /// end count as the end.
    pub(super) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let bytes = text.as_bytes();
        let offset = offset.min(bytes.len());
        let block = offset / LINE_BLOCK;
        let block_start = block * LINE_BLOCK;
        let newlines_before = self.newlines_before_block[block] as usize;
        let line0 =
            newlines_before + memchr::memchr_iter(b'\n', &bytes[block_start..offset]).count();
        let line_start = match memchr::memrchr(b'\n', &bytes[block_start..offset]) {
            Some(i) => block_start + i + 1,
            None => self.line_start(text, newlines_before).unwrap_or(0),
        };
        let mut end = offset;
        while end > line_start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = if end - line_start <= LINE_BLOCK {
            chars_in(&bytes[line_start..end])
        } else {
            self.chars_before(bytes, end) - self.chars_before(bytes, line_start)
        };
        (line0 + 1, column + 1)
    }

    /// The characters before byte `offset`.
    fn chars_before(&self, bytes: &[u8], offset: usize) -> usize {
        let before_block = self
            .chars_before_block
            .get_or_init(|| before_each_block(bytes, chars_in));
        let block = offset / LINE_BLOCK;
        before_block[block] as usize + chars_in(&bytes[block * LINE_BLOCK..offset])
    }

    /// The byte offset where 0-based line `line0` starts.
    pub(super) fn line_start(&self, text: &str, line0: usize) -> Option<usize> {
        if line0 == 0 {
            return Some(0);
        }
        if line0 > self.newlines as usize {
            return None;
        }
        // The newline that ends line `line0 - 1` lies in the last block that has fewer newlines
        // before it.
        let block = self
            .newlines_before_block
            .partition_point(|&n| (n as usize) < line0)
            - 1;
        let block_start = block * LINE_BLOCK;
        let skip = line0 - 1 - self.newlines_before_block[block] as usize;
        memchr::memchr_iter(b'\n', &text.as_bytes()[block_start..])
            .nth(skip)
            .map(|i| block_start + i + 1)
    }

    pub(super) fn line_count(&self) -> usize {
        self.newlines as usize + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_texts_blocks_are_counted_as_a_small_ones() {
        let text = "a\u{e9}\n\u{1f600}b\n\n".repeat(300_000);
        assert!(text.len() > 2 << 20);
        let serial: Vec<u32> = {
            let mut sum = 0;
            let mut out: Vec<u32> = text
                .as_bytes()
                .chunks(LINE_BLOCK)
                .map(|block| {
                    let before = sum;
                    sum += memchr::memchr_iter(b'\n', block).count() as u32;
                    before
                })
                .collect();
            out.push(sum);
            out
        };
        let index = LineIndex::new(text.as_bytes());
        assert_eq!(index.newlines_before_block, serial);
        assert_eq!(index.newlines as usize, 3 * 300_000);
        let last = text.len() - 1;
        assert_eq!(index.line_col(&text, last).0, 3 * 300_000);
    }

    /// What the index replaced: every line start, searched.
    fn every_line_start(text: &str) -> Vec<usize> {
        std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    }

    fn line_col_by_list(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut end = offset;
        while end > starts[line] && !text.is_char_boundary(end) {
            end -= 1;
        }
        (line + 1, text[starts[line]..end].chars().count() + 1)
    }

    fn check(text: &str) {
        let index = LineIndex::new(text.as_bytes());
        let starts = every_line_start(text);
        assert_eq!(index.line_count(), starts.len());
        for (line0, start) in starts.iter().enumerate() {
            assert_eq!(index.line_start(text, line0), Some(*start), "line {line0}");
        }
        assert_eq!(index.line_start(text, starts.len()), None);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(text, offset),
                line_col_by_list(text, &starts, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn small_texts() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "\n\nb",
            "h\u{e9}llo\nw\u{f6}rld\r\n\n",
        ] {
            check(text);
        }
    }

    #[test]
    fn lines_across_block_boundaries() {
        // Lines of many lengths, multi-byte characters across block starts, a block that ends
        // on a newline and one without any, and texts that fill their last block exactly.
        let mut text = String::new();
        for i in 0..700 {
            text.push_str(&"\u{e9}x".repeat(i % 37));
            text.push('\n');
        }
        text.push_str(&"y".repeat(3 * LINE_BLOCK));
        text.push('\n');
        check(&text);
        let mut full = "a\n".repeat(LINE_BLOCK);
        check(&full);
        full.pop();
        full.push('b');
        check(&full);
        check(&"z".repeat(LINE_BLOCK - 1));
        check(&"z".repeat(LINE_BLOCK + 1));
    }

    #[test]
    fn one_long_line_of_multi_byte_characters() {
        // A minified plan is one line: its columns come from the character counts per block,
        // also where a character straddles a block start.
        let mut text = "\u{e9}z\u{1F600}".repeat(3 * LINE_BLOCK / 7);
        text.push('\n');
        text.push_str(&"q\u{e9}".repeat(LINE_BLOCK));
        check(&text);
    }
}
