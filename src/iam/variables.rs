//! Policy variables (`${aws:username}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`).
//!
//! Substitution happens on compiled units rather than on text: a substituted value and the
//! escapes are literal characters, so a `*` that comes from a value or from `${*}` must not turn
//! into a wildcard.

use super::atom::{self, Piece};
use super::matching::Unit;
use super::request::RequestContext;

/// Whether `text` would change under substitution (cheap test for the fast path).
pub fn has_variables(text: &str) -> bool {
    text.contains("${")
}

/// Compiles `text` with variables replaced by context values. `wildcards` says whether `*`/`?`
/// outside variables are glob wildcards (Resource, `*Like`) or literal (`StringEquals`).
/// `None` means a variable has no value and no default: the element cannot match.
pub fn expand<'a>(
    text: &'a str,
    ctx: &'a RequestContext,
    wildcards: bool,
) -> Option<Vec<Unit<'a>>> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${")
            && let Some(close) = after.find('}')
        {
            let inner = after.get(..close).unwrap_or_default();
            rest = after.get(close + 1..).unwrap_or_default();
            match inner {
                "*" => out.push(Unit::Piece(Piece::Char('*'))),
                "?" => out.push(Unit::Piece(Piece::Char('?'))),
                "$" => out.push(Unit::Piece(Piece::Char('$'))),
                _ => substitute(inner, ctx, &mut out)?,
            }
            continue;
        }
        let c = rest.chars().next()?;
        let len = c.len_utf8();
        // Atoms pass through whole: their payload is not policy text.
        let piece_len = atom_len(rest).unwrap_or(len);
        let chunk = rest.get(..piece_len).unwrap_or_default();
        for p in atom::pieces(chunk) {
            out.push(match p {
                Piece::Char('*') if wildcards => Unit::Star,
                Piece::Char('?') if wildcards => Unit::One,
                other => Unit::Piece(other),
            });
        }
        rest = rest.get(piece_len..).unwrap_or_default();
    }
    Some(out)
}

/// Byte length of an atom at the start of `text`, if one starts there.
fn atom_len(text: &str) -> Option<usize> {
    let close = match text.chars().next()? {
        atom::IDENTITY_OPEN => atom::IDENTITY_CLOSE,
        atom::UNKNOWN_OPEN => atom::UNKNOWN_CLOSE,
        _ => return None,
    };
    text.find(close).map(|i| i + close.len_utf8())
}

fn substitute<'a>(inner: &'a str, ctx: &'a RequestContext, out: &mut Vec<Unit<'a>>) -> Option<()> {
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => (k.trim(), parse_default(d.trim())),
        None => (inner.trim(), None),
    };
    let literal = |s: &'a str, out: &mut Vec<Unit<'a>>| {
        out.extend(atom::pieces(s).into_iter().map(Unit::Piece))
    };
    match ctx.get(key) {
        Some([one]) => literal(one, out),
        // A multi-valued key cannot be substituted; AWS documents no meaning, so it matches
        // nothing certain rather than something arbitrary.
        Some(many) if many.len() > 1 => out.push(Unit::Piece(Piece::Unknown(
            "a multi-valued key used as a policy variable",
        ))),
        _ => literal(default?, out),
    }
    Some(())
}

/// `'text'` → `text`; a default must be quoted with single quotes.
fn parse_default(text: &str) -> Option<&str> {
    text.strip_prefix('\'')?.strip_suffix('\'')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::matching::{Match, glob_units};

    fn ctx() -> RequestContext {
        let mut c = RequestContext::new();
        c.set_one("aws:PrincipalAccount", "222222222222");
        c.set_one("aws:username", "a*b");
        c
    }

    #[test]
    fn substitution() {
        let c = ctx();
        let p = expand("arn:aws:s3:::b/${aws:PrincipalAccount}/*", &c, true).unwrap();
        assert_eq!(
            glob_units(&p, "arn:aws:s3:::b/222222222222/k", false),
            Match::Yes
        );
        assert_eq!(glob_units(&p, "arn:aws:s3:::b/333/k", false), Match::No);
        let p = expand("home/${aws:username}", &c, true).unwrap();
        assert_eq!(glob_units(&p, "home/a*b", false), Match::Yes);
        assert_eq!(
            glob_units(&p, "home/aXb", false),
            Match::No,
            "values are literal"
        );
        let p = expand("x${*}y${?}${$}", &c, true).unwrap();
        assert_eq!(glob_units(&p, "x*y?$", false), Match::Yes);
        assert_eq!(glob_units(&p, "xzy?$", false), Match::No);
        let p = expand("${aws:missing, 'dflt'}/${ aws:missing , 'x y' }", &c, true).unwrap();
        assert_eq!(glob_units(&p, "dflt/x y", false), Match::Yes);
        assert!(expand("${aws:missing}", &c, true).is_none());
        let p = expand("a*${unclosed", &c, false).unwrap();
        assert_eq!(glob_units(&p, "a*${unclosed", false), Match::Yes);
    }
}
