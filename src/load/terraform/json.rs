//! JSON held in Terraform strings (heredoc policies with `${...}`, `jsondecode`, `file`), parsed
//! into a [`Node`] whose locations point into the .tf file.
//!
//! Interpolations that stay unknown until apply are "holes": each one stands in the text as one
//! private-use character, so the JSON around it still parses; inside a JSON string a hole becomes
//! a template part (`"${aws_s3_bucket.dst.arn}/*"` → `[Ref, "/*"]`).

use crate::source::{Loc, Span};
use crate::syntax::{Key, Node, NodeKind, Part};

use super::value::{Seg, TextMap, VK, Val, to_node};

const HOLE_BASE: u32 = 0xF0000;
const MAX_DEPTH: usize = 128;

enum Piece {
    Text {
        start: usize,
        map: Option<TextMap>,
        loc: Loc,
    },
    Hole {
        start: usize,
        seg: Seg,
    },
}

pub struct Holed {
    pub text: String,
    pieces: Vec<Piece>,
}

impl Holed {
    pub fn new(segs: &[Seg]) -> Holed {
        let mut text = String::new();
        let mut pieces = Vec::new();
        let mut holes = 0u32;
        for seg in segs {
            let start = text.len();
            match seg {
                Seg::Text(s, loc) => {
                    text.push_str(&s.text);
                    pieces.push(Piece::Text {
                        start,
                        map: s.map.clone().or_else(|| super::value::implicit_map(loc)),
                        loc: loc.clone(),
                    });
                }
                other => {
                    text.push(char::from_u32(HOLE_BASE + holes).unwrap_or('\u{F0000}'));
                    holes += 1;
                    pieces.push(Piece::Hole {
                        start,
                        seg: other.clone(),
                    });
                }
            }
        }
        Holed { text, pieces }
    }

    fn piece_at(&self, offset: usize) -> Option<&Piece> {
        let i = self
            .pieces
            .partition_point(|p| piece_start(p) <= offset)
            .checked_sub(1)?;
        self.pieces.get(i)
    }

    /// The file location of decoded range `start..end`.
    fn loc(&self, start: usize, end: usize) -> Loc {
        let a = self.point(start, false);
        let b = self.point(end, true);
        match (a, b) {
            (Some(Loc::Span(a)), Some(Loc::Span(b))) if a.file == b.file && b.end >= a.start => {
                Loc::Span(Span {
                    file: a.file,
                    start: a.start,
                    end: b.end,
                })
            }
            (Some(a), _) => a,
            _ => Loc::None,
        }
    }

    fn point(&self, offset: usize, is_end: bool) -> Option<Loc> {
        // An end offset belongs to the piece that holds the byte before it.
        let probe = if is_end && offset > 0 {
            offset - 1
        } else {
            offset
        };
        match self.piece_at(probe)? {
            Piece::Text { start, map, loc } => match map {
                Some(m) => {
                    let d = (offset - start) as u32;
                    Some(m.loc(d, d))
                }
                None => Some(loc.clone()),
            },
            Piece::Hole { seg, .. } => Some(match seg {
                Seg::Text(_, l) | Seg::Ref(_, l) | Seg::Unknown(_, l) | Seg::Doc(_, l) => l.clone(),
            }),
        }
    }

    fn hole(&self, c: char) -> Option<&Seg> {
        let index = (c as u32).checked_sub(HOLE_BASE)? as usize;
        self.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Hole { seg, .. } => Some(seg),
                _ => None,
            })
            .nth(index)
    }
}

fn piece_start(p: &Piece) -> usize {
    match p {
        Piece::Text { start, .. } | Piece::Hole { start, .. } => *start,
    }
}

fn is_hole(c: char) -> bool {
    (HOLE_BASE..HOLE_BASE + 0xFFFD).contains(&(c as u32))
}

pub struct JsonError {
    pub message: String,
    pub loc: Loc,
}

/// Parses JSON text (with holes) into a node.
pub fn parse(h: &Holed) -> Result<Node, JsonError> {
    let mut p = Parser { h, pos: 0 };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    if p.pos < h.text.len() {
        return Err(p.err("unexpected text after the JSON document"));
    }
    Ok(node)
}

struct Parser<'h> {
    h: &'h Holed,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.h.text.get(self.pos..)?.chars().next()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }
    fn err(&self, message: &str) -> JsonError {
        let end = self.pos + self.peek().map_or(0, char::len_utf8);
        JsonError {
            message: format!("invalid JSON: {message}"),
            loc: self.h.loc(self.pos, end),
        }
    }
    fn expect(&mut self, c: char) -> Result<(), JsonError> {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err(self.err(&format!("expected `{c}`")))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        let start = self.pos;
        let kind = match self.peek() {
            Some('{') => {
                self.pos += 1;
                let mut entries = Vec::new();
                self.ws();
                if self.peek() == Some('}') {
                    self.pos += 1;
                } else {
                    loop {
                        self.ws();
                        let kstart = self.pos;
                        let key = match self.string()? {
                            NodeKind::Str(s) => s,
                            _ => return Err(self.err("object keys must be known strings")),
                        };
                        let kloc = self.h.loc(kstart, self.pos);
                        self.ws();
                        self.expect(':')?;
                        self.ws();
                        let v = self.value(depth + 1)?;
                        entries.push((
                            Key {
                                text: key,
                                loc: kloc,
                            },
                            v,
                        ));
                        self.ws();
                        match self.bump() {
                            Some(',') => continue,
                            Some('}') => break,
                            _ => {
                                self.pos = self.pos.saturating_sub(1);
                                return Err(self.err("expected `,` or `}`"));
                            }
                        }
                    }
                }
                NodeKind::Map(entries)
            }
            Some('[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(']') {
                    self.pos += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.bump() {
                            Some(',') => continue,
                            Some(']') => break,
                            _ => {
                                self.pos = self.pos.saturating_sub(1);
                                return Err(self.err("expected `,` or `]`"));
                            }
                        }
                    }
                }
                NodeKind::List(items)
            }
            Some('"') => self.string()?,
            Some(c) if is_hole(c) => {
                self.pos += c.len_utf8();
                let loc = self.h.loc(start, self.pos);
                return Ok(match self.h.hole(c) {
                    Some(Seg::Ref(r, l)) => to_node(&Val::new(VK::Ref(r.clone()), l.clone()), 0),
                    Some(Seg::Doc(v, _)) => to_node(v, 0),
                    Some(Seg::Unknown(w, l)) => Node::new(NodeKind::Unknown(w.clone()), l.clone()),
                    _ => Node::unknown("a value known only after apply", loc),
                });
            }
            Some('t') => self.word("true", NodeKind::Bool(true))?,
            Some('f') => self.word("false", NodeKind::Bool(false))?,
            Some('n') => self.word("null", NodeKind::Null)?,
            Some(c) if c == '-' || c.is_ascii_digit() => {
                while let Some(c) = self.peek() {
                    if c.is_ascii_digit() || "+-.eE".contains(c) {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                let raw = self.h.text.get(start..self.pos).unwrap_or("0");
                if raw.parse::<f64>().is_err() {
                    self.pos = start;
                    return Err(self.err("invalid number"));
                }
                NodeKind::Number(raw.into())
            }
            _ => return Err(self.err("expected a value")),
        };
        Ok(Node::new(kind, self.h.loc(start, self.pos)))
    }

    fn word(&mut self, w: &str, kind: NodeKind) -> Result<NodeKind, JsonError> {
        if self
            .h
            .text
            .get(self.pos..)
            .is_some_and(|t| t.starts_with(w))
        {
            self.pos += w.len();
            Ok(kind)
        } else {
            Err(self.err("expected a value"))
        }
    }

    /// A string literal: `Str`, or `Template` when it holds holes.
    fn string(&mut self) -> Result<NodeKind, JsonError> {
        self.expect('"')?;
        let mut parts: Vec<Part> = Vec::new();
        let mut cur = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(self.err("unterminated string"));
            };
            match c {
                '"' => break,
                '\\' => {
                    let Some(e) = self.bump() else {
                        return Err(self.err("unterminated string"));
                    };
                    match e {
                        '"' => cur.push('"'),
                        '\\' => cur.push('\\'),
                        '/' => cur.push('/'),
                        'b' => cur.push('\u{8}'),
                        'f' => cur.push('\u{c}'),
                        'n' => cur.push('\n'),
                        'r' => cur.push('\r'),
                        't' => cur.push('\t'),
                        'u' => {
                            let hex = self.h.text.get(self.pos..self.pos + 4).unwrap_or("");
                            let Ok(mut code) = u32::from_str_radix(hex, 16) else {
                                return Err(self.err("invalid \\u escape"));
                            };
                            self.pos += 4;
                            // A surrogate pair spells one character in two escapes.
                            if (0xD800..0xDC00).contains(&code)
                                && self.h.text.get(self.pos..self.pos + 2) == Some("\\u")
                            {
                                let lo = self.h.text.get(self.pos + 2..self.pos + 6).unwrap_or("");
                                if let Ok(lo) = u32::from_str_radix(lo, 16)
                                    && (0xDC00..0xE000).contains(&lo)
                                {
                                    code = 0x10000 + ((code - 0xD800) << 10) + (lo - 0xDC00);
                                    self.pos += 6;
                                }
                            }
                            cur.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(self.err("invalid escape")),
                    }
                }
                c if is_hole(c) => {
                    if !cur.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut cur).into()));
                    }
                    match self.h.hole(c) {
                        Some(Seg::Ref(r, _)) => parts.push(Part::Ref(r.clone())),
                        Some(Seg::Unknown(w, _)) => parts.push(Part::Unknown(w.clone())),
                        _ => parts.push(Part::Unknown(crate::syntax::Why::new(
                            "a value known only after apply",
                        ))),
                    }
                }
                c if (c as u32) < 0x20 => {
                    self.pos -= c.len_utf8();
                    return Err(self.err("control character in a string"));
                }
                c => cur.push(c),
            }
        }
        if parts.is_empty() {
            return Ok(NodeKind::Str(cur.into()));
        }
        if !cur.is_empty() {
            parts.push(Part::Lit(cur.into()));
        }
        Ok(NodeKind::Template(parts))
    }
}

/// Converts a parsed JSON node back into an evaluator value (`jsondecode`).
pub fn node_to_val(n: &Node) -> Val {
    let kind = match &n.kind {
        NodeKind::Null => VK::Null,
        NodeKind::Bool(b) => VK::Bool(*b),
        NodeKind::Number(s) => s.parse().map(VK::Num).unwrap_or(VK::Null),
        NodeKind::Str(s) => VK::Str(super::value::Str {
            text: s.to_string(),
            map: None,
        }),
        NodeKind::Template(parts) => VK::Tmpl(
            parts
                .iter()
                .map(|p| match p {
                    Part::Lit(s) => Seg::Text(
                        super::value::Str {
                            text: s.to_string(),
                            map: None,
                        },
                        n.loc.clone(),
                    ),
                    Part::Ref(r) => Seg::Ref(r.clone(), n.loc.clone()),
                    Part::Unknown(w) => Seg::Unknown(w.clone(), n.loc.clone()),
                })
                .collect(),
        ),
        NodeKind::List(items) => VK::List(items.iter().map(node_to_val).collect()),
        NodeKind::Map(entries) => VK::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), node_to_val(v)))
                .collect(),
        ),
        NodeKind::Unknown(w) => VK::Unknown(w.clone()),
    };
    Val::new(kind, n.loc.clone())
}
