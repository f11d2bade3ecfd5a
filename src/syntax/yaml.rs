//! YAML with a byte span on every node, built from saphyr-parser events.
//!
//! The tree keeps what a YAML consumer with its own schema needs: tags (CloudFormation's `!Ref`),
//! the scalar style (a quoted `'yes'` is a string, a plain `yes` may not be), and aliases as
//! written. Aliases are never expanded here, so a billion-laughs document costs no more than its
//! own size; a consumer that expands them must bound the expansion itself.
//!
//! The builder keeps an explicit stack instead of recursing, and refuses documents nested deeper
//! than [`MAX_DEPTH`], so hostile input can neither overflow the stack here nor in the recursive
//! code that walks the tree afterwards.

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use crate::source::{FileId, Span};

/// Deeper documents are rejected: real templates nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 512;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl Style {
    pub fn is_plain(self) -> bool {
        self == Style::Plain
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlTag {
    /// `!` for local tags (`!Ref`), `tag:yaml.org,2002:` for `!!str`, empty for verbatim tags.
    pub handle: String,
    pub suffix: String,
    /// The tag as written, `!Ref` in `!Ref Bucket`.
    pub span: Span,
}

impl YamlTag {
    /// The tag as a user would write it (`!Ref`, `!!str`, `!<tag:x>`).
    pub fn display(&self) -> String {
        match self.handle.as_str() {
            "!" => format!("!{}", self.suffix),
            "tag:yaml.org,2002:" => format!("!!{}", self.suffix),
            "" if self.suffix == "!" => "!".to_string(),
            "" => format!("!<{}>", self.suffix),
            h => format!("{h}{}", self.suffix),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum YamlValue {
    /// The decoded text; the raw text is the source at the node's span.
    Scalar(String, Style),
    Seq(Vec<YamlNode>),
    Map(Vec<(YamlNode, YamlNode)>),
    /// `*name`: the anchor id of the node it repeats.
    Alias(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct YamlNode {
    pub value: YamlValue,
    pub tag: Option<YamlTag>,
    /// Non-zero when the node carries an anchor (`&name`).
    pub anchor: usize,
    /// The content without tag and anchor: `Bucket` in `!Ref Bucket`. A block collection ends
    /// with its last item, not at the next token.
    pub span: Span,
    /// The node with its tag and anchor: `!Ref Bucket`.
    pub full: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
}

/// Parses every document of a YAML stream.
pub fn parse(text: &str, file: FileId) -> Result<Vec<YamlNode>, YamlError> {
    let offsets = Offsets::new(text);
    let mut builder = Builder {
        text,
        file,
        stack: Vec::new(),
        documents: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(&e, text, file, &offsets))?;
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index()).max(start);
        match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd => {}
            Event::Scalar(value, style, anchor, tag) => {
                let tag = tag.map(|t| (t.handle.clone(), t.suffix.clone()));
                let (tag, content) = builder.properties(start, end, tag);
                let node = YamlNode {
                    value: YamlValue::Scalar(value.into_owned(), convert_style(style)),
                    tag,
                    anchor,
                    span: Span::new(file, content, end),
                    full: Span::new(file, start, end),
                };
                builder.push(node);
            }
            Event::Alias(id) => builder.push(YamlNode {
                value: YamlValue::Alias(id),
                tag: None,
                anchor: 0,
                span: Span::new(file, start, end),
                full: Span::new(file, start, end),
            }),
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                let tag = tag.as_ref().map(|t| (t.handle.clone(), t.suffix.clone()));
                let (tag, content) = builder.properties(start, end, tag);
                let flow = matches!(text.as_bytes().get(content), Some(b'[' | b'{'));
                if builder.stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        message: format!(
                            "the document is nested deeper than {MAX_DEPTH} levels; not read"
                        ),
                        span: Span::new(file, start, end.max(start + 1).min(text.len())),
                    });
                }
                builder.stack.push(Open {
                    map: matches!(event, Event::MappingStart(..)),
                    flow,
                    tag,
                    anchor,
                    content,
                    full: start,
                    items: Vec::new(),
                    key: None,
                    entries: Vec::new(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = builder.stack.pop() else {
                    continue;
                };
                let last_end = if open.map {
                    open.entries.last().map(|(_, v)| v.full.end as usize)
                } else {
                    open.items.last().map(|n| n.full.end as usize)
                };
                let close = if open.flow {
                    end
                } else {
                    last_end.unwrap_or(open.content)
                };
                let value = if open.map {
                    YamlValue::Map(open.entries)
                } else {
                    YamlValue::Seq(open.items)
                };
                builder.push(YamlNode {
                    value,
                    tag: open.tag,
                    anchor: open.anchor,
                    span: Span::new(file, open.content, close),
                    full: Span::new(file, open.full, close),
                });
            }
        }
    }
    Ok(builder.documents)
}

fn convert_style(style: ScalarStyle) -> Style {
    match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        ScalarStyle::Folded => Style::Folded,
    }
}

fn scan_error(e: &ScanError, text: &str, file: FileId, offsets: &Offsets) -> YamlError {
    let at = offsets.byte(e.marker().index());
    let end = next_char_end(text, at);
    let info = if e.info().contains("recursion limit") {
        "the document is nested deeper than the YAML parser allows"
    } else {
        e.info()
    };
    YamlError {
        message: format!(
            "invalid YAML: {} (line {}, column {})",
            info,
            e.marker().line(),
            e.marker().col() + 1
        ),
        span: Span::new(file, at, end),
    }
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// Character index → byte offset (saphyr's markers count characters).
struct Offsets {
    /// Empty when the text is ASCII, where the two coincide.
    bytes: Vec<u32>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            let mut v: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            v.push(text.len() as u32);
            v
        };
        Offsets {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, index: usize) -> usize {
        if self.bytes.is_empty() {
            index.min(self.len)
        } else {
            self.bytes.get(index).map_or(self.len, |&b| b as usize)
        }
    }
}

struct Open {
    map: bool,
    flow: bool,
    tag: Option<YamlTag>,
    anchor: usize,
    content: usize,
    full: usize,
    items: Vec<YamlNode>,
    key: Option<YamlNode>,
    entries: Vec<(YamlNode, YamlNode)>,
}

struct Builder<'a> {
    text: &'a str,
    file: FileId,
    stack: Vec<Open>,
    documents: Vec<YamlNode>,
}

impl Builder<'_> {
    fn push(&mut self, node: YamlNode) {
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(open) if open.map => match open.key.take() {
                None => open.key = Some(node),
                Some(key) => open.entries.push((key, node)),
            },
            Some(open) => open.items.push(node),
        }
    }

    /// Skips the tag and anchor that start an event's span; returns the tag with its span and the
    /// byte where the content begins.
    fn properties(
        &self,
        start: usize,
        end: usize,
        tag: Option<(String, String)>,
    ) -> (Option<YamlTag>, usize) {
        let bytes = self.text.as_bytes();
        let mut pos = start;
        let mut tag_span = None;
        while pos < end && matches!(bytes.get(pos), Some(b'!' | b'&')) {
            let token = pos;
            let verbatim = bytes.get(pos + 1) == Some(&b'<');
            while pos < end {
                let b = bytes.get(pos).copied().unwrap_or(b' ');
                if b.is_ascii_whitespace() {
                    break;
                }
                pos += 1;
                if verbatim && b == b'>' {
                    break;
                }
            }
            if bytes.get(token) == Some(&b'!') {
                tag_span = Some(Span::new(self.file, token, pos));
            }
            pos = skip_blank(bytes, pos, end);
        }
        let tag = tag.map(|(handle, suffix)| YamlTag {
            handle,
            suffix,
            span: tag_span.unwrap_or(Span::new(self.file, start, start)),
        });
        (tag, pos.min(end.max(start)))
    }
}

/// Skips spaces, line breaks and comments between a node's properties and its content.
fn skip_blank(bytes: &[u8], mut pos: usize, end: usize) -> usize {
    while pos < end {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => pos += 1,
            Some(b'#') => {
                while pos < end && bytes.get(pos) != Some(&b'\n') {
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn spans_of_tags_and_contents() {
        let text = "a: !Ref X\nb: !GetAtt\n  - R\n  - Arn\nc: {k: [1, 2]}\n";
        let docs = parse(text, FileId(0)).unwrap();
        let YamlValue::Map(entries) = &docs[0].value else {
            panic!()
        };
        let a = &entries[0].1;
        assert_eq!(slice(text, a.span), "X");
        assert_eq!(slice(text, a.full), "!Ref X");
        assert_eq!(slice(text, a.tag.as_ref().unwrap().span), "!Ref");
        let b = &entries[1].1;
        assert_eq!(slice(text, b.span), "- R\n  - Arn");
        assert_eq!(slice(text, b.tag.as_ref().unwrap().span), "!GetAtt");
        assert_eq!(slice(text, entries[2].1.span), "{k: [1, 2]}");
    }

    #[test]
    fn non_ascii_offsets_are_bytes() {
        let text = "é: ü\nk: v\n";
        let docs = parse(text, FileId(0)).unwrap();
        let YamlValue::Map(entries) = &docs[0].value else {
            panic!()
        };
        assert_eq!(slice(text, entries[1].1.span), "v");
        assert_eq!(slice(text, entries[0].1.span), "ü");
    }

    #[test]
    fn depth_is_bounded() {
        let flow = "[".repeat(MAX_DEPTH + 10);
        let err = parse(&flow, FileId(0)).unwrap_err();
        assert!(err.message.contains("nested deeper"), "{}", err.message);
        let block: String = (0..MAX_DEPTH + 10)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let err = parse(&block, FileId(0)).unwrap_err();
        assert!(err.message.contains("nested deeper"), "{}", err.message);
    }
}
