//! Opaque atoms: values not known before apply, inside ordinary strings.
//!
//! A reference to a resource attribute that is computed at apply (the name of a bucket created
//! with `bucket_prefix`, the ARN of a new role) becomes an *identity atom*: the same reference
//! always gives the same atom, so "same reference ⇒ same bucket" holds while matching policies,
//! without guessing a name. A value nobody can know becomes an *unknown atom*, which never
//! matches anything for sure. The IAM engine's glob matcher understands both.
//!
//! Identity atom: `U+E000 <payload> U+E001`; unknown atom: `U+E002 <payload> U+E003`. Payloads
//! are short ids with no `:` or `/`, so an atom can stand for one ARN segment.

pub const IDENTITY_OPEN: char = '\u{E000}';
pub const IDENTITY_CLOSE: char = '\u{E001}';
pub const UNKNOWN_OPEN: char = '\u{E002}';
pub const UNKNOWN_CLOSE: char = '\u{E003}';

pub fn identity(payload: &str) -> String {
    format!("{IDENTITY_OPEN}{payload}{IDENTITY_CLOSE}")
}

pub fn unknown(payload: &str) -> String {
    format!("{UNKNOWN_OPEN}{payload}{UNKNOWN_CLOSE}")
}

pub fn contains_atoms(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, IDENTITY_OPEN | UNKNOWN_OPEN))
}

pub fn contains_unknown(text: &str) -> bool {
    text.contains(UNKNOWN_OPEN)
}

/// A piece of a string: literal text or an atom.
pub enum Piece<'a> {
    Text(&'a str),
    Atom { identity: bool, payload: &'a str },
}

/// Splits a string into literal text and atoms.
pub fn for_each_part(text: &str, mut on_piece: impl FnMut(Piece<'_>)) {
    let mut rest = text;
    while let Some(i) = rest.find([IDENTITY_OPEN, UNKNOWN_OPEN]) {
        on_piece(Piece::Text(&rest[..i]));
        let open = rest[i..].chars().next().unwrap_or(IDENTITY_OPEN);
        let close = if open == IDENTITY_OPEN {
            IDENTITY_CLOSE
        } else {
            UNKNOWN_CLOSE
        };
        let body = &rest[i + open.len_utf8()..];
        match body.find(close) {
            Some(j) => {
                on_piece(Piece::Atom {
                    identity: open == IDENTITY_OPEN,
                    payload: &body[..j],
                });
                rest = &body[j + close.len_utf8()..];
            }
            None => {
                on_piece(Piece::Text(body));
                return;
            }
        }
    }
    on_piece(Piece::Text(rest));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_parts() {
        let s = format!("arn:aws:s3:::{}/{}*", identity("b1"), unknown("u0"));
        let mut parts = Vec::new();
        for_each_part(&s, |p| match p {
            Piece::Text(t) => parts.push(format!("T{t}")),
            Piece::Atom { identity, payload } => {
                parts.push(format!("{}{payload}", if identity { "I" } else { "U" }))
            }
        });
        assert_eq!(parts, ["Tarn:aws:s3:::", "Ib1", "T/", "Uu0", "T*"]);
    }
}
