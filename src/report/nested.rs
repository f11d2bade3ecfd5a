//! Large reports are written in pieces (on all cores, or once per process) and put in place.

use serde::Serialize;

/// `value` written as the report writes it at that depth: written on its own, then every line
/// indented (JSON strings hold no raw line breaks, so every line break is the writer's).
pub fn nested(value: &impl Serialize, indent: &str) -> String {
    let alone = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("\"{e}\""));
    let mut out = String::with_capacity(alone.len() + alone.len() / 8);
    out.push_str(indent);
    for (i, line) in alone.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(indent);
        }
        out.push_str(line);
    }
    out
}

/// Replaces the first `empty` in `text` (a member written empty, e.g. `"rules": []`, which
/// only the writer can have written: JSON strings escape their quotes) by `pieces`, one after
/// the other. Nothing happens when `empty` is not there.
pub fn put_in_place(text: &mut String, empty: &str, pieces: &[&str]) {
    let Some(at) = text.find(empty) else {
        return;
    };
    let length: usize = pieces.iter().map(|p| p.len()).sum();
    let mut full = String::with_capacity(text.len() - empty.len() + length + 1);
    full.push_str(&text[..at]);
    for piece in pieces {
        full.push_str(piece);
    }
    full.push_str(&text[at + empty.len()..]);
    *text = full;
}
