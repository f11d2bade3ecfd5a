//! Tri-state glob matching (`*`, `?`) over strings that may hold atoms.
//!
//! Without atoms this is the ordinary anchored IAM glob: `*` is any run (crossing `/` and `:`),
//! `?` exactly one character. With atoms the answer can be `Maybe`: an atom stands for a value we
//! do not know, so wherever it faces literal text the match depends on that value.

use super::atom::{self, Piece};

/// Ordered so that `max` picks the best alignment and `min` combines conjunctions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Match {
    No,
    Maybe,
    Yes,
}

impl Match {
    pub fn from_bool(b: bool) -> Match {
        if b { Match::Yes } else { Match::No }
    }

    pub fn and(self, other: Match) -> Match {
        self.min(other)
    }

    pub fn or(self, other: Match) -> Match {
        self.max(other)
    }
}

/// Three-valued negation: an uncertain match stays uncertain.
impl std::ops::Not for Match {
    type Output = Match;

    fn not(self) -> Match {
        match self {
            Match::Yes => Match::No,
            Match::No => Match::Yes,
            Match::Maybe => Match::Maybe,
        }
    }
}

/// One unit of a compiled pattern. Variable substitution produces literal `*`/`?` characters as
/// `Piece(Char)`, which is why wildcards are separate variants and not characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit<'a> {
    Star,
    One,
    Piece(Piece<'a>),
}

/// Compiles a glob pattern: `*` and `?` are wildcards, everything else (atoms included) literal.
pub fn compile(pattern: &str) -> Vec<Unit<'_>> {
    atom::pieces(pattern)
        .into_iter()
        .map(|p| match p {
            Piece::Char('*') => Unit::Star,
            Piece::Char('?') => Unit::One,
            other => Unit::Piece(other),
        })
        .collect()
}

/// Compiles text that must be compared literally (no wildcards).
pub fn compile_literal(text: &str) -> Vec<Unit<'_>> {
    atom::pieces(text).into_iter().map(Unit::Piece).collect()
}

/// Anchored glob match of `text` against `pattern`.
pub fn glob(pattern: &str, text: &str, case_insensitive: bool) -> Match {
    if !atom::contains_atoms(pattern) && !atom::contains_atoms(text) {
        return Match::from_bool(plain_glob(pattern, text, case_insensitive));
    }
    glob_units(&compile(pattern), text, case_insensitive)
}

/// Equality that understands atoms: identical texts are `Yes` even when they hold atoms.
pub fn literal(a: &str, b: &str, case_insensitive: bool) -> Match {
    if a == b {
        return Match::Yes;
    }
    if !atom::contains_atoms(a) && !atom::contains_atoms(b) {
        return Match::from_bool(case_insensitive && a.eq_ignore_ascii_case(b));
    }
    glob_units(&compile_literal(a), b, case_insensitive)
}

/// Whether the text is free of wildcards and atoms, so that a `Yes`/`No` equality decides.
pub fn is_plain_literal(pattern: &str) -> bool {
    !pattern.contains(['*', '?']) && !atom::contains_atoms(pattern)
}

fn plain_glob(pattern: &str, text: &str, ci: bool) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        let eq = |a: &u8, b: &u8| {
            if ci {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        return wildcard(pattern.as_bytes(), text.as_bytes(), b'*', b'?', eq);
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let eq = |a: &char, b: &char| {
        if ci {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    wildcard(&p, &t, '*', '?', eq)
}

/// Iterative glob with one backtrack point: linear in practice, O(|p|·|t|) at worst, never
/// exponential (a later `*` supersedes the earlier backtrack point).
fn wildcard<T: Copy + PartialEq>(
    p: &[T],
    t: &[T],
    star: T,
    one: T,
    eq: impl Fn(&T, &T) -> bool,
) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut back: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some(pc), _) if *pc == star => {
                back = Some((pi, ti));
                pi += 1;
            }
            (Some(pc), Some(tc)) if *pc == one || eq(pc, tc) => {
                pi += 1;
                ti += 1;
            }
            _ => match back {
                Some((bp, bt)) => {
                    back = Some((bp, bt + 1));
                    pi = bp + 1;
                    ti = bt + 1;
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == star))
}

/// May the text-side atom `atom` stand for (part of) pattern unit `unit`?
fn text_atom_absorbs(unit: Unit<'_>, atom: Piece<'_>) -> bool {
    match unit {
        Unit::Star => false,
        Unit::One | Unit::Piece(Piece::Char(_)) | Unit::Piece(Piece::Unknown(_)) => true,
        Unit::Piece(Piece::Identity(_)) => matches!(atom, Piece::Unknown(_)),
    }
}

/// May the pattern-side atom `atom` stand for text piece `piece`?
fn pattern_atom_absorbs(piece: Piece<'_>, atom: Piece<'_>) -> bool {
    match piece {
        Piece::Char(_) | Piece::Unknown(_) => true,
        Piece::Identity(_) => matches!(atom, Piece::Unknown(_)),
    }
}

fn is_atom(p: Piece<'_>) -> bool {
    !matches!(p, Piece::Char(_))
}

/// Best match over all alignments, by dynamic programming over (pattern unit, text piece).
///
/// `dp[i][j]` is the best result for `pattern[i..]` against `text[j..]`. Atoms may absorb units
/// of the other side (giving at most `Maybe`); an unknown atom may also be empty, an identity atom
/// may not (it names a real resource), which is what makes two different identity atoms `No`.
pub fn glob_units(pattern: &[Unit<'_>], text: &str, ci: bool) -> Match {
    let text = atom::pieces(text);
    let (np, nt) = (pattern.len(), text.len());
    let mut next = vec![Match::No; nt + 1];
    let mut cur = vec![Match::No; nt + 1];
    for i in (0..=np).rev() {
        for j in (0..=nt).rev() {
            let right = cur.get(j + 1).copied().unwrap_or(Match::No);
            let down = if i < np {
                next.get(j).copied().unwrap_or(Match::No)
            } else {
                Match::No
            };
            let diag = if i < np {
                next.get(j + 1).copied().unwrap_or(Match::No)
            } else {
                Match::No
            };
            let pu = pattern.get(i).copied();
            let tp = text.get(j).copied();
            let mut r = Match::from_bool(i == np && j == nt);
            if pu == Some(Unit::Star) {
                r = r.max(down);
                if tp.is_some() {
                    r = r.max(right);
                }
            }
            if let (Some(pu), Some(tp)) = (pu, tp) {
                let direct = match (pu, tp) {
                    (Unit::Piece(Piece::Char(a)), Piece::Char(b)) => {
                        a == b || (ci && a.eq_ignore_ascii_case(&b))
                    }
                    (Unit::One, Piece::Char(_)) => true,
                    (Unit::Piece(Piece::Identity(x)), Piece::Identity(y)) => x == y,
                    _ => false,
                };
                if direct {
                    r = r.max(diag);
                }
                if is_atom(tp) && text_atom_absorbs(pu, tp) {
                    r = r.max(Match::Maybe.min(down.max(diag)));
                }
                if let Unit::Piece(pa) = pu
                    && is_atom(pa)
                    && pattern_atom_absorbs(tp, pa)
                {
                    r = r.max(Match::Maybe.min(right.max(diag)));
                }
            }
            if let Some(Piece::Unknown(_)) = tp {
                r = r.max(Match::Maybe.min(right));
            }
            if let Some(Unit::Piece(Piece::Unknown(_))) = pu {
                r = r.max(Match::Maybe.min(down));
            }
            if let Some(slot) = cur.get_mut(j) {
                *slot = r;
            }
        }
        std::mem::swap(&mut next, &mut cur);
    }
    next.first().copied().unwrap_or(Match::No)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::atom::{identity, unknown};
    use Match::*;

    #[test]
    fn plain_globs() {
        assert_eq!(glob("s3:Replicate*", "s3:ReplicateObject", true), Yes);
        assert_eq!(glob("S3:REPLICATEOBJECT", "s3:ReplicateObject", true), Yes);
        assert_eq!(glob("S3:REPLICATEOBJECT", "s3:ReplicateObject", false), No);
        assert_eq!(glob("s3:Replicat?Object", "s3:ReplicateObject", true), Yes);
        assert_eq!(glob("s3:*Object*", "s3:ReplicateTags", true), No);
        assert_eq!(
            glob(
                "arn:aws:s3:::dest-bucket*",
                "arn:aws:s3:::dest-bucket-2/k",
                false
            ),
            Yes
        );
        assert_eq!(
            glob(
                "arn:aws:s3:::dest-bucket",
                "arn:aws:s3:::dest-bucket/k",
                false
            ),
            No
        );
        assert_eq!(glob("arn:aws:s3:::a+b/*", "arn:aws:s3:::a+b/x", false), Yes);
        assert_eq!(glob("*", "", false), Yes);
        assert_eq!(glob("?", "", false), No);
        assert_eq!(glob("a*b*c", "aXbYbZc", false), Yes);
        assert_eq!(glob("a*b*c", "aXbYbZ", false), No);
        assert_eq!(glob("é?", "éü", false), Yes);
    }

    #[test]
    fn no_exponential_blowup() {
        let text = "a".repeat(5000);
        let pattern = "*a".repeat(50) + "b";
        assert_eq!(glob(&pattern, &text, false), No);
        let t = format!("{}{}", text, unknown("x"));
        assert_eq!(glob(&pattern, &t, false), Maybe);
    }

    #[test]
    fn atoms() {
        let b = identity("aws_s3_bucket.dst.arn");
        let c = identity("aws_s3_bucket.src.arn");
        let u = unknown("known after apply");
        let obj = |a: &str| format!("{a}/photos/cat.jpg");
        assert_eq!(glob(&format!("{b}/*"), &obj(&b), false), Yes);
        assert_eq!(glob(&format!("{c}/*"), &obj(&b), false), No);
        assert_eq!(glob("arn:aws:s3:::dest/*", &obj(&b), false), Maybe);
        assert_eq!(glob("*", &obj(&b), false), Yes);
        assert_eq!(glob("*", &u, false), Yes);
        assert_eq!(glob(&b, &u, false), Maybe);
        assert_eq!(glob(&u, &b, false), Maybe);
        assert_eq!(glob(&u, "", false), Maybe);
        assert_eq!(glob(&b, "", false), No);
        assert_eq!(glob("?", &b, false), Maybe);
        assert_eq!(glob(&format!("{b}/*"), "arn:aws:s3:::dest/k", false), Maybe);
        assert_eq!(glob(&format!("{b}/x"), &format!("{b}/y"), false), No);
        assert_eq!(literal(&b, &b, false), Yes);
        assert_eq!(literal(&b, &c, false), No);
        assert_eq!(literal("a*", "ab", false), No);
        assert_eq!(literal(&format!("arn:{u}"), "arn:x", false), Maybe);
    }
}
