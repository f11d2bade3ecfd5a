//! Condition evaluation (IAM User Guide: condition operators, multi-value keys, missing keys).
//!
//! Results are tri-state: a context value or policy value holding an atom can give `Maybe`.

use std::net::IpAddr;

use super::atom;
use super::matching::{self, Match};
use super::operators::{OpBase, SetQualifier};
use super::policy::Condition;
use super::request::RequestContext;
use super::variables;

/// All conditions of a statement: AND across operators and keys.
pub fn evaluate_all(conditions: &[Condition], ctx: &RequestContext, vars: bool) -> Match {
    let mut result = Match::Yes;
    for c in conditions {
        result = result.and(evaluate(c, ctx, vars));
        if result == Match::No {
            break;
        }
    }
    result
}

/// One operator/key pair. An unknown operator makes the statement invalid: it is never `Yes`,
/// and `Maybe` lets the caller say that the decision rests on a statement AWS would reject.
pub fn evaluate(cond: &Condition, ctx: &RequestContext, vars: bool) -> Match {
    let Some(op) = cond.operator else {
        return Match::Maybe;
    };
    let request = ctx.get(&cond.key.text).filter(|v| !v.is_empty());
    if op.base == OpBase::Null {
        let absent = request.is_none();
        return any(cond.values.iter(), |v| {
            match v.text.to_ascii_lowercase().as_str() {
                "true" => Match::from_bool(absent),
                "false" => Match::from_bool(!absent),
                _ => Match::No,
            }
        });
    }
    let negated = op.base.is_negated();
    let Some(request) = request else {
        return Match::from_bool(match op.set {
            SetQualifier::None => op.if_exists || negated,
            SetQualifier::ForAnyValue => op.if_exists,
            SetQualifier::ForAllValues => true,
        });
    };
    // Whether one request value matches any policy value, in the operator's positive sense.
    let positive = |r: &str| {
        any(cond.values.iter(), |v| {
            value_matches(op.base, &v.text, r, ctx, vars)
        })
    };
    match op.set {
        SetQualifier::None => {
            let m = any(request.iter(), |r| positive(r));
            if negated { !m } else { m }
        }
        SetQualifier::ForAnyValue => any(request.iter(), |r| {
            let m = positive(r);
            if negated { !m } else { m }
        }),
        SetQualifier::ForAllValues => {
            let mut all = Match::Yes;
            for r in request {
                let m = positive(r);
                all = all.and(if negated { !m } else { m });
                if all == Match::No {
                    break;
                }
            }
            all
        }
    }
}

fn any<T>(items: impl Iterator<Item = T>, mut f: impl FnMut(T) -> Match) -> Match {
    let mut best = Match::No;
    for item in items {
        best = best.or(f(item));
        if best == Match::Yes {
            break;
        }
    }
    best
}

/// The positive form of `base` applied to one policy value and one request value.
fn value_matches(
    base: OpBase,
    policy: &str,
    request: &str,
    ctx: &RequestContext,
    vars: bool,
) -> Match {
    use OpBase::*;
    match base {
        StringEquals | StringNotEquals | BinaryEquals => {
            string_match(policy, request, ctx, vars, false, false)
        }
        StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
            string_match(policy, request, ctx, vars, false, true)
        }
        StringLike | StringNotLike => string_match(policy, request, ctx, vars, true, false),
        ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => arn_match(policy, request, ctx, vars),
        Bool => {
            if atom::contains_atoms(request) || atom::contains_atoms(policy) {
                return Match::Maybe;
            }
            Match::from_bool(policy.eq_ignore_ascii_case(request))
        }
        NumericEquals | NumericNotEquals => numeric(policy, request, |a, b| a == b),
        NumericLessThan => numeric(policy, request, |a, b| a < b),
        NumericLessThanEquals => numeric(policy, request, |a, b| a <= b),
        NumericGreaterThan => numeric(policy, request, |a, b| a > b),
        NumericGreaterThanEquals => numeric(policy, request, |a, b| a >= b),
        DateEquals | DateNotEquals => date(policy, request, |a, b| a == b),
        DateLessThan => date(policy, request, |a, b| a < b),
        DateLessThanEquals => date(policy, request, |a, b| a <= b),
        DateGreaterThan => date(policy, request, |a, b| a > b),
        DateGreaterThanEquals => date(policy, request, |a, b| a >= b),
        IpAddress | NotIpAddress => ip_match(policy, request),
        Null => Match::No,
    }
}

fn string_match(
    policy: &str,
    request: &str,
    ctx: &RequestContext,
    vars: bool,
    wildcards: bool,
    ci: bool,
) -> Match {
    if vars && variables::has_variables(policy) {
        return match variables::expand(policy, ctx, wildcards) {
            Some(units) => matching::glob_units(&units, request, ci),
            None => Match::No,
        };
    }
    if wildcards {
        matching::glob(policy, request, ci)
    } else {
        matching::literal(policy, request, ci)
    }
}

/// ARN operators compare the six colon-separated parts one by one, each a case-sensitive glob.
/// A `*` in the resource part may still span colons, since that part is the remainder.
fn arn_match(policy: &str, request: &str, ctx: &RequestContext, vars: bool) -> Match {
    let substituted;
    let policy = if vars && variables::has_variables(policy) {
        let Some(units) = variables::expand(policy, ctx, true) else {
            return Match::No;
        };
        if units
            .iter()
            .any(|u| matches!(u, matching::Unit::Piece(atom::Piece::Char('*' | '?'))))
        {
            // An escaped wildcard cannot survive a round trip through text: compare whole.
            return matching::glob_units(&units, request, false);
        }
        substituted = units_to_text(&units);
        substituted.as_str()
    } else {
        policy
    };
    if atom::contains_atoms(policy) || atom::contains_atoms(request) {
        return matching::glob(policy, request, false);
    }
    match (
        crate::iam::request::arn_parts(policy),
        crate::iam::request::arn_parts(request),
    ) {
        (Some(p), Some(r)) => {
            let mut all = Match::Yes;
            for (pp, rp) in p.iter().zip(r.iter()) {
                all = all.and(matching::glob(pp, rp, false));
            }
            all
        }
        (None, _) if policy == "*" => Match::Yes,
        _ => Match::No,
    }
}

fn units_to_text(units: &[matching::Unit<'_>]) -> String {
    let mut s = String::new();
    for u in units {
        match u {
            matching::Unit::Star => s.push('*'),
            matching::Unit::One => s.push('?'),
            matching::Unit::Piece(atom::Piece::Char(c)) => s.push(*c),
            matching::Unit::Piece(atom::Piece::Identity(p)) => s.push_str(&atom::identity(p)),
            matching::Unit::Piece(atom::Piece::Unknown(p)) => s.push_str(&atom::unknown(p)),
        }
    }
    s
}

fn numeric(policy: &str, request: &str, cmp: impl Fn(f64, f64) -> bool) -> Match {
    if atom::contains_atoms(policy) || atom::contains_atoms(request) {
        return Match::Maybe;
    }
    match (parse_number(request), parse_number(policy)) {
        (Some(r), Some(p)) => Match::from_bool(cmp(r, p)),
        _ => Match::No,
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn date(policy: &str, request: &str, cmp: impl Fn(i64, i64) -> bool) -> Match {
    if atom::contains_atoms(policy) || atom::contains_atoms(request) {
        return Match::Maybe;
    }
    match (parse_date(request), parse_date(policy)) {
        (Some(r), Some(p)) => Match::from_bool(cmp(r, p)),
        _ => Match::No,
    }
}

/// Milliseconds since the epoch from epoch seconds or ISO 8601 (`2020-01-01`,
/// `2020-01-01T00:00:00Z`, with optional fraction and `±hh:mm` offset).
pub fn parse_date(text: &str) -> Option<i64> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().ok()?.checked_mul(1000);
    }
    let num = |s: &str| -> Option<i64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (date, time) = match t.split_once(['T', 't', ' ']) {
        Some((d, tm)) => (d, Some(tm)),
        None => (t, None),
    };
    let mut d = date.splitn(3, '-');
    let (y, m, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let mut ms = days_from_civil(y, m, day) * 86_400_000;
    if let Some(time) = time {
        let (clock, offset) = split_offset(time)?;
        let (hms, frac) = match clock.split_once('.') {
            Some((h, f)) => (h, Some(f)),
            None => (clock, None),
        };
        let mut parts = hms.split(':');
        let h = num(parts.next()?)?;
        let mi = parts.next().map(num).unwrap_or(Some(0))?;
        let s = parts.next().map(num).unwrap_or(Some(0))?;
        if parts.next().is_some() || h > 24 || mi > 59 || s > 60 {
            return None;
        }
        let frac_ms = match frac {
            Some(f) => {
                let digits: String = f.chars().take(3).collect();
                let v = num(&digits)?;
                v * 10i64.pow(3u32.saturating_sub(digits.len() as u32))
            }
            None => 0,
        };
        ms += ((h * 60 + mi) * 60 + s) * 1000 + frac_ms - offset * 60_000;
    }
    Some(ms)
}

/// Splits a time into clock and offset in minutes (`Z`, `+01:00`, `-0500`, or none = UTC).
fn split_offset(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let Some(i) = time.rfind(['+', '-']) else {
        return Some((time, 0));
    };
    let (clock, off) = time.split_at(i);
    let sign = if off.starts_with('-') { -1 } else { 1 };
    let digits: String = off.chars().skip(1).filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i64 = digits.get(..2)?.parse().ok()?;
    let m: i64 = digits.get(2..)?.parse().ok()?;
    Some((clock, sign * (h * 60 + m)))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn ip_match(policy: &str, request: &str) -> Match {
    if atom::contains_atoms(policy) || atom::contains_atoms(request) {
        return Match::Maybe;
    }
    let Ok(addr) = request.trim().parse::<IpAddr>() else {
        return Match::No;
    };
    match parse_cidr(policy) {
        Some((net, prefix)) => Match::from_bool(in_network(addr, net, prefix)),
        None => Match::No,
    }
}

pub fn parse_cidr(text: &str) -> Option<(IpAddr, u32)> {
    let (addr, prefix) = match text.trim().split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text.trim(), None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            p.parse::<u32>().ok()?
        }
        Some(_) => return None,
        None => max,
    };
    (prefix <= max).then_some((addr, prefix))
}

fn in_network(addr: IpAddr, net: IpAddr, prefix: u32) -> bool {
    let bits = |a: IpAddr| -> (u128, u32) {
        match a {
            IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
            IpAddr::V6(v) => (u128::from(v), 128),
        }
    };
    let (a, wa) = bits(addr);
    let (n, wn) = bits(net);
    if wa != wn {
        return false;
    }
    if prefix == 0 {
        return true;
    }
    let shift = wa - prefix;
    a.checked_shr(shift).unwrap_or(0) == n.checked_shr(shift).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::operators::Operator;
    use crate::iam::policy::Item;
    use crate::source::Loc;

    fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
        let item = |t: &str| Item {
            text: t.to_string(),
            loc: Loc::None,
        };
        Condition {
            operator: Operator::parse(op),
            operator_text: item(op),
            key: item(key),
            values: values.iter().map(|v| item(v)).collect(),
        }
    }

    fn eval(op: &str, key: &str, values: &[&str], ctx: &[(&str, &[&str])]) -> Match {
        let mut c = RequestContext::new();
        for (k, v) in ctx {
            c.set(k, v.iter().copied());
        }
        evaluate(&cond(op, key, values), &c, true)
    }

    use Match::*;

    #[test]
    fn missing_keys() {
        assert_eq!(eval("StringEquals", "k", &["a"], &[]), No);
        assert_eq!(eval("StringNotEquals", "k", &["a"], &[]), Yes);
        assert_eq!(eval("StringEqualsIfExists", "k", &["a"], &[]), Yes);
        assert_eq!(eval("StringNotLikeIfExists", "k", &["a"], &[]), Yes);
        assert_eq!(eval("Null", "k", &["true"], &[]), Yes);
        assert_eq!(eval("Null", "k", &["false"], &[("k", &["x"])]), Yes);
        assert_eq!(eval("ForAnyValue:StringEquals", "k", &["a"], &[]), No);
        assert_eq!(eval("ForAllValues:StringEquals", "k", &["a"], &[]), Yes);
        assert_eq!(
            eval("ForAllValues:StringEquals", "k", &["a"], &[("k", &[])]),
            Yes
        );
    }

    #[test]
    fn strings_and_sets() {
        assert_eq!(
            eval("StringEquals", "K", &["a", "b"], &[("k", &["b"])]),
            Yes
        );
        assert_eq!(eval("StringEquals", "k", &["A"], &[("k", &["a"])]), No);
        assert_eq!(
            eval("StringEqualsIgnoreCase", "k", &["A"], &[("k", &["a"])]),
            Yes
        );
        assert_eq!(
            eval("StringNotEquals", "k", &["a", "b"], &[("k", &["c"])]),
            Yes
        );
        assert_eq!(
            eval("StringNotEquals", "k", &["a", "b"], &[("k", &["b"])]),
            No
        );
        assert_eq!(eval("StringLike", "k", &["a*"], &[("k", &["abc"])]), Yes);
        assert_eq!(eval("StringEquals", "k", &["a*"], &[("k", &["abc"])]), No);
        assert_eq!(
            eval(
                "ForAnyValue:StringEquals",
                "k",
                &["a"],
                &[("k", &["x", "a"])]
            ),
            Yes
        );
        assert_eq!(
            eval(
                "ForAllValues:StringEquals",
                "k",
                &["a", "b"],
                &[("k", &["a", "c"])]
            ),
            No
        );
        assert_eq!(
            eval(
                "ForAllValues:StringEquals",
                "k",
                &["a", "b"],
                &[("k", &["a", "b"])]
            ),
            Yes
        );
        assert_eq!(
            eval(
                "ForAnyValue:StringNotEquals",
                "k",
                &["a"],
                &[("k", &["a", "b"])]
            ),
            Yes
        );
        let u = atom::unknown("x");
        assert_eq!(eval("StringEquals", "k", &["a"], &[("k", &[&u])]), Maybe);
        assert_eq!(eval("StringNotEquals", "k", &["a"], &[("k", &[&u])]), Maybe);
        assert_eq!(
            eval(
                "StringLike",
                "k",
                &["${aws:userid}/*"],
                &[("k", &["AID/x"]), ("aws:userid", &["AID"])]
            ),
            Yes
        );
        assert_eq!(
            eval("StringEquals", "k", &["${missing}"], &[("k", &["x"])]),
            No
        );
        assert_eq!(eval("StringEqualz", "k", &["x"], &[("k", &["x"])]), Maybe);
    }

    #[test]
    fn numbers_dates_bools_ips() {
        assert_eq!(eval("NumericLessThan", "k", &["10"], &[("k", &["5"])]), Yes);
        assert_eq!(
            eval("NumericLessThanIfExists", "k", &["10"], &[("k", &["15"])]),
            No
        );
        assert_eq!(eval("NumericEquals", "k", &["10"], &[("k", &["x"])]), No);
        assert_eq!(
            eval(
                "DateLessThan",
                "k",
                &["2020-01-01T00:00:00Z"],
                &[("k", &["2019-12-31T23:59:59Z"])]
            ),
            Yes
        );
        assert_eq!(
            eval(
                "DateGreaterThan",
                "k",
                &["2020-01-01"],
                &[("k", &["1577836801"])]
            ),
            Yes
        );
        assert_eq!(
            eval(
                "DateEquals",
                "k",
                &["2020-01-01T01:00:00+01:00"],
                &[("k", &["2020-01-01T00:00:00.000Z"])]
            ),
            Yes
        );
        assert_eq!(eval("Bool", "k", &["false"], &[("k", &["FALSE"])]), Yes);
        assert_eq!(eval("Bool", "k", &["true"], &[("k", &["false"])]), No);
        assert_eq!(
            eval("IpAddress", "k", &["10.0.0.0/8"], &[("k", &["10.1.2.3"])]),
            Yes
        );
        assert_eq!(
            eval("IpAddress", "k", &["10.0.0.0/8"], &[("k", &["11.1.2.3"])]),
            No
        );
        assert_eq!(
            eval(
                "NotIpAddress",
                "k",
                &["10.0.0.0/8"],
                &[("k", &["11.1.2.3"])]
            ),
            Yes
        );
        assert_eq!(
            eval(
                "IpAddress",
                "k",
                &["2001:db8::/32"],
                &[("k", &["2001:db8:1::5"])]
            ),
            Yes
        );
        assert_eq!(
            eval(
                "IpAddress",
                "k",
                &["2001:db8::/32"],
                &[("k", &["10.0.0.1"])]
            ),
            No
        );
        assert_eq!(
            eval("IpAddress", "k", &["0.0.0.0/0"], &[("k", &["1.2.3.4"])]),
            Yes
        );
        assert_eq!(
            eval("IpAddress", "k", &["1.2.3.4"], &[("k", &["1.2.3.4"])]),
            Yes
        );
        assert_eq!(parse_date("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_date("2020-13-01"), None);
    }

    #[test]
    fn arns() {
        let role = "arn:aws:iam::111111111111:role/s3-repl-role";
        assert_eq!(
            eval(
                "ArnLike",
                "aws:PrincipalArn",
                &["arn:aws:iam::111111111111:role/s3-repl-*"],
                &[("aws:PrincipalArn", &[role])]
            ),
            Yes
        );
        assert_eq!(
            eval(
                "ArnEquals",
                "k",
                &["arn:aws:iam::*:role/s3-repl-role"],
                &[("k", &[role])]
            ),
            Yes
        );
        assert_eq!(eval("ArnNotEquals", "k", &[role], &[("k", &[role])]), No);
        assert_eq!(
            eval(
                "ArnLike",
                "k",
                &["arn:aws:iam::111111111111:role/*"],
                &[("k", &["arn:aws:iam::111111111111"])]
            ),
            No
        );
        assert_eq!(
            eval(
                "ArnLike",
                "k",
                &["arn:aws:s3:::b/*"],
                &[("k", &["arn:aws:s3:::b/a:b"])]
            ),
            Yes
        );
    }
}
