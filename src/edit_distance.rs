//! How far apart two names are: what "did you mean" suggestions rank by.

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// [`edit_distance`] when it is at most `limit`, else `None`: names whose lengths differ by more
/// are not compared, and a comparison stops once every way of editing is over the limit (a
/// hint's candidates are mostly far apart, and hostile input may hold long names).
pub fn within(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        return within_units(a.as_bytes(), b.as_bytes(), limit);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    within_units(&a, &b, limit)
}

fn within_units<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // Two rows of the table (of `a` against `b`); on the stack for names of usual length.
    const ON_STACK: usize = 64;
    let mut stack = [[0usize; ON_STACK]; 2];
    let mut heap = Vec::new();
    let (prev, cur): (&mut [usize], &mut [usize]) = if b.len() < ON_STACK {
        let [p, c] = &mut stack;
        (&mut p[..=b.len()], &mut c[..=b.len()])
    } else {
        heap.resize(2 * (b.len() + 1), 0);
        heap.split_at_mut(b.len() + 1)
    };
    let (mut prev, mut cur) = (prev, cur);
    for (j, slot) in prev.iter_mut().enumerate() {
        *slot = j;
    }
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        // A row's values never decrease further down: past the limit everywhere, it stays so.
        if cur.iter().all(|&d| d > limit) {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::{edit_distance, within};

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("s3:ReplicationTags", "s3:ReplicateTags"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    proptest::proptest! {
        /// The bounded distance is the distance whenever that is within the limit.
        #[test]
        fn within_agrees_with_the_distance(a in "[a-cé:]{0,12}", b in "[a-cé:]{0,12}", limit in 0usize..8) {
            let d = edit_distance(&a, &b);
            proptest::prop_assert_eq!(within(&a, &b, limit), (d <= limit).then_some(d));
        }
    }
}
