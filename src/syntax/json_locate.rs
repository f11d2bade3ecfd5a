//! Maps a decoded offset of a JSON string literal back to the literal's raw bytes, so that a
//! location inside a policy held in a plan's string points at the exact bytes of the file.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_decoded_offsets_through_escapes() {
        let lit = br#""{\"Version\":\"2012-10-17\"}""#;
        // decoded: {"Version":"2012-10-17"}
        assert_eq!(decoded_to_raw(lit, 0), Some(1));
        assert_eq!(decoded_to_raw(lit, 1), Some(2)); // the quote before Version is `\"`
        assert_eq!(decoded_to_raw(lit, 2), Some(4));
    }
}
