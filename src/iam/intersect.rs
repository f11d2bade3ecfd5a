//! Whether two glob patterns can match a common string: "could this policy Resource denote an
//! ARN of that resource type?" (an object-only action granted on a bucket ARN grants nothing).

use super::atom::{self, Piece};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum U {
    /// Any run of characters.
    Star,
    /// Any run without this character (`:` in an ARN segment, `/` in an S3 bucket name).
    StarWithout(char),
    One,
    Char(char),
}

/// Policy glob units; an atom stands for any text, so it intersects like `*`.
fn policy_units(pattern: &str) -> Vec<U> {
    atom::pieces(pattern)
        .into_iter()
        .map(|p| match p {
            Piece::Char('*') => U::Star,
            Piece::Char('?') => U::One,
            Piece::Char(c) => U::Char(c),
            Piece::Identity(_) | Piece::Unknown(_) => U::Star,
        })
        .collect()
}

/// ARN template units. Placeholders in the first five segments (partition, region, account…)
/// cannot hold `:`, `${BucketName}` cannot hold `/`; the rest of the resource part is free.
fn template_units(template: &str) -> Vec<U> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut colons = 0;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${")
            && let Some(end) = after.find('}')
        {
            let name = after.get(..end).unwrap_or_default();
            out.push(if colons < 5 {
                U::StarWithout(':')
            } else if name == "BucketName" {
                U::StarWithout('/')
            } else {
                U::Star
            });
            rest = after.get(end + 1..).unwrap_or_default();
            continue;
        }
        colons += usize::from(c == ':');
        out.push(U::Char(c));
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    out
}

/// The characters an ARN template writes literally (outside its placeholders).
pub fn template_literals(template: &str) -> impl Iterator<Item = char> {
    template_units(template)
        .into_iter()
        .filter_map(|u| match u {
            U::Char(c) => Some(c),
            _ => None,
        })
}

/// Whether some string matches both a policy glob and an ARN template (case-sensitive).
pub fn glob_meets_template(policy_glob: &str, arn_template: &str) -> bool {
    units_intersect(&policy_units(policy_glob), &template_units(arn_template))
}

/// Whether two policy globs can match a common string.
pub fn globs_intersect(a: &str, b: &str) -> bool {
    units_intersect(&policy_units(a), &policy_units(b))
}

fn is_star(u: U) -> bool {
    matches!(u, U::Star | U::StarWithout(_))
}

/// Can a star of kind `star` absorb unit `u` (one character's worth, or another star)?
fn absorbs(star: U, u: U) -> bool {
    match (star, u) {
        (U::StarWithout(c), U::Char(d)) => c != d,
        _ => true,
    }
}

/// `dp[i][j]`: `a[i..]` and `b[j..]` have a common match. Filled backwards, two rows.
fn units_intersect(a: &[U], b: &[U]) -> bool {
    let (na, nb) = (a.len(), b.len());
    let mut next = vec![false; nb + 1];
    let mut cur = vec![false; nb + 1];
    for i in (0..=na).rev() {
        for j in (0..=nb).rev() {
            let down = i < na && next.get(j).copied().unwrap_or(false);
            let right = cur.get(j + 1).copied().unwrap_or(false);
            let diag = i < na && next.get(j + 1).copied().unwrap_or(false);
            let (x, y) = (a.get(i).copied(), b.get(j).copied());
            let mut r = i == na && j == nb;
            if let Some(x) = x
                && is_star(x)
            {
                // The star ends here, or swallows b's next unit and continues.
                r |= down
                    || (y.is_some_and(|y| absorbs(x, y) && (!is_star(y) || x == U::Star)) && right);
            }
            if let Some(y) = y
                && is_star(y)
            {
                r |= right
                    || (x.is_some_and(|x| absorbs(y, x) && (!is_star(x) || y == U::Star)) && down);
            }
            if let (Some(x), Some(y)) = (x, y)
                && !is_star(x)
                && !is_star(y)
            {
                let one = match (x, y) {
                    (U::Char(p), U::Char(q)) => p == q,
                    _ => true,
                };
                r |= one && diag;
            }
            if let Some(slot) = cur.get_mut(j) {
                *slot = r;
            }
        }
        std::mem::swap(&mut next, &mut cur);
    }
    next.first().copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";

    #[test]
    fn resource_globs_against_templates() {
        assert!(glob_meets_template("arn:aws:s3:::dest-bucket/*", OBJECT));
        assert!(!glob_meets_template("arn:aws:s3:::dest-bucket", OBJECT));
        assert!(glob_meets_template("arn:aws:s3:::dest-bucket", BUCKET));
        assert!(!glob_meets_template("arn:aws:s3:::dest-bucket/*", BUCKET));
        assert!(glob_meets_template("arn:aws:s3:::dest-bucket*", OBJECT));
        assert!(glob_meets_template("arn:aws:s3:::dest-bucket*", BUCKET));
        assert!(glob_meets_template("*", BUCKET));
        assert!(glob_meets_template("arn:aws:s3:::*", OBJECT));
        assert!(!glob_meets_template("arn:aws:kms:*:*:key/*", OBJECT));
        assert!(glob_meets_template(
            "arn:aws:kms:*:*:key/*",
            "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}"
        ));
        assert!(glob_meets_template(
            &format!("{}/*", atom::identity("aws_s3_bucket.d.arn")),
            OBJECT
        ));
    }

    #[test]
    fn glob_pairs() {
        assert!(globs_intersect("a*", "*b"));
        assert!(globs_intersect("a?c", "*c"));
        assert!(!globs_intersect("a*", "b*"));
        assert!(!globs_intersect("abc", "abd"));
        assert!(globs_intersect("", "*"));
        assert!(!globs_intersect("", "?"));
        assert!(globs_intersect("*a*", "*b*"));
    }
}
