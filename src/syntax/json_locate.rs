//! Finds the byte range of one value in a JSON text by its path, without building a tree.
//!
//! Plans are parsed into typed structs that carry no spans; a finding's location is a JSON path
//! that this module resolves by scanning, skipping every subtree that is not on the path.

use crate::source::Seg;

/// The byte range of the value at `path`, or `None` when the path is not in the text.
pub fn locate(text: &[u8], path: &[Seg]) -> Option<(usize, usize)> {
    locate_cached(text, path, &mut Cache::default())
}

/// Where the children of large containers start, kept between lookups in one file: a report
/// resolves thousands of paths into a 100 MB plan, and without it every lookup would rescan
/// everything before its value (`resource_changes[4999]` skips 4999 resources).
#[derive(Default)]
pub struct Cache {
    containers: std::collections::HashMap<usize, Children>,
}

enum Children {
    Array(Vec<usize>),
    /// Raw key bytes (between the quotes) and value offset.
    Object(Vec<(std::ops::Range<usize>, usize)>),
}

/// Containers smaller than this are scanned again rather than remembered.
const CACHE_MIN_BYTES: usize = 16 * 1024;

/// [`locate`] with children of large containers remembered in `cache`.
pub fn locate_cached(text: &[u8], path: &[Seg], cache: &mut Cache) -> Option<(usize, usize)> {
    let mut pos = skip_ws(text, skip_bom(text));
    for seg in path {
        pos = match (seg, cache.containers.get(&pos)) {
            (Seg::Key(key), Some(Children::Object(members))) => members
                .iter()
                .find(|(k, _)| text.get(k.clone()).is_some_and(|k| key_equals(k, key)))
                .map(|(_, v)| *v)?,
            (Seg::Index(i), Some(Children::Array(items))) => *items.get(*i as usize)?,
            (Seg::Key(key), _) => {
                let (found, members, end) = scan_object(text, pos, key)?;
                if end - pos >= CACHE_MIN_BYTES {
                    cache.containers.insert(pos, Children::Object(members));
                }
                found?
            }
            (Seg::Index(i), _) => {
                let (items, end) = scan_array(text, pos)?;
                let found = items.get(*i as usize).copied();
                if end - pos >= CACHE_MIN_BYTES {
                    cache.containers.insert(pos, Children::Array(items));
                }
                found?
            }
        };
    }
    let end = skip_value(text, pos)?;
    Some((pos, end))
}

/// All members of the object at `pos`, the value of `key` among them, and the object's end.
#[allow(clippy::type_complexity)]
fn scan_object(
    text: &[u8],
    pos: usize,
    key: &str,
) -> Option<(Option<usize>, Vec<(std::ops::Range<usize>, usize)>, usize)> {
    if text.get(pos) != Some(&b'{') {
        return None;
    }
    let mut members = Vec::new();
    let mut found = None;
    let mut i = skip_ws(text, pos + 1);
    loop {
        match text.get(i)? {
            b'}' => return Some((found, members, i + 1)),
            b'"' => {
                let end = skip_string(text, i)?;
                let raw = i + 1..end - 1;
                i = skip_ws(text, end);
                if text.get(i) != Some(&b':') {
                    return None;
                }
                i = skip_ws(text, i + 1);
                if found.is_none() && text.get(raw.clone()).is_some_and(|k| key_equals(k, key)) {
                    found = Some(i);
                }
                members.push((raw, i));
                i = skip_ws(text, skip_value(text, i)?);
                match text.get(i)? {
                    b',' => i = skip_ws(text, i + 1),
                    b'}' => return Some((found, members, i + 1)),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
}

/// The start of every element of the array at `pos`, and the array's end.
fn scan_array(text: &[u8], pos: usize) -> Option<(Vec<usize>, usize)> {
    if text.get(pos) != Some(&b'[') {
        return None;
    }
    let mut items = Vec::new();
    let mut i = skip_ws(text, pos + 1);
    if text.get(i)? == &b']' {
        return Some((items, i + 1));
    }
    loop {
        items.push(i);
        i = skip_ws(text, skip_value(text, i)?);
        match text.get(i)? {
            b',' => i = skip_ws(text, i + 1),
            b']' => return Some((items, i + 1)),
            _ => return None,
        }
    }
}

/// The raw offset (from the opening quote of `literal`) of decoded byte `decoded` of the string.
pub fn decoded_to_raw(literal: &[u8], decoded: usize) -> Option<usize> {
    if literal.first() != Some(&b'"') {
        return None;
    }
    let mut raw = 1;
    let mut dec = 0;
    while dec < decoded {
        let b = *literal.get(raw)?;
        if b == b'"' {
            return Some(raw);
        }
        if b == b'\\' {
            let esc = *literal.get(raw + 1)?;
            if esc == b'u' {
                let cp = parse_hex4(literal.get(raw + 2..raw + 6)?)?;
                let (len, used) = if (0xD800..0xDC00).contains(&cp)
                    && literal.get(raw + 6) == Some(&b'\\')
                    && literal.get(raw + 7) == Some(&b'u')
                {
                    (4, 12)
                } else if cp < 0x80 {
                    (1, 6)
                } else if cp < 0x800 {
                    (2, 6)
                } else {
                    (3, 6)
                };
                dec += len;
                raw += used;
            } else {
                dec += 1;
                raw += 2;
            }
        } else {
            dec += 1;
            raw += 1;
        }
    }
    Some(raw)
}

fn parse_hex4(b: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(b).ok()?;
    u32::from_str_radix(s, 16).ok()
}

fn skip_bom(text: &[u8]) -> usize {
    if text.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    }
}

fn skip_ws(text: &[u8], mut pos: usize) -> usize {
    while let Some(b) = text.get(pos) {
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            pos += 1;
        } else {
            break;
        }
    }
    pos
}

/// The end of the string literal starting at `pos` (which holds the opening quote).
fn skip_string(text: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    loop {
        let off = memchr::memchr2(b'"', b'\\', text.get(i..)?)?;
        i += off;
        if text.get(i) == Some(&b'\\') {
            i += 2;
        } else {
            return Some(i + 1);
        }
    }
}

/// The bytes that matter inside a container being skipped: string quotes and brackets.
// Evaluated at compile time: an index out of range would fail the build, not a run.
#[allow(clippy::indexing_slicing)]
const STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'{' as usize] = true;
    table[b'[' as usize] = true;
    table[b'}' as usize] = true;
    table[b']' as usize] = true;
    table
};

fn is_structural(byte: u8) -> bool {
    STRUCTURAL.get(usize::from(byte)).copied().unwrap_or(false)
}

/// The end of the value starting at `pos`. Iterative, so deep nesting cannot overflow the stack.
fn skip_value(text: &[u8], pos: usize) -> Option<usize> {
    match text.get(pos)? {
        b'"' => return skip_string(text, pos),
        b'{' | b'[' => {}
        b'}' | b']' => return None,
        _ => {
            // A scalar: runs to the next delimiter.
            let rest = text.get(pos..)?;
            let len = rest
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(rest.len());
            return Some(pos + len);
        }
    }
    // Inside containers only quotes and brackets matter: jump from one to the next (plans are
    // pretty-printed, mostly indentation and scalars).
    let mut depth = 0usize;
    let mut i = pos;
    loop {
        let (offset, byte) = text
            .get(i..)?
            .iter()
            .enumerate()
            .find(|(_, b)| is_structural(**b))?;
        i += offset;
        match byte {
            b'"' => i = skip_string(text, i)?,
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            _ => {
                depth = depth.checked_sub(1)?;
                i += 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
    }
}

fn key_equals(raw: &[u8], key: &str) -> bool {
    if !raw.contains(&b'\\') {
        return raw == key.as_bytes();
    }
    let quoted = [b"\"", raw, b"\""].concat();
    serde_json::from_slice::<String>(&quoted).is_ok_and(|k| k == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<Seg> {
        p.iter()
            .map(|s| match s.parse::<u32>() {
                Ok(i) => Seg::Index(i),
                Err(_) => Seg::Key((*s).into()),
            })
            .collect()
    }

    #[test]
    fn finds_nested_values() {
        let text = br#"{"a": {"b": [1, {"c": "x\"y"}], "d": true}}"#;
        let (s, e) = locate(text, &path(&["a", "b", "1", "c"])).unwrap();
        assert_eq!(&text[s..e], br#""x\"y""#);
        let (s, e) = locate(text, &path(&["a", "d"])).unwrap();
        assert_eq!(&text[s..e], b"true");
        assert!(locate(text, &path(&["a", "z"])).is_none());
    }

    #[test]
    fn cached_lookups_agree_with_fresh_ones() {
        let big: Vec<String> = (0..3000)
            .map(|i| format!("{{\"k\": {i}, \"s\": \"x{i}\"}}"))
            .collect();
        let text = format!(
            "{{\"pad\": \"{}\", \"list\": [{}], \"end\": 1}}",
            "y".repeat(20000),
            big.join(", ")
        );
        let text = text.as_bytes();
        let mut cache = Cache::default();
        for i in [2999, 0, 1500, 2999] {
            let p = path(&["list", &i.to_string(), "s"]);
            let cached = locate_cached(text, &p, &mut cache).unwrap();
            assert_eq!(Some(cached), locate(text, &p));
            assert_eq!(&text[cached.0..cached.1], format!("\"x{i}\"").as_bytes());
        }
        assert!(!cache.containers.is_empty());
        assert!(locate_cached(text, &path(&["list", "3000"]), &mut cache).is_none());
        assert!(locate_cached(text, &path(&["nope"]), &mut cache).is_none());
        assert_eq!(
            locate_cached(text, &path(&["end"]), &mut cache),
            Some((text.len() - 2, text.len() - 1))
        );
    }

    #[test]
    fn skips_values_of_every_kind() {
        let text = br#"{"a": [1, "x]}", {"b": null}], "c": 12.5e3, "d": "q\"}"} tail"#;
        assert_eq!(skip_value(text, 0), Some(text.len() - 5));
        assert_eq!(skip_value(b"true,", 0), Some(4));
        assert_eq!(skip_value(b"17", 0), Some(2));
        assert_eq!(skip_value(br#""s\"t" "#, 0), Some(6));
        assert_eq!(skip_value(b"]", 0), None);
        assert_eq!(skip_value(b"[1, [2]", 0), None);
        assert_eq!(skip_value(b"", 0), None);
    }

    #[test]
    fn maps_decoded_offsets_through_escapes() {
        let lit = br#""{\"Version\":\"2012-10-17\"}""#;
        // decoded: {"Version":"2012-10-17"}
        assert_eq!(decoded_to_raw(lit, 0), Some(1));
        assert_eq!(decoded_to_raw(lit, 1), Some(2)); // the quote before Version is `\"`
        assert_eq!(decoded_to_raw(lit, 2), Some(4));
    }
}
