//! Symbolic values inside ordinary strings.
//!
//! Loaders lower values that are not known before apply into atoms embedded in the text, so a
//! policy that says `"${aws_s3_bucket.dst.arn}/*"` can still be compared with a request on the
//! same reference. Private-use code points are the delimiters: they never occur in ARNs, action
//! names or condition values that AWS accepts, so an atom cannot collide with real text.
//!
//! * identity atom `\u{E000}payload\u{E001}`: an unknown but fixed value; two identical atoms are
//!   the same value, two different identity atoms are different values (different resources).
//! * unknown atom `\u{E002}why\u{E003}`: anything at all.

pub const IDENTITY_OPEN: char = '\u{E000}';
pub const IDENTITY_CLOSE: char = '\u{E001}';
pub const UNKNOWN_OPEN: char = '\u{E002}';
pub const UNKNOWN_CLOSE: char = '\u{E003}';

fn is_delimiter(c: char) -> bool {
    matches!(
        c,
        IDENTITY_OPEN | IDENTITY_CLOSE | UNKNOWN_OPEN | UNKNOWN_CLOSE
    )
}

/// An identity atom for `payload` (for example a Terraform reference `aws_s3_bucket.dst.arn`).
pub fn identity(payload: &str) -> String {
    let mut s = String::with_capacity(payload.len() + 6);
    s.push(IDENTITY_OPEN);
    s.extend(payload.chars().filter(|c| !is_delimiter(*c)));
    s.push(IDENTITY_CLOSE);
    s
}

/// An unknown atom; `why` is kept so that diagnostics can say what was not known.
pub fn unknown(why: &str) -> String {
    let mut s = String::with_capacity(why.len() + 6);
    s.push(UNKNOWN_OPEN);
    s.extend(why.chars().filter(|c| !is_delimiter(*c)));
    s.push(UNKNOWN_CLOSE);
    s
}

/// Whether the text holds a value nobody can know before apply.
pub fn contains_unknown(text: &str) -> bool {
    text.contains(UNKNOWN_OPEN)
}

pub fn contains_atoms(text: &str) -> bool {
    // The delimiters are U+E000..=U+E003, in UTF-8 `EE 80 80..=83`: ASCII text (nearly every
    // ARN and action) has none, and elsewhere only an `EE` byte can start one.
    let bytes = text.as_bytes();
    !bytes.is_ascii()
        && memchr::memchr_iter(0xEE, bytes)
            .any(|at| matches!(bytes.get(at + 1..at + 3), Some([0x80, 0x80..=0x83])))
}

/// One unit of a string that may hold atoms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Char(char),
    Identity(&'a str),
    Unknown(&'a str),
}

/// Splits text into characters and atoms. A delimiter without its partner is kept as an ordinary
/// character: malformed input must not make a value disappear.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after = rest.get(c.len_utf8()..).unwrap_or_default();
        let close = match c {
            IDENTITY_OPEN => Some(IDENTITY_CLOSE),
            UNKNOWN_OPEN => Some(UNKNOWN_CLOSE),
            _ => None,
        };
        if let Some(close) = close
            && let Some(end) = after.find(close)
        {
            let payload = after.get(..end).unwrap_or_default();
            out.push(if c == IDENTITY_OPEN {
                Piece::Identity(payload)
            } else {
                Piece::Unknown(payload)
            });
            rest = after.get(end + close.len_utf8()..).unwrap_or_default();
            continue;
        }
        out.push(Piece::Char(c));
        rest = after;
    }
    out
}

/// The reasons of the unknown atoms in `text`, and the payloads of identity atoms, for messages.
pub fn describe(text: &str) -> Vec<String> {
    pieces(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Identity(p) => Some(format!("the value of {p}")),
            Piece::Unknown(w) => Some(w.to_string()),
            Piece::Char(_) => None,
        })
        .collect()
}

/// Text for messages: identity atoms as `${payload}` (how references read in Terraform),
/// unknown atoms as `(unknown: why)`.
pub fn display(text: &str) -> String {
    if !contains_atoms(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for p in pieces(text) {
        match p {
            Piece::Char(c) => out.push(c),
            Piece::Identity(p) => {
                out.push_str("${");
                out.push_str(p);
                out.push('}');
            }
            Piece::Unknown(w) => {
                out.push_str("(unknown: ");
                out.push_str(w);
                out.push(')');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_and_split() {
        let a = identity("aws_s3_bucket.dst.arn");
        let u = unknown("known after apply\u{E001}");
        let text = format!("{a}/x{u}");
        assert!(contains_atoms(&text));
        assert!(!contains_atoms("arn:aws:s3:::b"));
        let p = pieces(&text);
        assert_eq!(p[0], Piece::Identity("aws_s3_bucket.dst.arn"));
        assert_eq!(p[1], Piece::Char('/'));
        assert_eq!(p[3], Piece::Unknown("known after apply"));
        assert_eq!(
            display(&text),
            "${aws_s3_bucket.dst.arn}/x(unknown: known after apply)"
        );
        assert_eq!(
            pieces("\u{E000}dangling"),
            "\u{E000}dangling"
                .chars()
                .map(Piece::Char)
                .collect::<Vec<_>>()
        );
    }

    proptest::proptest! {
        /// The byte search finds a delimiter exactly where a character search does, among
        /// the private-use neighbours that share its first bytes.
        #[test]
        fn contains_atoms_is_a_search_for_the_delimiters(
            text in "[a-z:/*\u{E000}-\u{E005}\u{D7FF}\u{E040}\u{EE80}é€]{0,12}"
        ) {
            proptest::prop_assert_eq!(contains_atoms(&text), text.chars().any(is_delimiter));
        }
    }
}
