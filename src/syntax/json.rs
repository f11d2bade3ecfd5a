//! Strict JSON (RFC 8259) into a spanned [`Node`] tree.
//!
//! serde_json keeps no spans and silently drops duplicate keys; policy diagnostics need both, and
//! they need errors that point at the exact byte a user has to fix (a trailing comma, a
//! typographic quote pasted from a blog post).

use std::sync::Arc;

use crate::source::{FileId, Loc, StringOrigin};
use crate::syntax::node::{Key, Node, NodeKind};

/// Deep enough for any real document, shallow enough that recursion cannot overflow the stack.
pub const MAX_DEPTH: usize = 512;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct JsonError {
    pub message: String,
    pub loc: Loc,
}

/// Parses a whole file; spans are byte offsets into `text`. A leading UTF-8 BOM is skipped
/// because editors on Windows add one and AWS tooling accepts it.
pub fn parse(text: &str, file: FileId) -> Result<Node, JsonError> {
    Parser::new(text, Origin::File(file)).document()
}

/// Parses a document held in a decoded string literal; every location is relative to `text` and
/// tied to `origin`, so that [`crate::source::SourceDb::resolve`] maps it to the outer file.
pub fn parse_embedded(text: &str, origin: Arc<StringOrigin>) -> Result<Node, JsonError> {
    Parser::new(text, Origin::Embedded(origin)).document()
}

enum Origin {
    File(FileId),
    Embedded(Arc<StringOrigin>),
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    origin: Origin,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, origin: Origin) -> Parser<'a> {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            origin,
        }
    }

    fn loc(&self, start: usize, end: usize) -> Loc {
        match &self.origin {
            Origin::File(file) => Loc::span(*file, start, end),
            Origin::Embedded(origin) => Loc::InString {
                string: origin.clone(),
                start: start as u32,
                end: end.max(start) as u32,
            },
        }
    }

    fn err_at(&self, pos: usize, message: impl Into<String>) -> JsonError {
        let len = self
            .text
            .get(pos..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        JsonError {
            message: message.into(),
            loc: self.loc(pos, pos + len),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn document(mut self) -> Result<Node, JsonError> {
        if self.text.starts_with('\u{FEFF}') {
            self.pos = 3;
        }
        self.skip_ws();
        if self.peek().is_none() {
            return Err(self.err_at(self.pos, "empty document: expected a JSON value"));
        }
        let node = self.value()?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.unexpected("after the end of the JSON value"));
        }
        Ok(node)
    }

    /// Describes the character at the cursor, naming the usual copy-paste culprits.
    fn unexpected(&self, context: &str) -> JsonError {
        let Some(c) = self.text.get(self.pos..).and_then(|s| s.chars().next()) else {
            return self.err_at(self.pos, format!("unexpected end of input {context}"));
        };
        let hint = match c {
            '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}' | '\u{201E}' | '\u{00AB}'
            | '\u{00BB}' => " (a typographic quote; use a straight \")",
            '\'' => " (JSON strings use double quotes)",
            '/' => " (JSON has no comments)",
            '\u{00A0}' => " (a non-breaking space)",
            _ => "",
        };
        let shown = if c.is_control() {
            format!("{:?}", c)
        } else {
            format!("'{c}'")
        };
        self.err_at(
            self.pos,
            format!("unexpected character {shown}{hint} {context}"),
        )
    }

    fn value(&mut self) -> Result<Node, JsonError> {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let start = self.pos;
                let s = self.string()?;
                Ok(Node::new(
                    NodeKind::Str(s.into()),
                    self.loc(start, self.pos),
                ))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", NodeKind::Bool(true)),
            Some(b'f') => self.literal("false", NodeKind::Bool(false)),
            Some(b'n') => self.literal("null", NodeKind::Null),
            _ => Err(self.unexpected("where a value was expected")),
        }
    }

    fn literal(&mut self, word: &str, kind: NodeKind) -> Result<Node, JsonError> {
        let start = self.pos;
        if self.bytes.get(start..start + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node::new(kind, self.loc(start, self.pos)))
        } else {
            Err(self.unexpected("where a value was expected"))
        }
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err_at(self.pos, format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Node, JsonError> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Node::new(NodeKind::Map(entries), self.loc(start, self.pos)));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("where an object key (a string) was expected"));
            }
            let key_start = self.pos;
            let text = self.string()?;
            let key = Key {
                text: text.into(),
                loc: self.loc(key_start, self.pos),
            };
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("after an object key (expected ':')"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value()?;
            entries.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        return Err(self.err_at(comma, "trailing comma before '}'"));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected("in an object (expected ',' or '}')")),
            }
        }
        self.depth -= 1;
        Ok(Node::new(NodeKind::Map(entries), self.loc(start, self.pos)))
    }

    fn array(&mut self) -> Result<Node, JsonError> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Node::new(NodeKind::List(items), self.loc(start, self.pos)));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        return Err(self.err_at(comma, "trailing comma before ']'"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected("in an array (expected ',' or ']')")),
            }
        }
        self.depth -= 1;
        Ok(Node::new(NodeKind::List(items), self.loc(start, self.pos)))
    }

    fn number(&mut self) -> Result<Node, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.err_at(start, "numbers may not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("in a number (expected a digit)")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("after a decimal point (expected a digit)"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("in an exponent (expected a digit)"));
            }
            self.digits();
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        Ok(Node::new(
            NodeKind::Number(text.into()),
            self.loc(start, self.pos),
        ))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// Reads a string literal at the cursor (on its opening quote) and returns the decoded text.
    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            let rest = self.bytes.get(run_start..).unwrap_or_default();
            let stop = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            let Some(stop) = stop else {
                return Err(self.err_at(open, "unterminated string"));
            };
            self.pos = run_start + stop;
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                _ => {
                    return Err(self.err_at(
                        self.pos,
                        "control character in a string (escape it, e.g. \\n)",
                    ));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let at = self.pos;
        let Some(c) = self.bytes.get(at + 1).copied() else {
            return Err(self.err_at(at, "unterminated escape sequence"));
        };
        self.pos += 2;
        let decoded = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape(at)?,
            _ => return Err(self.err_at(at, "invalid escape sequence")),
        };
        out.push(decoded);
        Ok(())
    }

    /// Decodes `\uXXXX` (and a following low surrogate). A lone surrogate becomes U+FFFD: it is
    /// legal JSON but not representable in a Rust string, and U+FFFD keeps decoded offsets equal
    /// to what `json_locate::decoded_to_raw` assumes (three bytes).
    fn unicode_escape(&mut self, at: usize) -> Result<char, JsonError> {
        let hi = self.hex4(at)?;
        if (0xD800..0xDC00).contains(&hi)
            && self.bytes.get(self.pos) == Some(&b'\\')
            && self.bytes.get(self.pos + 1) == Some(&b'u')
        {
            let save = self.pos;
            self.pos += 2;
            let lo = self.hex4(save)?;
            if (0xDC00..0xE000).contains(&lo) {
                let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(cp).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
            return Ok('\u{FFFD}');
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self, at: usize) -> Result<u32, JsonError> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits.and_then(|d| {
            d.iter()
                .try_fold(0u32, |acc, &b| Some(acc * 16 + (b as char).to_digit(16)?))
        });
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.err_at(at, "invalid \\u escape (expected four hex digits)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceDb, Span};

    fn err(text: &str) -> (String, usize) {
        match parse(text, FileId(0)) {
            Err(JsonError {
                message,
                loc: Loc::Span(Span { start, .. }),
            }) => (message, start as usize),
            other => panic!("expected an error with a span, got {other:?}"),
        }
    }

    #[test]
    fn values_and_spans() {
        let text = "\u{FEFF} {\"a\": [1, -2.5e3, true, null, \"x\\ny\"], \"a\": {}}";
        let node = parse(text, FileId(3)).unwrap();
        let entries = node.entries();
        assert_eq!(entries.len(), 2, "duplicate keys are kept");
        let (key, list) = &entries[0];
        assert_eq!(&*key.text, "a");
        assert_eq!(key.loc, Loc::span(FileId(3), 5, 8));
        let items = list.as_list().unwrap();
        assert_eq!(items[1].kind, NodeKind::Number("-2.5e3".into()));
        assert_eq!(items[4].as_str(), Some("x\ny"));
        let Loc::Span(s) = &items[4].loc else {
            panic!()
        };
        assert_eq!(&text[s.start as usize..s.end as usize], "\"x\\ny\"");
    }

    #[test]
    fn errors_point_at_the_offending_byte() {
        assert_eq!(err("[1, 2,]"), ("trailing comma before ']'".into(), 5));
        assert_eq!(err("{\"a\": 1,\n}").1, 7);
        let (m, at) = err("{\"Version\": \u{201C}2012-10-17\u{201D}}");
        assert!(m.contains("typographic quote"), "{m}");
        assert!(m.contains('\u{201C}'), "{m}");
        assert_eq!(at, 12);
        assert!(err("{'a': 1}").0.contains("double quotes"));
        assert!(err("// c\n{}").0.contains("no comments"));
        assert_eq!(err("{} x").1, 3);
        assert!(err("").0.contains("empty"));
        assert!(err("\"abc").0.contains("unterminated"));
        assert!(err("01").0.contains("leading zeros"));
        assert!(err("[1.]").0.contains("decimal"));
        assert!(err("\"a\tb\"").0.contains("control character"));
        assert!(err("\"\\x\"").0.contains("invalid escape"));
    }

    #[test]
    fn depth_limit_is_an_error_not_a_crash() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(err(&deep).0.contains("nesting"));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok, FileId(0)).is_ok());
        let huge = "[".repeat(100_000);
        assert!(parse(&huge, FileId(0)).is_err());
    }

    #[test]
    fn surrogates() {
        let n = parse("\"\\ud83d\\ude00 \\ud800\"", FileId(0)).unwrap();
        assert_eq!(n.as_str(), Some("\u{1F600} \u{FFFD}"));
    }

    /// A policy held in an escaped string of a plan maps back to the exact escaped bytes.
    #[test]
    fn embedded_round_trip() {
        let outer = r#"{"values": {"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"caf\u00e9\",\"Effect\":\"Allow\"}]}"}}"#;
        let mut db = SourceDb::new();
        let file = db.add("plan.json", outer);
        let outer_node = parse(outer, file).unwrap();
        let policy = outer_node.get("values").unwrap().get("policy").unwrap();
        let decoded = policy.as_str().unwrap();
        let origin = Arc::new(StringOrigin::JsonLiteral(policy.loc.clone()));
        let doc = parse_embedded(decoded, origin).unwrap();
        let stmt = &doc.get("Statement").unwrap().as_list().unwrap()[0];
        assert!(matches!(stmt.loc, Loc::InString { .. }));
        let span = db.resolve(&stmt.loc).unwrap();
        assert_eq!(
            &outer[span.start as usize..span.end as usize],
            r#"{\"Sid\":\"caf\u00e9\",\"Effect\":\"Allow\"}"#
        );
        let (key, _) = doc.get_ignore_case("version").unwrap();
        let span = db.resolve(&key.loc).unwrap();
        assert_eq!(
            &outer[span.start as usize..span.end as usize],
            r#"\"Version\""#
        );
    }
}
