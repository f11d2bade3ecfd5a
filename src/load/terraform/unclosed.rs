//! A scan in front of hcl-edit's parser: how many brackets, braces, strings, heredocs and
//! template interpolations are still open where a text ends.
//!
//! hcl-edit backtracks through every level that is still open when it runs out of input, so
//! its time doubles with each such level: a 978-byte file ending inside 30 of them kept the
//! parser busy for minutes (found by fuzzing; `tests/hostile.rs`). A text that ends inside even
//! one level is invalid HCL. From [`REFUSE_FROM`] levels on it is refused here, pointing at the
//! innermost opener, instead of being parsed; below that hcl-edit parses it and reports the
//! error in its usual words, so a mistake of this scan cannot refuse a valid file unless it
//! miscounts eight times over.

/// Levels still open at the end from which a text is refused unparsed. hcl-edit takes well under
/// a millisecond at this depth; every further level doubles that.
pub const REFUSE_FROM: usize = 8;

/// Where the text starts: a configuration file, or a template (`templatefile`), whose text is
/// template content from its first byte.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Body,
    Template,
}

/// The levels open at the end of a text, and where the innermost of them was opened.
#[derive(Debug, PartialEq, Eq)]
pub struct Unclosed {
    pub levels: usize,
    pub innermost: usize,
    pub opener: &'static str,
}

impl Unclosed {
    /// The innermost opener's bytes, for a span.
    pub fn span(&self) -> (usize, usize) {
        (self.innermost, self.innermost + self.opener.len())
    }

    pub fn message(&self) -> String {
        format!(
            "the text ends inside {} unclosed brackets, braces, strings or interpolations (the \
             innermost, `{}`, opened here); not parsed: the HCL parser's time doubles with each \
             unclosed level",
            self.levels, self.opener
        )
    }
}

#[derive(Clone, Copy)]
enum Frame {
    /// `(`, `[` or `{` in an expression or a body.
    Bracket(u8),
    /// `${` or `%{` (by its first byte) inside a string, a heredoc or a template: expression
    /// text up to its `}`.
    Interpolation(u8),
    Quoted,
    /// A heredoc body up to the line holding only its marker (`text[start..end]`).
    Heredoc {
        start: usize,
        end: usize,
    },
}

struct Open {
    frame: Frame,
    at: usize,
}

/// What to report instead of parsing `text`: its open levels, when there are too many.
pub(super) fn refused(text: &str, start: Start) -> Option<Unclosed> {
    unclosed(text, start).filter(|u| u.levels >= REFUSE_FROM)
}

/// The bytes each kind of text gives a meaning to, as tables indexed by byte.
const EXPRESSION_SPECIAL: [bool; 256] = table(b"#/\"<([{)]}");
const QUOTED_SPECIAL: [bool; 256] = table(b"\\\"$%");
const TEMPLATE_SPECIAL: [bool; 256] = table(b"$%\n");
const ALL_SPECIAL: [bool; 256] = [true; 256];

// Evaluated at compile time, where an index out of bounds fails the build.
#[allow(clippy::indexing_slicing)]
const fn table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// The levels open at the end of `text`, or `None` when every level it opens is closed.
pub fn unclosed(text: &str, start: Start) -> Option<Unclosed> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    let mut line_start = false;
    while i < bytes.len() {
        let top = stack.last().map(|o| o.frame);
        let in_template_text = matches!(top, Some(Frame::Quoted | Frame::Heredoc { .. }))
            || (top.is_none() && start == Start::Template);
        // Most bytes mean nothing to the scan: skip them in one go (a heredoc's first byte on a
        // line may start its marker, so it is looked at).
        let special = match top {
            _ if !in_template_text => &EXPRESSION_SPECIAL,
            Some(Frame::Quoted) => &QUOTED_SPECIAL,
            Some(Frame::Heredoc { .. }) if line_start => &ALL_SPECIAL,
            _ => &TEMPLATE_SPECIAL,
        };
        let plain = bytes
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| special.get(usize::from(**b)) == Some(&false))
            .count();
        let step = if plain > 0 {
            i + plain
        } else if in_template_text {
            template_text(text, &mut stack, i, line_start)
        } else {
            expression(text, &mut stack, i)
        };
        // A step always moves on, so the scan ends; the `max` keeps that true for any step.
        let next = step.max(i + 1).min(bytes.len());
        line_start = bytes.get(next - 1) == Some(&b'\n');
        i = next;
    }
    let innermost = stack.last()?;
    Some(Unclosed {
        levels: stack.len(),
        innermost: innermost.at,
        opener: match innermost.frame {
            Frame::Bracket(b'(') => "(",
            Frame::Bracket(b'[') => "[",
            Frame::Bracket(_) => "{",
            Frame::Interpolation(b'%') => "%{",
            Frame::Interpolation(_) => "${",
            Frame::Quoted => "\"",
            Frame::Heredoc { .. } => "<<",
        },
    })
}

/// One step in expression or body text at `i`; returns where the next step starts.
fn expression(text: &str, stack: &mut Vec<Open>, i: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes.get(i..).unwrap_or_default() {
        [b'#', ..] | [b'/', b'/', ..] => line_end(bytes, i),
        [b'/', b'*', ..] => find(bytes, i + 2, b"*/").map_or(bytes.len(), |at| at + 2),
        [b'"', ..] => {
            stack.push(Open {
                frame: Frame::Quoted,
                at: i,
            });
            i + 1
        }
        [b'<', b'<', ..] => match heredoc_marker(bytes, i) {
            Some((start, end, body)) => {
                stack.push(Open {
                    frame: Frame::Heredoc { start, end },
                    at: i,
                });
                body
            }
            None => i + 2,
        },
        [c @ (b'(' | b'[' | b'{'), ..] => {
            stack.push(Open {
                frame: Frame::Bracket(*c),
                at: i,
            });
            i + 1
        }
        [b')' | b']' | b'}', ..] => {
            // A closer that does not match is hcl-edit's to report; popping keeps the count
            // from growing on it.
            if matches!(
                stack.last().map(|o| o.frame),
                Some(Frame::Bracket(_) | Frame::Interpolation(_))
            ) {
                stack.pop();
            }
            i + 1
        }
        _ => i + 1,
    }
}

/// One step in the literal text of a quoted string, a heredoc or a template at `i`.
fn template_text(text: &str, stack: &mut Vec<Open>, i: usize, line_start: bool) -> usize {
    let bytes = text.as_bytes();
    let top = stack.last().map(|o| o.frame);
    if let (true, Some(Frame::Heredoc { start, end })) = (line_start, top)
        && is_marker_line(bytes, i, bytes.get(start..end).unwrap_or_default())
    {
        stack.pop();
        return line_end(bytes, i);
    }
    let quoted = matches!(top, Some(Frame::Quoted));
    match bytes.get(i..).unwrap_or_default() {
        [b'\\', ..] if quoted => i + 2,
        [b'"', ..] if quoted => {
            stack.pop();
            i + 1
        }
        [b'$', b'$', b'{', ..] | [b'%', b'%', b'{', ..] => i + 3,
        [c @ (b'$' | b'%'), b'{', ..] => {
            stack.push(Open {
                frame: Frame::Interpolation(*c),
                at: i,
            });
            i + 2
        }
        _ => i + 1,
    }
}

/// `<<EOT` or `<<-EOT` at `i`, followed by the end of its line: the marker's range and where
/// the body starts.
fn heredoc_marker(bytes: &[u8], i: usize) -> Option<(usize, usize, usize)> {
    let mut start = i + 2;
    if bytes.get(start) == Some(&b'-') {
        start += 1;
    }
    let mut end = start;
    while bytes
        .get(end)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
    {
        end += 1;
    }
    if end == start {
        return None;
    }
    match bytes.get(end..) {
        Some([b'\n', ..]) => Some((start, end, end + 1)),
        Some([b'\r', b'\n', ..]) => Some((start, end, end + 2)),
        _ => None,
    }
}

/// Whether the line at `i` holds only `marker`, with any spaces around it.
fn is_marker_line(bytes: &[u8], i: usize, marker: &[u8]) -> bool {
    bytes
        .get(i..line_end(bytes, i))
        .is_some_and(|line| line.trim_ascii() == marker)
}

fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        .map_or(bytes.len(), |at| i + at)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(text: &str) -> usize {
        unclosed(text, Start::Body).map_or(0, |u| u.levels)
    }

    #[test]
    fn closed_texts_have_no_open_levels() {
        for text in [
            "resource \"a\" \"b\" {\n  x = [1, (2), { k = \"v\" }]\n}\n",
            "x = \"a ( [ { string\"\n",
            "x = \"escaped \\\" ( quote\"\n",
            "x = \"${join(\",\", [\"a)\", \"b]\"])} %{ if true }y%{ endif }\"\n",
            "x = \"$${not (an interpolation\"\n",
            "# a comment (\n// another [\n/* and { a\n block */ x = 1\n",
            "x = <<EOT\n{ \"Statement\": [ (\nEOT\ny = 2\n",
            "x = <<-EOT\n    ${f(\"(\")} [\n    EOT\n",
            "x = <<EOT\r\n(\r\nEOT\r\n",
            "x = a << b\n",
        ] {
            assert_eq!(levels(text), 0, "{text:?}");
        }
    }

    #[test]
    fn counts_what_is_still_open_and_points_at_the_innermost() {
        let text = "a = x - (t -p - (t -p - [";
        let found = unclosed(text, Start::Body).unwrap();
        assert_eq!(found.levels, 3);
        assert_eq!(found.innermost, text.len() - 1);
        assert_eq!(found.opener, "[");
        assert_eq!(levels("x = \"${(1 + "), 3);
        assert_eq!(levels("x = <<EOT\n${f(\n"), 3);
        assert_eq!(levels("resource \"a\" \"b\" {\n"), 1);
        assert_eq!(levels(&"(".repeat(10_000)), 10_000);
    }

    #[test]
    fn templates_start_in_template_text() {
        assert_eq!(
            unclosed("Hello ( ${name} [", Start::Template).map(|u| u.levels),
            None
        );
        let directive = unclosed("%{ for x in [ ", Start::Template).unwrap();
        assert_eq!((directive.levels, directive.innermost), (2, 12));
        let directive = unclosed("%{ for x in y ", Start::Template).unwrap();
        assert_eq!(directive.opener, "%{");
    }

    #[test]
    fn a_quoted_string_may_span_lines() {
        // hcl-edit accepts it (the fuzz corpus has such files), so the scan does too.
        assert_eq!(levels("x = \"a (\n b [\"\ny = (1)\n"), 0);
    }

    /// The scan must never call a text unclosed that hcl-edit accepts: checked on every `.tf`
    /// file of the samples and tests, the HCL fuzz corpus and, when present, the shared corpus
    /// of public Terraform. Texts open past 12 levels are left out: parsing them is what is slow.
    #[test]
    fn hcl_edit_rejects_every_text_the_scan_finds_unclosed() {
        use rayon::prelude::*;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for (folder, all) in [
            (root.join("samples"), false),
            (root.join("tests"), false),
            (root.join("fuzz/corpus/hcl"), true),
            (root.join("../shared/corpus"), false),
        ] {
            collect(&folder, all, &mut files);
        }
        assert!(files.len() > 1000, "only {} files found", files.len());
        let checked: usize = files
            .par_iter()
            .map(|path| {
                let Ok(text) = std::fs::read_to_string(path) else {
                    return 0;
                };
                match unclosed(&text, Start::Body) {
                    Some(open) if open.levels <= 12 => {
                        assert!(
                            hcl_edit::parser::parse_body(&text).is_err(),
                            "{}: hcl-edit accepts it, the scan finds {open:?}",
                            path.display()
                        );
                        1
                    }
                    _ => 0,
                }
            })
            .sum();
        assert!(checked > 100, "only {checked} unclosed texts checked");
    }

    fn collect(dir: &std::path::Path, all: bool, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, all, out);
            } else if all || path.extension().is_some_and(|e| e == "tf") {
                out.push(path);
            }
        }
    }
}
