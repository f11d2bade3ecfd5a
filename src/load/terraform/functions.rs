//! The Terraform functions that real policies and bucket modules use.
//!
//! An unsupported function, or an argument not known before apply, gives an unknown value with a
//! reason; nothing here guesses. `file` and `templatefile` read only below the module folders.

use std::path::{Path, PathBuf};

use crate::source::Loc;
use crate::syntax::Key;

use super::eval::{Cx, Ev, Scope, err, is_err, iter_items};
use super::json;
use super::value::{Seg, Str, TextMap, VK, Val, encode_json, fmt_num};

/// Files read by `file()` larger than this are refused.
const MAX_READ: u64 = 1 << 20;

fn unknown_from(args: &[Val], loc: &Loc) -> Option<Val> {
    args.iter()
        .find(|a| a.is_unknownish() || is_err(a))
        .map(|a| Val::new(VK::Unknown(a.why()), loc.clone()))
}

fn text_arg(args: &[Val], i: usize) -> Option<String> {
    args.get(i).and_then(Val::to_text)
}

fn list(items: Vec<Val>, loc: &Loc) -> Val {
    Val::new(VK::List(items), loc.clone())
}

pub fn call(ev: &Ev, name: &str, args: Vec<Val>, loc: Loc, cx: &Cx) -> Val {
    let l = &loc;
    let s = |t: String| Val::str(t, l.clone());
    // Errors propagate through every function, as in Terraform (so that `try` can fall back).
    if let Some(e) = args.iter().find_map(|a| first_err(a, 0)) {
        return Val::new(VK::Unknown(e), loc);
    }
    // Functions that work on structure: elements may stay unknown.
    match name {
        "jsonencode" => {
            return match args.into_iter().next() {
                Some(v) if !is_err(&v) => Val::new(VK::Encoded(Box::new(v)), loc),
                Some(v) => v,
                None => err("jsonencode() needs an argument", loc),
            };
        }
        "tolist" | "toset" | "tomap" | "sensitive" | "nonsensitive" | "tostring" => {
            let Some(v) = args.into_iter().next() else {
                return err(format!("{name}() needs an argument"), loc);
            };
            if name == "toset"
                && let VK::List(items) = &v.kind
            {
                return list(dedup(items.clone()), &v.loc);
            }
            return v;
        }
        "concat" => {
            let mut out = Vec::new();
            for a in &args {
                match &a.kind {
                    VK::List(items) => out.extend(items.iter().cloned()),
                    _ => return Val::new(VK::Unknown(a.why()), loc),
                }
            }
            return list(out, l);
        }
        "merge" => {
            let mut out: Vec<(Key, Val)> = Vec::new();
            for a in &args {
                match &a.kind {
                    VK::Map(entries) => {
                        for (k, v) in entries {
                            out.retain(|(x, _)| x.text != k.text);
                            out.push((k.clone(), v.clone()));
                        }
                    }
                    VK::Null => {}
                    _ => return Val::new(VK::Unknown(a.why()), loc),
                }
            }
            return Val::new(VK::Map(out), loc);
        }
        "flatten" => {
            let mut out = Vec::new();
            return match args.first() {
                Some(a) if flatten_into(a, &mut out, 0) => list(out, l),
                Some(a) => Val::new(VK::Unknown(a.why()), loc),
                None => err("flatten() needs an argument", loc),
            };
        }
        "distinct" => {
            return match args.first().map(|a| &a.kind) {
                Some(VK::List(items)) => list(dedup(items.clone()), l),
                _ => unknown_from(&args, l).unwrap_or_else(|| err("distinct() needs a list", loc)),
            };
        }
        "compact" => {
            return match args.first().map(|a| &a.kind) {
                Some(VK::List(items)) => list(
                    items
                        .iter()
                        .filter(|v| !v.is_null() && v.as_str() != Some(""))
                        .cloned()
                        .collect(),
                    l,
                ),
                _ => unknown_from(&args, l).unwrap_or_else(|| err("compact() needs a list", loc)),
            };
        }
        "length" => {
            return match args.first().map(|a| (a, &a.kind)) {
                Some((_, VK::List(items))) => Val::new(VK::Num(items.len() as f64), loc),
                Some((map, VK::Map(_))) => Val::new(
                    VK::Num(map.sorted_entries().map_or(0, |e| e.len()) as f64),
                    loc,
                ),
                Some((_, VK::Str(st))) => Val::new(VK::Num(st.text.chars().count() as f64), loc),
                _ => unknown_from(&args, l).unwrap_or_else(|| err("length() of this value", loc)),
            };
        }
        "keys" | "values" => {
            return match args.first().and_then(Val::sorted_entries) {
                Some(entries) => list(
                    entries
                        .into_iter()
                        .map(|(k, v)| {
                            if name == "keys" {
                                Val::str(k.text.to_string(), k.loc)
                            } else {
                                v
                            }
                        })
                        .collect(),
                    l,
                ),
                None => unknown_from(&args, l)
                    .unwrap_or_else(|| err(format!("{name}() needs a map"), loc)),
            };
        }
        "lookup" => {
            let Some(m) = args.first() else {
                return err("lookup() needs a map", loc);
            };
            if !matches!(m.kind, VK::Map(_)) {
                return Val::new(VK::Unknown(m.why()), loc);
            }
            let Some(k) = text_arg(&args, 1) else {
                return unknown_from(&args, l).unwrap_or_else(|| err("lookup() key", loc));
            };
            return match m.get(&k) {
                Some(v) => v.clone(),
                None => match args.get(2) {
                    Some(d) => d.clone(),
                    None => err(format!("no key `{k}`"), loc),
                },
            };
        }
        "element" => {
            let (Some(VK::List(items)), Some(i)) = (
                args.first().map(|a| &a.kind),
                args.get(1).and_then(Val::to_num),
            ) else {
                return unknown_from(&args, l).unwrap_or_else(|| err("element() arguments", loc));
            };
            if items.is_empty() {
                return err("element() of an empty list", loc);
            }
            let i = (i.max(0.0) as usize) % items.len();
            return items.get(i).cloned().unwrap_or_else(|| err("index", loc));
        }
        "one" => {
            return match args.first().map(|a| &a.kind) {
                Some(VK::List(items)) if items.is_empty() => Val::null(loc),
                Some(VK::List(items)) if items.len() == 1 => {
                    items.first().cloned().unwrap_or_else(|| Val::null(loc))
                }
                _ => unknown_from(&args, l)
                    .unwrap_or_else(|| err("one() needs at most one element", loc)),
            };
        }
        "coalesce" => {
            for a in &args {
                if a.is_unknownish() || is_err(a) {
                    return Val::new(VK::Unknown(a.why()), loc);
                }
                if !a.is_null() && a.as_str() != Some("") {
                    return a.clone();
                }
            }
            return err("coalesce() found no value", loc);
        }
        "coalescelist" => {
            for a in &args {
                match &a.kind {
                    VK::List(items) if !items.is_empty() => return a.clone(),
                    VK::List(_) | VK::Null => {}
                    _ => return Val::new(VK::Unknown(a.why()), loc),
                }
            }
            return err("coalescelist() found no list", loc);
        }
        "contains" => {
            let (Some(VK::List(items)), Some(x)) = (args.first().map(|a| &a.kind), args.get(1))
            else {
                return unknown_from(&args, l).unwrap_or_else(|| err("contains() arguments", loc));
            };
            let Some(needle) = encode_json(x) else {
                return Val::new(VK::Unknown(x.why()), loc);
            };
            let mut unknown = None;
            for it in items {
                match encode_json(it) {
                    Some(e) if e == needle => return Val::new(VK::Bool(true), loc),
                    Some(_) => {}
                    None => unknown = Some(it.why()),
                }
            }
            return match unknown {
                Some(w) => Val::new(VK::Unknown(w), loc),
                None => Val::new(VK::Bool(false), loc),
            };
        }
        "zipmap" => {
            let (Some(VK::List(ks)), Some(VK::List(vs))) =
                (args.first().map(|a| &a.kind), args.get(1).map(|a| &a.kind))
            else {
                return unknown_from(&args, l).unwrap_or_else(|| err("zipmap() arguments", loc));
            };
            let mut out = Vec::new();
            for (k, v) in ks.iter().zip(vs.iter()) {
                let Some(t) = k.to_text() else {
                    return Val::new(VK::Unknown(k.why()), loc);
                };
                out.push((
                    Key {
                        text: t.into(),
                        loc: k.loc.clone(),
                    },
                    v.clone(),
                ));
            }
            return Val::new(VK::Map(out), loc);
        }
        "slice" => {
            let (Some(VK::List(items)), Some(a), Some(b)) = (
                args.first().map(|a| &a.kind),
                args.get(1).and_then(Val::to_num),
                args.get(2).and_then(Val::to_num),
            ) else {
                return unknown_from(&args, l).unwrap_or_else(|| err("slice() arguments", loc));
            };
            return match items.get(a.max(0.0) as usize..b.max(0.0) as usize) {
                Some(part) => list(part.to_vec(), l),
                None => err("slice() out of range", loc),
            };
        }
        "reverse" => {
            return match args.first().map(|a| &a.kind) {
                Some(VK::List(items)) => list(items.iter().rev().cloned().collect(), l),
                _ => unknown_from(&args, l).unwrap_or_else(|| err("reverse() needs a list", loc)),
            };
        }
        "setunion" => {
            let mut out = Vec::new();
            for a in &args {
                match &a.kind {
                    VK::List(items) => out.extend(items.iter().cloned()),
                    _ => return Val::new(VK::Unknown(a.why()), loc),
                }
            }
            return list(dedup(out), l);
        }
        "alltrue" | "anytrue" => {
            let Some(VK::List(items)) = args.first().map(|a| &a.kind) else {
                return unknown_from(&args, l)
                    .unwrap_or_else(|| err(format!("{name}() needs a list"), loc));
            };
            let mut unknown = None;
            for it in items {
                match it.to_bool() {
                    Some(true) if name == "anytrue" => return Val::new(VK::Bool(true), loc),
                    Some(false) if name == "alltrue" => return Val::new(VK::Bool(false), loc),
                    Some(_) => {}
                    None => unknown = Some(it.why()),
                }
            }
            return match unknown {
                Some(w) => Val::new(VK::Unknown(w), loc),
                None => Val::new(VK::Bool(name == "alltrue"), loc),
            };
        }
        "join" => {
            let Some(sep) = args.first().and_then(Val::segments) else {
                return unknown_from(&args, l).unwrap_or_else(|| err("join() separator", loc));
            };
            let mut segs: Vec<Seg> = Vec::new();
            let mut first = true;
            for a in args.iter().skip(1) {
                let Some(items) = (match &a.kind {
                    VK::List(items) => Some(items),
                    _ => None,
                }) else {
                    return Val::new(VK::Unknown(a.why()), loc);
                };
                for it in items {
                    if !first {
                        segs.extend(sep.iter().cloned());
                    }
                    first = false;
                    match it.segments() {
                        Some(s) => segs.extend(s),
                        None => return err("join() of a non-string", loc),
                    }
                }
            }
            return Val::from_segments(segs, loc);
        }
        "format" => return format_fn(&args, loc),
        "formatlist" => {
            return unknown_from(&args, l)
                .unwrap_or_else(|| Val::unknown("formatlist() is not supported", loc));
        }
        "file" => return read_file(ev, cx, &args, loc),
        "templatefile" => return template_file(ev, cx, &args, loc),
        "fileexists" => {
            let Some(p) = text_arg(&args, 0) else {
                return unknown_from(&args, l).unwrap_or_else(|| err("fileexists() path", loc));
            };
            return match sandboxed(ev, cx, &p) {
                Ok(path) => Val::new(VK::Bool(path.is_file()), loc),
                Err(e) => err(e, loc),
            };
        }
        _ => {}
    }
    // Functions on known primitive values.
    if let Some(u) = unknown_from(&args, l) {
        return u;
    }
    let t = |i| text_arg(&args, i);
    let n = |i: usize| args.get(i).and_then(Val::to_num);
    match name {
        "jsondecode" => match args.first() {
            Some(Val {
                kind: VK::Encoded(inner),
                ..
            }) => (**inner).clone(),
            Some(v) => match v.segments() {
                Some(segs) => match json::parse(&json::Holed::new(&segs)) {
                    Ok(node) => json::node_to_val(&node),
                    Err(e) => err(e.message, e.loc),
                },
                None => err("jsondecode() needs a string", loc),
            },
            None => err("jsondecode() needs an argument", loc),
        },
        "lower" => t(0).map_or_else(|| err("lower()", loc.clone()), |x| s(x.to_lowercase())),
        "upper" => t(0).map_or_else(|| err("upper()", loc.clone()), |x| s(x.to_uppercase())),
        "trimspace" => t(0).map_or_else(
            || err("trimspace()", loc.clone()),
            |x| s(x.trim().to_string()),
        ),
        "title" => t(0).map_or_else(
            || err("title()", loc.clone()),
            |x| {
                s(x.split(' ')
                    .map(|w| {
                        let mut c = w.chars();
                        c.next()
                            .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
                    })
                    .collect::<Vec<_>>()
                    .join(" "))
            },
        ),
        "replace" => match (t(0), t(1), t(2)) {
            (Some(a), Some(from), Some(to)) => {
                if from.len() > 2 && from.starts_with('/') && from.ends_with('/') {
                    Val::unknown("replace() with a regular expression is not supported", loc)
                } else {
                    s(a.replace(&from, &to))
                }
            }
            _ => err("replace() arguments", loc),
        },
        "split" => match (t(0), t(1)) {
            (Some(sep), Some(x)) => list(
                x.split(sep.as_str())
                    .map(|p| Val::str(p, l.clone()))
                    .collect(),
                l,
            ),
            _ => err("split() arguments", loc),
        },
        "trimprefix" => match (t(0), t(1)) {
            (Some(x), Some(p)) => s(x.strip_prefix(p.as_str()).unwrap_or(&x).to_string()),
            _ => err("trimprefix() arguments", loc),
        },
        "trimsuffix" => match (t(0), t(1)) {
            (Some(x), Some(p)) => s(x.strip_suffix(p.as_str()).unwrap_or(&x).to_string()),
            _ => err("trimsuffix() arguments", loc),
        },
        "trim" => match (t(0), t(1)) {
            (Some(x), Some(cs)) => s(x.trim_matches(|c| cs.contains(c)).to_string()),
            _ => err("trim() arguments", loc),
        },
        "startswith" | "endswith" => match (t(0), t(1)) {
            (Some(x), Some(p)) => Val::new(
                VK::Bool(if name == "startswith" {
                    x.starts_with(&p)
                } else {
                    x.ends_with(&p)
                }),
                loc,
            ),
            _ => err(format!("{name}() arguments"), loc),
        },
        "substr" => match (t(0), n(1), n(2)) {
            (Some(x), Some(off), Some(len)) => {
                let chars: Vec<char> = x.chars().collect();
                let start = (off.max(0.0) as usize).min(chars.len());
                let end = if len < 0.0 {
                    chars.len()
                } else {
                    (start + len as usize).min(chars.len())
                };
                s(chars.get(start..end).unwrap_or(&[]).iter().collect())
            }
            _ => err("substr() arguments", loc),
        },
        "tonumber" => n(0).map_or_else(
            || err("tonumber()", loc.clone()),
            |x| Val::new(VK::Num(x), loc.clone()),
        ),
        "tobool" => args.first().and_then(Val::to_bool).map_or_else(
            || err("tobool()", loc.clone()),
            |b| Val::new(VK::Bool(b), loc.clone()),
        ),
        "parseint" => match (t(0), n(1)) {
            (Some(x), Some(base)) => i64::from_str_radix(&x, base as u32)
                .map(|v| Val::new(VK::Num(v as f64), loc.clone()))
                .unwrap_or_else(|_| err("parseint()", loc.clone())),
            _ => err("parseint() arguments", loc),
        },
        "max" | "min" | "sum" => {
            let nums: Option<Vec<f64>> = if name == "sum" {
                args.first()
                    .and_then(Val::elements)
                    .map(|e| e.iter().filter_map(Val::to_num).collect())
            } else {
                args.iter().map(Val::to_num).collect()
            };
            match nums {
                Some(v) if !v.is_empty() => Val::new(
                    VK::Num(match name {
                        "max" => v.iter().cloned().fold(f64::MIN, f64::max),
                        "min" => v.iter().cloned().fold(f64::MAX, f64::min),
                        _ => v.iter().sum(),
                    }),
                    loc,
                ),
                _ => err(format!("{name}() arguments"), loc),
            }
        }
        "abs" => n(0).map_or_else(
            || err("abs()", loc.clone()),
            |x| Val::new(VK::Num(x.abs()), loc.clone()),
        ),
        "ceil" => n(0).map_or_else(
            || err("ceil()", loc.clone()),
            |x| Val::new(VK::Num(x.ceil()), loc.clone()),
        ),
        "floor" => n(0).map_or_else(
            || err("floor()", loc.clone()),
            |x| Val::new(VK::Num(x.floor()), loc.clone()),
        ),
        "range" => {
            let (start, end, step) = match args.len() {
                1 => (0.0, n(0).unwrap_or(0.0), 1.0),
                2 => (n(0).unwrap_or(0.0), n(1).unwrap_or(0.0), 1.0),
                _ => (
                    n(0).unwrap_or(0.0),
                    n(1).unwrap_or(0.0),
                    n(2).unwrap_or(1.0),
                ),
            };
            if step == 0.0 || ((end - start) / step) > super::eval::MAX_INSTANCES as f64 {
                return err("range() too large", loc);
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Val::new(VK::Num(x), l.clone()));
                x += step;
            }
            list(out, l)
        }
        "sort" => match args.first().and_then(Val::elements) {
            Some(items) => {
                let mut texts: Vec<String> = items.iter().filter_map(Val::to_text).collect();
                texts.sort();
                list(
                    texts.into_iter().map(|x| Val::str(x, l.clone())).collect(),
                    l,
                )
            }
            None => err("sort() needs a list", loc),
        },
        "index" => match (
            args.first().and_then(Val::elements),
            args.get(1).and_then(encode_json),
        ) {
            (Some(items), Some(needle)) => match items
                .iter()
                .position(|i| encode_json(i).as_deref() == Some(&needle))
            {
                Some(i) => Val::new(VK::Num(i as f64), loc),
                None => err("index(): not found", loc),
            },
            _ => err("index() arguments", loc),
        },
        "setintersection" | "setsubtract" => {
            let sets: Option<Vec<Vec<Val>>> = args.iter().map(Val::elements).collect();
            match sets {
                Some(sets) if !sets.is_empty() => {
                    let mut rest = sets.iter();
                    let mut out = rest.next().cloned().unwrap_or_default();
                    for other in rest {
                        let keys: Vec<Option<String>> = other.iter().map(encode_json).collect();
                        out.retain(|v| {
                            let inside = keys.contains(&encode_json(v));
                            if name == "setintersection" {
                                inside
                            } else {
                                !inside
                            }
                        });
                    }
                    list(dedup(out), l)
                }
                _ => err(format!("{name}() arguments"), loc),
            }
        }
        "basename" => t(0).map_or_else(
            || err("basename()", loc.clone()),
            |p| {
                s(Path::new(&p)
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default())
            },
        ),
        "dirname" => t(0).map_or_else(
            || err("dirname()", loc.clone()),
            |p| {
                s(Path::new(&p)
                    .parent()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default())
            },
        ),
        "abspath" => t(0).map_or_else(|| err("abspath()", loc.clone()), s),
        "chomp" => t(0).map_or_else(
            || err("chomp()", loc.clone()),
            |x| s(x.trim_end_matches(['\n', '\r']).to_string()),
        ),
        "list" => list(args, l),
        "map" => {
            let mut out = Vec::new();
            for pair in args.chunks(2) {
                if let [k, v] = pair
                    && let Some(k) = k.to_text()
                {
                    out.push((
                        Key {
                            text: k.into(),
                            loc: l.clone(),
                        },
                        v.clone(),
                    ));
                }
            }
            Val::new(VK::Map(out), loc)
        }
        _ => Val::unknown(
            format!("the function `{name}` is not supported by repl-lint; its result is unknown"),
            loc,
        ),
    }
}

fn first_err(v: &Val, depth: usize) -> Option<crate::syntax::Why> {
    if depth > 64 {
        return None;
    }
    match &v.kind {
        VK::List(items) => items.iter().find_map(|i| first_err(i, depth + 1)),
        VK::Map(entries) => entries.iter().find_map(|(_, i)| first_err(i, depth + 1)),
        VK::Encoded(inner) => first_err(inner, depth + 1),
        VK::Tmpl(segs) => segs.iter().find_map(|s| match s {
            Seg::Unknown(w, _) if is_err_why(w) => Some(w.clone()),
            Seg::Doc(v, _) => first_err(v, depth + 1),
            _ => None,
        }),
        VK::Unknown(w) if is_err_why(w) => Some(w.clone()),
        _ => None,
    }
}

fn is_err_why(w: &crate::syntax::Why) -> bool {
    w.0.starts_with(super::eval::ERR)
}

fn dedup(items: Vec<Val>) -> Vec<Val> {
    let mut seen: Vec<Option<String>> = Vec::new();
    let mut out = Vec::new();
    for it in items {
        let k = encode_json(&it);
        if k.is_some() && seen.contains(&k) {
            continue;
        }
        seen.push(k);
        out.push(it);
    }
    out
}

fn flatten_into(v: &Val, out: &mut Vec<Val>, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    match &v.kind {
        VK::List(items) => {
            for it in items {
                match &it.kind {
                    VK::List(_) => {
                        if !flatten_into(it, out, depth + 1) {
                            return false;
                        }
                    }
                    VK::Unknown(_) => return false,
                    _ => out.push(it.clone()),
                }
            }
            true
        }
        _ => false,
    }
}

/// `format` with `%s`, `%d`, `%v`, `%q` and `%%`; references stay references.
fn format_fn(args: &[Val], loc: Loc) -> Val {
    let Some(spec) = args.first().and_then(Val::to_text) else {
        return match args.first() {
            Some(a) => Val::new(VK::Unknown(a.why()), loc),
            None => err("format() needs a format", loc),
        };
    };
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut next = 1;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            cur.push(c);
            continue;
        }
        // Flags and widths are skipped: policies use plain verbs.
        let mut verb = None;
        while let Some(&d) = chars.peek() {
            chars.next();
            if d.is_ascii_alphabetic() || d == '%' {
                verb = Some(d);
                break;
            }
        }
        match verb {
            Some('%') => cur.push('%'),
            Some(v) => {
                let Some(arg) = args.get(next) else {
                    return err("format(): too few arguments", loc);
                };
                next += 1;
                if !cur.is_empty() {
                    segs.push(Seg::Text(
                        Str {
                            text: std::mem::take(&mut cur),
                            map: None,
                        },
                        loc.clone(),
                    ));
                }
                match (v, &arg.kind) {
                    ('d', _) => match arg.to_num() {
                        Some(n) => segs.push(Seg::Text(
                            Str {
                                text: fmt_num(n.trunc()),
                                map: None,
                            },
                            loc.clone(),
                        )),
                        None => segs.push(Seg::Unknown(arg.why(), arg.loc.clone())),
                    },
                    ('q', _) => match arg.to_text() {
                        Some(t) => segs.push(Seg::Text(
                            Str {
                                text: serde_json::to_string(&t).unwrap_or_default(),
                                map: None,
                            },
                            loc.clone(),
                        )),
                        None => segs.push(Seg::Unknown(arg.why(), arg.loc.clone())),
                    },
                    _ => match arg.segments() {
                        Some(s) => segs.extend(s),
                        None => match encode_json(arg) {
                            Some(j) => {
                                segs.push(Seg::Text(Str { text: j, map: None }, loc.clone()))
                            }
                            None => segs.push(Seg::Unknown(arg.why(), arg.loc.clone())),
                        },
                    },
                }
            }
            None => cur.push('%'),
        }
    }
    if !cur.is_empty() {
        segs.push(Seg::Text(
            Str {
                text: cur,
                map: None,
            },
            loc.clone(),
        ));
    }
    Val::from_segments(segs, loc)
}

/// A path for `file()`: relative paths start at the root module folder, as in Terraform, and the
/// result must stay below the root module folder or the calling module's folder.
fn sandboxed(ev: &Ev, cx: &Cx, p: &str) -> Result<PathBuf, String> {
    let path = Path::new(p);
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        ev.root_dir.join(path)
    };
    let canon = full
        .canonicalize()
        .map_err(|e| format!("cannot read `{p}`: {e}"))?;
    let allowed = [ev.root_dir.clone(), cx.scope.inst.src.dir.clone()];
    let inside = allowed
        .iter()
        .filter_map(|d| d.canonicalize().ok())
        .any(|d| canon.starts_with(d));
    if !inside {
        return Err(format!(
            "`{p}` is outside the module folders; repl-lint does not read it"
        ));
    }
    Ok(canon)
}

fn read_text(
    ev: &Ev,
    cx: &Cx,
    args: &[Val],
    loc: &Loc,
) -> Result<(String, crate::source::FileId), Val> {
    let Some(p) = args.first().and_then(Val::to_text) else {
        return Err(match args.first() {
            Some(a) => Val::new(VK::Unknown(a.why()), loc.clone()),
            None => err("file() needs a path", loc.clone()),
        });
    };
    let path = sandboxed(ev, cx, &p).map_err(|e| err(e, loc.clone()))?;
    if std::fs::metadata(&path)
        .map(|m| m.len())
        .unwrap_or(u64::MAX)
        > MAX_READ
    {
        return Err(err(format!("`{p}` is larger than 1 MiB"), loc.clone()));
    }
    let bytes = crate::load::text::read_input(&path).map_err(|e| err(e, loc.clone()))?;
    let text = crate::load::text::decode(&bytes).map_err(|e| err(e, loc.clone()))?;
    let shown = Path::new(&p).to_path_buf();
    let shared: std::sync::Arc<str> = text.as_str().into();
    let file = ev.db.borrow_mut().add(shown, shared.clone());
    ev.texts.borrow_mut().insert(file, shared);
    Ok((text, file))
}

fn read_file(ev: &Ev, cx: &Cx, args: &[Val], loc: Loc) -> Val {
    match read_text(ev, cx, args, &loc) {
        Ok((text, file)) => {
            let len = text.len();
            Val::new(
                VK::Str(Str {
                    text,
                    map: Some(TextMap {
                        file,
                        checkpoints: vec![(0, 0)],
                    }),
                }),
                Loc::span(file, 0, len),
            )
        }
        Err(v) => v,
    }
}

fn template_file(ev: &Ev, cx: &Cx, args: &[Val], loc: Loc) -> Val {
    let (text, file) = match read_text(ev, cx, args, &loc) {
        Ok(x) => x,
        Err(v) => return v,
    };
    let template = match super::hcl::template(&text) {
        Ok(t) => t,
        Err(e) => {
            return err(
                format!("invalid template: {}", e.message),
                Loc::span(file, e.start, e.end),
            );
        }
    };
    // The template sees only the variables passed to it (and functions).
    let mut scope = Scope::new(cx.scope.inst.clone());
    scope.template = true;
    match args.get(1) {
        Some(v) => match iter_items(v) {
            Some(items) => {
                for (k, x) in items {
                    if let Some(k) = k.to_text() {
                        scope = scope.with(&k, x);
                    }
                }
            }
            None => return Val::new(VK::Unknown(v.why()), loc),
        },
        None => return err("templatefile() needs variables", loc),
    }
    let tcx = Cx { scope, file };
    let mut segs = Vec::new();
    ev.template(&template, &tcx, 0, false, &mut segs);
    let whole = Loc::span(file, 0, text.len());
    Val::from_segments(segs, whole)
}
