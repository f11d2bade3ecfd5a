//! Suppressions with a reason, read from the source texts:
//!
//! - Terraform: `# repl-lint:ignore=RULE[,RULE] reason` (or `//`) on or above a block, or inside it;
//! - CloudFormation: `Metadata: {repl-lint: {ignore: [{id: RULE, reason: ...}]}}` on a resource.
//!
//! Each suppression covers a byte range (the block or resource it is attached to). The engine
//! applies them after the rules ran, so rules never see them; it reports suppressions without a
//! reason (not applied) and suppressions that suppress nothing.

use std::ops::Range;

use crate::source::{FileId, FileKind, Loc, SourceDb};
use crate::syntax::{Node, NodeKind};

const MARKER: &str = "repl-lint:ignore=";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub file: FileId,
    /// The comment or metadata entry.
    pub loc: Loc,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// What it covers: a finding whose primary location or resource header lies here.
    pub scope: Range<u32>,
}

/// Every suppression in every Terraform and CloudFormation file.
pub fn scan(sources: &SourceDb) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (id, f) in sources.files() {
        // A plan is written by Terraform: it holds no suppressions, and searching a large one
        // would bring back the pages of its text that were released after loading.
        if f.kind == Some(FileKind::Plan) {
            continue;
        }
        let path = f.path.to_string_lossy().to_ascii_lowercase();
        if !f.text.contains("repl-lint") {
            continue;
        }
        if path.ends_with(".tf") {
            scan_hcl(id, &f.text, &mut out);
        } else if path.ends_with(".json") || path.ends_with(".template") {
            scan_cfn_json(id, &f.text, &mut out);
        } else if path.ends_with(".yaml") || path.ends_with(".yml") {
            scan_cfn_yaml(id, &f.text, &mut out);
        }
    }
    out
}

/// A block: `header_line_start..close+1`, with its opening brace.
#[derive(Debug)]
struct Block {
    start: usize,
    open: usize,
    end: usize,
}

/// The blocks of an HCL file, found with a lexer that skips strings, comments and heredocs (a
/// brace in a policy string must not open a block).
fn hcl_blocks(text: &str) -> Vec<Block> {
    let b = text.as_bytes();
    let mut blocks = Vec::new();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let line_start = |i: usize| text[..i].rfind('\n').map_or(0, |p| p + 1);
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                let mut depth = 0usize;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 1,
                        b'$' if b.get(i + 1) == Some(&b'{') => {
                            depth += 1;
                            i += 1;
                        }
                        b'}' if depth > 0 => depth -= 1,
                        b'"' if depth == 0 => break,
                        b'\n' if depth == 0 => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'#' => i = text[i..].find('\n').map_or(b.len(), |p| i + p),
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |p| i + p)
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 1)
            }
            b'<' if text[i..].starts_with("<<") => {
                let rest = text[i + 2..].trim_start_matches('-');
                let ident: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !ident.is_empty() {
                    // Skip to the line that holds only the identifier.
                    let mut pos = text[i..].find('\n').map_or(b.len(), |p| i + p + 1);
                    while pos < b.len() {
                        let end = text[pos..].find('\n').map_or(b.len(), |p| pos + p);
                        if text[pos..end].trim() == ident {
                            break;
                        }
                        pos = end + 1;
                    }
                    i = pos;
                }
            }
            b'{' => stack.push((line_start(i), i)),
            b'}' => {
                if let Some((start, open)) = stack.pop() {
                    blocks.push(Block {
                        start,
                        open,
                        end: i + 1,
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    blocks
}

/// `RULE,RULE reason` → rules and reason.
fn parse_directive(rest: &str) -> (Vec<String>, Option<String>) {
    let rest = rest.trim();
    let (ids, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let rules = ids
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let reason = reason.trim();
    (rules, (!reason.is_empty()).then(|| reason.to_string()))
}

/// Whether `pos` in `line` is outside any string literal.
fn outside_string(line: &str, pos: usize) -> bool {
    let mut quotes = 0;
    let mut escaped = false;
    for c in line[..pos].chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => quotes += 1,
            _ => {}
        }
        escaped = false;
    }
    quotes % 2 == 0
}

fn scan_hcl(file: FileId, text: &str, out: &mut Vec<Suppression>) {
    let blocks = hcl_blocks(text);
    let mut offset = 0;
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .map(|l| {
            let at = offset;
            offset += l.len();
            (at, l)
        })
        .collect();
    for (n, &(at, line)) in lines.iter().enumerate() {
        let Some(m) = line.find(MARKER) else {
            continue;
        };
        let before = line[..m].trim_end();
        let is_comment = before.ends_with('#') || before.ends_with("//");
        let comment_start = if before.ends_with("//") {
            before.len() - 2
        } else {
            before.len().saturating_sub(1)
        };
        if !is_comment || !outside_string(line, comment_start) {
            continue;
        }
        let own_line = line[..comment_start].trim().is_empty();
        let (rules, reason) = parse_directive(&line[m + MARKER.len()..]);
        // The block it belongs to: opened on this line (trailing comment), or on the next line
        // that is not a comment (comment above), or else the innermost block around it.
        let mut target_line = at;
        if own_line {
            target_line = lines[n + 1..]
                .iter()
                .find(|(_, l)| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
                })
                .map_or(at, |(a, _)| *a);
        }
        let opened_there = blocks
            .iter()
            .filter(|b| b.start == target_line)
            .min_by_key(|b| b.open);
        let around = blocks
            .iter()
            .filter(|b| b.open < at && at < b.end)
            .min_by_key(|b| b.end - b.start);
        let Some(block) = opened_there.or(around) else {
            continue;
        };
        let end = line.trim_end().len();
        out.push(Suppression {
            file,
            loc: Loc::span(file, at + comment_start, at + end),
            rules,
            reason,
            scope: block.start as u32..block.end as u32,
        });
    }
}

fn node_range(loc: &Loc) -> Option<Range<u32>> {
    match loc {
        Loc::Span(s) => Some(s.start..s.end),
        _ => None,
    }
}

fn scan_cfn_json(file: FileId, text: &str, out: &mut Vec<Suppression>) {
    let Ok(root) = crate::syntax::json::parse(text, file) else {
        return;
    };
    let Some(resources) = root.get("Resources") else {
        return;
    };
    for (key, resource) in resources.entries() {
        let Some(list) = resource
            .get("Metadata")
            .and_then(|m| m.get("repl-lint"))
            .and_then(|m| m.get("ignore"))
            .and_then(Node::as_list)
        else {
            continue;
        };
        let (Some(k), Some(r)) = (node_range(&key.loc), node_range(&resource.loc)) else {
            continue;
        };
        for item in list {
            let (rules, reason) = match &item.kind {
                NodeKind::Str(id) => (vec![id.to_string()], None),
                _ => (
                    item.get("id")
                        .and_then(Node::as_str)
                        .map(|s| vec![s.to_string()])
                        .unwrap_or_default(),
                    item.get("reason")
                        .and_then(Node::as_str)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                ),
            };
            out.push(Suppression {
                file,
                loc: item.loc.clone(),
                rules,
                reason,
                scope: k.start..r.end,
            });
        }
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// A YAML scalar as written: quoted or plain, up to `,`, `}` or `]` in flow style.
fn yaml_scalar(text: &str, flow: bool) -> String {
    let t = text.trim_start();
    if let Some(q @ ('"' | '\'')) = t.chars().next() {
        let inner = &t[1..];
        return inner[..inner.find(q).unwrap_or(inner.len())].to_string();
    }
    let end = if flow {
        t.find([',', '}', ']']).unwrap_or(t.len())
    } else {
        t.find(" #").unwrap_or(t.len())
    };
    t[..end].trim().to_string()
}

/// CloudFormation YAML, read by indentation: `Resources` → logical id → `Metadata` →
/// `repl-lint` → `ignore` entries, block (`- id: X` / `reason: Y`) or flow (`{id: X, ...}`).
fn scan_cfn_yaml(file: FileId, text: &str, out: &mut Vec<Suppression>) {
    let mut offset = 0;
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .map(|l| {
            let at = offset;
            offset += l.len();
            (at, l.trim_end_matches(['\n', '\r']))
        })
        .collect();
    let code = |l: &str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    // The parent of line `n`: the nearest line above with less indentation.
    let parent = |n: usize| {
        let ind = indent(lines[n].1);
        (0..n)
            .rev()
            .find(|&p| code(lines[p].1) && indent(lines[p].1) < ind)
    };
    for (n, &(_, line)) in lines.iter().enumerate() {
        let t = line.trim_start();
        if !(t.starts_with("repl-lint:") || t.starts_with("\"repl-lint\":")) {
            continue;
        }
        let Some(meta) = parent(n) else { continue };
        if !lines[meta].1.trim_start().starts_with("Metadata:") {
            continue;
        }
        let Some(resource) = parent(meta) else {
            continue;
        };
        let res_indent = indent(lines[resource].1);
        let scope_end = lines[resource + 1..]
            .iter()
            .find(|(_, l)| code(l) && indent(l) <= res_indent)
            .map_or(text.len(), |(a, _)| *a);
        let scope = lines[resource].0 as u32..scope_end as u32;
        let my_indent = indent(line);
        let section_end = lines[n + 1..]
            .iter()
            .position(|(_, l)| code(l) && indent(l) <= my_indent)
            .map_or(lines.len(), |p| n + 1 + p);
        let mut current: Option<Suppression> = None;
        for &(at, l) in &lines[n..section_end] {
            // Each `id:` starts an entry; `reason:` completes the current one.
            let mut rest = l;
            let mut base = at;
            while let Some(p) = rest.find(['i', 'r']) {
                let s = &rest[p..];
                let boundary = p == 0 || !rest.as_bytes()[p - 1].is_ascii_alphanumeric();
                let flow = l.contains('{');
                if boundary && s.starts_with("id:") {
                    if let Some(done) = current.take() {
                        out.push(done);
                    }
                    let value = yaml_scalar(&s[3..], flow);
                    current = Some(Suppression {
                        file,
                        loc: Loc::span(file, base + p, at + l.len()),
                        rules: vec![value],
                        reason: None,
                        scope: scope.clone(),
                    });
                } else if boundary && s.starts_with("reason:") {
                    let value = yaml_scalar(&s[7..], flow);
                    if let Some(c) = current.as_mut()
                        && !value.is_empty()
                    {
                        c.reason = Some(value);
                    }
                }
                base += p + 1;
                rest = &rest[p + 1..];
            }
        }
        if let Some(done) = current.take() {
            out.push(done);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_text(path: &str, text: &str) -> Vec<(Vec<String>, Option<String>, String)> {
        let mut db = SourceDb::new();
        db.add(path, text);
        scan(&db)
            .into_iter()
            .map(|s| {
                let scope = text[s.scope.start as usize..s.scope.end as usize].to_string();
                (s.rules, s.reason, scope)
            })
            .collect()
    }

    #[test]
    fn hcl_comment_above_covers_the_block() {
        let text = "# repl-lint:ignore=rtc-requires-metrics,kms-opt-in-missing metrics come from the platform\nresource \"a\" \"b\" {\n  x = \"{ # repl-lint:ignore=nope in a string\"\n}\nresource \"c\" \"d\" {}\n";
        let s = scan_text("main.tf", text);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, ["rtc-requires-metrics", "kms-opt-in-missing"]);
        assert_eq!(s[0].1.as_deref(), Some("metrics come from the platform"));
        assert!(s[0].2.starts_with("resource \"a\" \"b\" {") && s[0].2.ends_with('}'));
        assert!(!s[0].2.contains("resource \"c\""));
    }

    #[test]
    fn hcl_inside_and_trailing_and_without_reason() {
        let text = "resource \"a\" \"b\" { // repl-lint:ignore=x\n  rule {\n    # repl-lint:ignore=y because\n    id = 1\n  }\n  policy = <<EOF\n{ \"a\": \"}\" \nEOF\n}\n";
        let s = scan_text("main.tf", text);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].0.clone(), s[0].1.clone()), (vec!["x".into()], None));
        assert!(s[0].2.starts_with("resource") && s[0].2.ends_with("EOF\n}"));
        assert_eq!(s[1].0, ["y"]);
        assert!(s[1].2.trim_start().starts_with("rule {"), "{:?}", s[1].2);
    }

    #[test]
    fn cloudformation_yaml_block_and_flow() {
        let text = "Resources:\n  Source:\n    Type: AWS::S3::Bucket\n    Metadata:\n      repl-lint:\n        ignore:\n          - id: ver-src-not-enabled\n            reason: \"versioning: set by SCP\"\n          - id: rtc-requires-metrics\n    Properties: {}\n  Other:\n    Type: AWS::S3::Bucket\n    Metadata:\n      repl-lint: {ignore: [{id: kms-opt-in-missing, reason: later}]}\n";
        let s = scan_text("stack.yaml", text);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0].0, ["ver-src-not-enabled"]);
        assert_eq!(s[0].1.as_deref(), Some("versioning: set by SCP"));
        assert!(s[0].2.starts_with("  Source:") && !s[0].2.contains("Other"));
        assert_eq!(
            (s[1].0.clone(), s[1].1.clone()),
            (vec!["rtc-requires-metrics".into()], None)
        );
        assert_eq!(s[2].0, ["kms-opt-in-missing"]);
        assert_eq!(s[2].1.as_deref(), Some("later"));
        assert!(s[2].2.starts_with("  Other:"));
    }

    #[test]
    fn cloudformation_json() {
        let text = r#"{"Resources": {"Source": {"Type": "AWS::S3::Bucket", "Metadata": {"repl-lint": {"ignore": [{"id": "ver-src-not-enabled", "reason": "r"}]}}}}}"#;
        let s = scan_text("stack.json", text);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].1.as_deref(), Some("r"));
        assert!(s[0].2.starts_with("\"Source\""));
    }
}
