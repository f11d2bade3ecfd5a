//! A flat, reusable index of one JSON value inside a larger text (a plan's resource values).
//!
//! Each value becomes one [`Node`] in document order with its byte range in the whole text, the
//! index just past its subtree, and, for object members, the raw span of its key. Strings are not
//! decoded while parsing: a value's text is unescaped only when the loader reads it. The buffers
//! are kept between parses, so reading thousands of resources allocates almost nothing.
//!
//! The parser accepts what `serde_json` accepts when it builds a `Value` (surrogate pairs, number
//! range, nesting depth), so a value the loader used to skip is still skipped.

use std::borrow::Cow;

/// Nesting allowed inside one value: `serde_json` stops at the same depth.
const MAX_DEPTH: usize = 127;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number,
    String,
    Array,
    Object,
}

#[derive(Clone, Copy, Debug)]
pub struct Node {
    pub kind: Kind,
    /// The string (value, or member key) holds escapes and needs decoding.
    escaped: bool,
    key_escaped: bool,
    /// Byte range of the value in the whole text (strings with their quotes).
    pub start: u32,
    pub end: u32,
    /// The index of the node after this one's subtree: its next sibling, if any.
    next: u32,
    /// Elements or members of a container.
    count: u32,
    /// For an object member: the key's bytes between the quotes.
    key_start: u32,
    key_end: u32,
}

/// A parse failure; the value is then not read at all.
#[derive(Debug)]
pub struct Invalid;

#[derive(Default)]
pub struct Tape {
    nodes: Vec<Node>,
    open: Vec<u32>,
}

/// A node of a tape, with the text it indexes.
#[derive(Clone, Copy)]
pub struct NodeRef<'t> {
    pub tape: &'t Tape,
    pub text: &'t str,
    pub index: u32,
}

impl Tape {
    pub fn new() -> Tape {
        Tape::default()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Indexes the JSON value that `raw` holds; `raw` must be a slice of `text` (its offsets are
    /// what the nodes record). On failure the tape is left empty.
    pub fn parse(&mut self, text: &str, raw: &str) -> Result<(), Invalid> {
        self.nodes.clear();
        self.open.clear();
        let result = offset_in(text, raw).ok_or(Invalid).and_then(|start| {
            let end = start + raw.len();
            if u32::try_from(end).is_err() {
                return Err(Invalid);
            }
            let bytes = text.as_bytes().get(..end).ok_or(Invalid)?;
            self.parse_bytes(bytes, start)
        });
        if result.is_err() {
            self.nodes.clear();
        }
        result
    }

    /// Reads `raw` (a part of `text`) when there is one. Afterwards [`Tape::root`] is the value
    /// read, or `None` when there was nothing to read or it did not parse: never a value read
    /// before. Whether a value was read.
    pub fn read(&mut self, text: &str, raw: Option<&str>) -> bool {
        match raw {
            Some(raw) => self.parse(text, raw).is_ok(),
            None => {
                self.nodes.clear();
                false
            }
        }
    }

    /// The root node, when a value was parsed.
    pub fn root<'t>(&'t self, text: &'t str) -> Option<NodeRef<'t>> {
        (!self.nodes.is_empty()).then_some(NodeRef {
            tape: self,
            text,
            index: 0,
        })
    }

    pub fn node(&self, index: u32) -> Option<&Node> {
        self.nodes.get(index as usize)
    }

    fn push(&mut self, kind: Kind, start: usize, key: Option<(usize, usize, bool)>) -> u32 {
        let index = self.nodes.len() as u32;
        let (key_start, key_end, key_escaped) = key.unwrap_or((0, 0, false));
        if let Some(parent) = self
            .open
            .last()
            .and_then(|&p| self.nodes.get_mut(p as usize))
        {
            parent.count += 1;
        }
        self.nodes.push(Node {
            kind,
            escaped: false,
            key_escaped,
            start: start as u32,
            end: start as u32,
            next: index + 1,
            count: 0,
            key_start: key_start as u32,
            key_end: key_end as u32,
        });
        index
    }

    fn finish(&mut self, index: u32, end: usize) {
        let next = self.nodes.len() as u32;
        if let Some(node) = self.nodes.get_mut(index as usize) {
            node.end = end as u32;
            node.next = next;
        }
    }

    fn parse_bytes(&mut self, b: &[u8], start: usize) -> Result<(), Invalid> {
        let mut pos = skip_ws(b, start);
        // The key of the member whose value comes next.
        let mut key: Option<(usize, usize, bool)> = None;
        loop {
            // A value starts at `pos`.
            let byte = *b.get(pos).ok_or(Invalid)?;
            match byte {
                b'{' | b'[' => {
                    if self.open.len() >= MAX_DEPTH {
                        return Err(Invalid);
                    }
                    let kind = if byte == b'{' {
                        Kind::Object
                    } else {
                        Kind::Array
                    };
                    let index = self.push(kind, pos, key.take());
                    self.open.push(index);
                    pos = skip_ws(b, pos + 1);
                    let close = if byte == b'{' { b'}' } else { b']' };
                    if b.get(pos) == Some(&close) {
                        self.open.pop();
                        self.finish(index, pos + 1);
                        pos += 1;
                    } else {
                        if kind == Kind::Object {
                            let (k, after) = member_key(b, pos)?;
                            key = Some(k);
                            pos = after;
                        }
                        continue;
                    }
                }
                b'"' => {
                    let index = self.push(Kind::String, pos, key.take());
                    let (end, escaped) = scan_string(b, pos)?;
                    self.finish(index, end);
                    if let Some(node) = self.nodes.get_mut(index as usize) {
                        node.escaped = escaped;
                    }
                    pos = end;
                }
                b't' | b'f' | b'n' => {
                    let (word, kind): (&[u8], Kind) = match byte {
                        b't' => (b"true", Kind::Bool(true)),
                        b'f' => (b"false", Kind::Bool(false)),
                        _ => (b"null", Kind::Null),
                    };
                    if b.get(pos..pos + word.len()) != Some(word) {
                        return Err(Invalid);
                    }
                    let index = self.push(kind, pos, key.take());
                    pos += word.len();
                    self.finish(index, pos);
                }
                b'-' | b'0'..=b'9' => {
                    let end = scan_number(b, pos)?;
                    let index = self.push(Kind::Number, pos, key.take());
                    self.finish(index, end);
                    pos = end;
                }
                _ => return Err(Invalid),
            }
            // After a value: the next element or member, or the end of containers.
            loop {
                pos = skip_ws(b, pos);
                let Some(&top) = self.open.last() else {
                    return if pos == b.len() { Ok(()) } else { Err(Invalid) };
                };
                let is_object = matches!(self.node(top).map(|n| n.kind), Some(Kind::Object));
                match (b.get(pos), is_object) {
                    (Some(b','), true) => {
                        let (k, after) = member_key(b, skip_ws(b, pos + 1))?;
                        key = Some(k);
                        pos = after;
                        break;
                    }
                    (Some(b','), false) => {
                        pos = skip_ws(b, pos + 1);
                        break;
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => {
                        self.open.pop();
                        self.finish(top, pos + 1);
                        pos += 1;
                    }
                    _ => return Err(Invalid),
                }
            }
        }
    }
}

/// The byte offset of `part` in `whole`, when it is a slice of it.
pub fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start.checked_add(part.len())? <= whole.len()).then_some(start)
}

/// A member's key at `pos` and the position of its value: `(key span, escaped)`.
fn member_key(b: &[u8], pos: usize) -> Result<((usize, usize, bool), usize), Invalid> {
    if b.get(pos) != Some(&b'"') {
        return Err(Invalid);
    }
    let (end, escaped) = scan_string(b, pos)?;
    let colon = skip_ws(b, end);
    if b.get(colon) != Some(&b':') {
        return Err(Invalid);
    }
    Ok(((pos + 1, end - 1, escaped), skip_ws(b, colon + 1)))
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while matches!(b.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// The end of the string literal at `pos` (after its closing quote), and whether it has escapes.
/// Unicode escapes must pair their surrogates, as for `serde_json` strings. Control characters are
/// not looked for: the values come from a text `serde_json` has checked.
fn scan_string(b: &[u8], pos: usize) -> Result<(usize, bool), Invalid> {
    let mut i = pos + 1;
    let mut escaped = false;
    loop {
        let rest = b.get(i..).ok_or(Invalid)?;
        let off = memchr::memchr2(b'"', b'\\', rest).ok_or(Invalid)?;
        i += off;
        if b.get(i) == Some(&b'"') {
            return Ok((i + 1, escaped));
        }
        escaped = true;
        match b.get(i + 1).ok_or(Invalid)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
            b'u' => {
                let unit = hex4(b, i + 2).ok_or(Invalid)?;
                i += 6;
                if (0xDC00..0xE000).contains(&unit) {
                    return Err(Invalid);
                }
                if (0xD800..0xDC00).contains(&unit) {
                    if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
                        return Err(Invalid);
                    }
                    let low = hex4(b, i + 2).ok_or(Invalid)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(Invalid);
                    }
                    i += 6;
                }
            }
            _ => return Err(Invalid),
        }
    }
}

fn hex4(b: &[u8], pos: usize) -> Option<u32> {
    let digits = b.get(pos..pos + 4)?;
    digits.iter().try_fold(0u32, |acc, &d| {
        let v = char::from(d).to_digit(16)?;
        Some(acc * 16 + v)
    })
}

/// The end of the number at `pos`. Like `serde_json`, a number too large for a float is refused.
fn scan_number(b: &[u8], pos: usize) -> Result<usize, Invalid> {
    let mut i = pos;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = |i: usize| {
        b.get(i..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(i),
        _ => return Err(Invalid),
    }
    let int_end = i;
    let mut float = false;
    if b.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return Err(Invalid);
        }
        i += 1 + n;
        float = true;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return Err(Invalid);
        }
        i += n;
        float = true;
    }
    // Integers up to 20 digits fit the integer types or a finite float; only longer ones and
    // exponents can overflow.
    if float || int_end - pos > 20 {
        let text = b.get(pos..i).and_then(|t| std::str::from_utf8(t).ok());
        match text.and_then(|t| t.parse::<f64>().ok()) {
            Some(f) if f.is_finite() => {}
            _ => return Err(Invalid),
        }
    }
    Ok(i)
}

/// The decoded text of a string literal's inside (`raw` without its quotes).
pub fn unescape(raw: &str, escaped: bool) -> Cow<'_, str> {
    if !escaped {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        let mut chars = after.chars();
        let consumed = match chars.next() {
            Some('u') => {
                let unit = after
                    .get(1..5)
                    .and_then(|h| u32::from_str_radix(h, 16).ok());
                match unit {
                    Some(hi @ 0xD800..0xDC00) => {
                        let low = after
                            .get(5..7)
                            .filter(|s| *s == "\\u")
                            .and_then(|_| after.get(7..11))
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .filter(|lo| (0xDC00..0xE000).contains(lo));
                        match low {
                            Some(lo) => {
                                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                                11
                            }
                            None => {
                                out.push('\u{fffd}');
                                5
                            }
                        }
                    }
                    Some(c) => {
                        out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                        5
                    }
                    None => 1,
                }
            }
            Some(c) => {
                out.push(match c {
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    other => other,
                });
                c.len_utf8()
            }
            None => 0,
        };
        rest = after.get(consumed..).unwrap_or_default();
    }
    out.push_str(rest);
    Cow::Owned(out)
}

impl<'t> NodeRef<'t> {
    fn node(&self) -> Option<&'t Node> {
        self.tape.node(self.index)
    }

    fn at(&self, index: u32) -> NodeRef<'t> {
        NodeRef { index, ..*self }
    }

    pub fn kind(&self) -> Kind {
        self.node().map_or(Kind::Null, |n| n.kind)
    }

    pub fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    /// The value's byte range in the text.
    pub fn span(&self) -> (usize, usize) {
        self.node()
            .map_or((0, 0), |n| (n.start as usize, n.end as usize))
    }

    /// The value's source text.
    pub fn raw(&self) -> &'t str {
        let (s, e) = self.span();
        self.text.get(s..e).unwrap_or_default()
    }

    /// Elements or members of a container (0 for a scalar).
    pub fn len(&self) -> usize {
        match self.node() {
            Some(n) if matches!(n.kind, Kind::Array | Kind::Object) => n.count as usize,
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The decoded text of a string.
    pub fn str(&self) -> Option<Cow<'t, str>> {
        let n = self.node().filter(|n| n.kind == Kind::String)?;
        let inner = self
            .text
            .get(n.start as usize + 1..(n.end as usize).checked_sub(1)?)?;
        Some(unescape(inner, n.escaped))
    }

    /// Whether a string is empty (without decoding it).
    pub fn is_empty_str(&self) -> bool {
        self.node()
            .is_some_and(|n| n.kind == Kind::String && n.end == n.start + 2)
    }

    /// Elements of an array or values of an object's members, in order.
    pub fn children(&self) -> Children<'t> {
        let (next, end) = match self.node() {
            Some(n) if matches!(n.kind, Kind::Array | Kind::Object) => (self.index + 1, n.next),
            _ => (0, 0),
        };
        Children {
            of: *self,
            next,
            end,
        }
    }

    /// The decoded key of an object member.
    pub fn key(&self) -> Cow<'t, str> {
        match self.node() {
            Some(n) => unescape(
                self.text
                    .get(n.key_start as usize..n.key_end as usize)
                    .unwrap_or_default(),
                n.key_escaped,
            ),
            None => Cow::Borrowed(""),
        }
    }

    fn key_is(&self, key: &str) -> bool {
        let Some(n) = self.node() else { return false };
        let raw = self
            .text
            .get(n.key_start as usize..n.key_end as usize)
            .unwrap_or_default();
        if n.key_escaped {
            unescape(raw, true) == key
        } else {
            raw == key
        }
    }

    /// A member's value; with repeated keys the last one counts, as in a `serde_json` map.
    pub fn get(&self, key: &str) -> Option<NodeRef<'t>> {
        if self.kind() != Kind::Object {
            return None;
        }
        self.children().filter(|c| c.key_is(key)).last()
    }

    /// An array's element.
    pub fn item(&self, i: usize) -> Option<NodeRef<'t>> {
        if self.kind() != Kind::Array {
            return None;
        }
        self.children().nth(i)
    }

    /// An object's members ordered and deduplicated as in a `serde_json` map: by key, the last
    /// of repeated keys.
    pub fn members(&self) -> Vec<(Cow<'t, str>, NodeRef<'t>)> {
        if self.kind() != Kind::Object {
            return Vec::new();
        }
        let mut members: Vec<(Cow<'t, str>, NodeRef<'t>)> =
            self.children().map(|c| (c.key(), c)).collect();
        // Stable: among equal keys the last member stays last, and is the one kept.
        members.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Cow<'t, str>, NodeRef<'t>)> = Vec::with_capacity(members.len());
        for m in members {
            match out.last_mut() {
                Some(last) if last.0 == m.0 => *last = m,
                _ => out.push(m),
            }
        }
        out
    }

    /// Whether any `true` sits in this value's subtree.
    pub fn any_true(&self) -> bool {
        let end = self.node().map_or(self.index, |n| n.next);
        (self.index..end)
            .any(|i| matches!(self.tape.node(i).map(|n| n.kind), Some(Kind::Bool(true))))
    }
}

pub struct Children<'t> {
    of: NodeRef<'t>,
    next: u32,
    end: u32,
}

impl<'t> Iterator for Children<'t> {
    type Item = NodeRef<'t>;

    fn next(&mut self) -> Option<NodeRef<'t>> {
        if self.next >= self.end {
            return None;
        }
        let child = self.of.at(self.next);
        self.next = child.node().map_or(self.end, |n| n.next);
        Some(child)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Tape {
        let mut tape = Tape::new();
        tape.parse(text, text).unwrap();
        tape
    }

    #[test]
    fn indexes_values_with_their_spans() {
        let text = r#" {"a": [1, {"c": "x\"y"}], "d": true, "e": {}, "a": -2.5e3} "#;
        let tape = parsed(text);
        let root = tape.root(text).unwrap();
        assert_eq!(root.raw(), text.trim());
        assert_eq!(root.len(), 4);
        // The last of repeated keys counts.
        assert_eq!(root.get("a").unwrap().raw(), "-2.5e3");
        assert_eq!(root.get("d").unwrap().kind(), Kind::Bool(true));
        assert!(root.get("e").unwrap().is_empty());
        assert!(root.get("z").is_none());
        let members = root.members();
        let keys: Vec<&str> = members.iter().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["a", "d", "e"]);
        assert_eq!(members[0].1.raw(), "-2.5e3");
        assert!(root.any_true());
    }

    #[test]
    fn reads_nested_values_inside_a_larger_text() {
        let text = r#"{"outer": {"list": [1, {"c": "x\"y\u00e9\ud83d\ude00"}], "k\u0031": null}}"#;
        let start = text.find("{\"list").unwrap();
        let raw = &text[start..text.len() - 1];
        let mut tape = Tape::new();
        tape.parse(text, raw).unwrap();
        let root = tape.root(text).unwrap();
        assert_eq!(root.span(), (start, text.len() - 1));
        let c = root.get("list").unwrap().item(1).unwrap().get("c").unwrap();
        assert_eq!(c.raw(), r#""x\"y\u00e9\ud83d\ude00""#);
        assert_eq!(c.str().unwrap(), "x\"yé😀");
        assert!(root.get("k1").unwrap().is_null());
        assert!(root.get("list").unwrap().item(2).is_none());
        assert!(!root.any_true());
    }

    #[test]
    fn refuses_what_serde_json_values_refuse() {
        let mut tape = Tape::new();
        for bad in [
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            "1e400",
            "[1,]",
            "{\"a\" 1}",
            "tru",
            "[1 2]",
            "{\"a\": 1]",
            "\"a",
            "",
            "01x",
            "[] x",
        ] {
            assert!(tape.parse(bad, bad).is_err(), "{bad}");
            assert!(tape.is_empty());
        }
        let deep_ok = format!("{}{}", "[".repeat(127), "]".repeat(127));
        assert!(tape.parse(&deep_ok, &deep_ok).is_ok());
        let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(tape.parse(&deep, &deep).is_err());
        assert!(tape.parse("0e400", "0e400").is_ok());
        let outside = String::from("1");
        assert!(tape.parse("12", &outside).is_err());
    }

    #[test]
    fn any_cut_or_changed_byte_is_refused_or_read_without_panic() {
        let text =
            r#"{"a": [1, -2.5e3, {"c": "x\"y\u00e9\ud83d\ude00"}], "b": [true, null, {}], "": ""}"#;
        let mut tape = Tape::new();
        for end in 0..=text.len() {
            let Some(cut) = text.get(..end) else { continue };
            let ok = tape.parse(cut, cut).is_ok();
            assert_eq!(
                ok,
                serde_json::from_str::<serde_json::Value>(cut).is_ok(),
                "{cut}"
            );
        }
        for i in 0..text.len() {
            for byte in [b'"', b'\\', b'{', b']', b',', b':', b'u', b'0', b'e', b' '] {
                let mut bytes = text.as_bytes().to_vec();
                bytes[i] = byte;
                let Ok(changed) = String::from_utf8(bytes) else {
                    continue;
                };
                if tape.parse(&changed, &changed).is_ok() {
                    let root = tape.root(&changed).unwrap();
                    let walked: Vec<_> = root
                        .children()
                        .map(|c| (c.key(), c.str(), c.len()))
                        .collect();
                    assert!(walked.len() <= root.len());
                    assert!(
                        serde_json::from_str::<serde_json::Value>(&changed).is_ok(),
                        "{changed}"
                    );
                }
            }
        }
    }

    #[test]
    fn agrees_with_serde_json_on_what_it_accepts() {
        for text in [
            r#"{"a": [true, false, null, 0, -0, 1.5, 12345678901234567890123, "s"]}"#,
            r#"["\b\f\n\r\t\/\\", "\u0000", {"": {"": []}}]"#,
            "1e308",
            "-1.7976931348623157e308",
        ] {
            let mut tape = Tape::new();
            assert_eq!(
                tape.parse(text, text).is_ok(),
                serde_json::from_str::<serde_json::Value>(text).is_ok(),
                "{text}"
            );
        }
        let text = r#"["\b\f\n\r\t\/\\\"", "\u0000é"]"#;
        let tape = parsed(text);
        let items: Vec<String> = tape
            .root(text)
            .unwrap()
            .children()
            .map(|c| c.str().unwrap().into_owned())
            .collect();
        let expected: Vec<String> = serde_json::from_str(text).unwrap();
        assert_eq!(items, expected);
    }
}
