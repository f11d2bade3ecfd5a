//! A bare policy document given on the command line.
//!
//! The file does not say what the document is attached to, so its kind is guessed from its
//! shape, statement by statement:
//!
//! * a statement with a `Principal` naming an AWS service (`s3.amazonaws.com`, ...) or an
//!   `sts:AssumeRole*` action: a **trust** policy;
//! * a statement with a `Principal`, `kms:` actions and `Resource: "*"` (what key policies
//!   say): a **key** policy;
//! * any other statement with a `Principal` or `NotPrincipal`: a **bucket** policy;
//! * no statement names a principal: an **identity** policy (also what boundaries and SCPs
//!   look like).
//!
//! A file that is not a JSON document (statements pasted without their enclosing
//! `{"Statement": [...]}`, text around them) is an input error at the offending position.

use crate::model::{
    DocKind, Format, InputError, Model, Origin, PolicyContent, PolicyDoc, StandalonePolicy,
};
use crate::source::{FileId, Loc};
use crate::syntax::{Node, NodeKind};

/// `name` (the file name) is the document's address in findings.
pub fn load(file: FileId, name: &str, text: &str) -> Model {
    let mut model = Model::default();
    let whole = Loc::span(file, 0, text.len());
    let node = match crate::syntax::json::parse(text, file) {
        Ok(node) => node,
        Err(e) => {
            model.input_errors.push(InputError {
                loc: e.loc,
                file,
                message: format!(
                    "not a policy document: {}{}",
                    e.message,
                    fragment_hint(text)
                ),
                warning: false,
            });
            return model;
        }
    };
    let kind = guess_kind(&node);
    let origin = Origin {
        address: name.to_string(),
        file,
        header: whole.clone(),
        format: Format::Policy,
    };
    let document = PolicyDoc {
        loc: whole,
        content: PolicyContent::Parsed(node),
    };
    model.standalone_policies.push(StandalonePolicy {
        origin,
        document,
        kind,
    });
    model
}

/// What to do about the usual ways documentation snippets fail to be documents.
fn fragment_hint(text: &str) -> &'static str {
    let head = text.trim_start();
    if head.starts_with("...") || head.starts_with('"') {
        "; this looks like an excerpt of a policy: keep the whole document, `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`"
    } else if head.starts_with('{')
        && text.contains("\"Effect\"")
        && !text.contains("\"Statement\"")
    {
        "; this looks like statements without their document: wrap them in `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`"
    } else {
        ""
    }
}

/// Recognizes the kind of a policy by its shape (see the module docs).
fn guess_kind(node: &Node) -> DocKind {
    let statements: Vec<&Node> = match node.get_ignore_case("Statement").map(|(_, n)| n) {
        Some(n) => match &n.kind {
            NodeKind::List(items) => items.iter().collect(),
            _ => vec![n],
        },
        None => Vec::new(),
    };
    let mut kind = DocKind::Identity;
    for st in statements {
        let principal = st
            .get_ignore_case("Principal")
            .or_else(|| st.get_ignore_case("NotPrincipal"))
            .map(|(_, n)| n);
        let Some(principal) = principal else { continue };
        let actions = strings(st.get_ignore_case("Action").map(|(_, n)| n));
        let resources = strings(st.get_ignore_case("Resource").map(|(_, n)| n));
        let names_service = principal.get_ignore_case("Service").is_some_and(|(_, s)| {
            strings(Some(s))
                .iter()
                .any(|v| v.ends_with(".amazonaws.com"))
        });
        let assumes = actions
            .iter()
            .any(|a| a.to_ascii_lowercase().starts_with("sts:assumerole"));
        if names_service || assumes {
            return DocKind::Trust;
        }
        let kms = actions
            .iter()
            .any(|a| a.to_ascii_lowercase().starts_with("kms:"));
        if kms && resources.iter().all(|r| r == "*") {
            kind = DocKind::Key;
        } else if kind == DocKind::Identity {
            kind = DocKind::Bucket;
        }
    }
    kind
}

/// The strings of a string or a list of strings.
fn strings(node: Option<&Node>) -> Vec<String> {
    match node.map(|n| &n.kind) {
        Some(NodeKind::Str(s)) => vec![s.to_string()],
        Some(NodeKind::List(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(text: &str) -> Option<DocKind> {
        let m = load(FileId(0), "p.json", text);
        m.standalone_policies.first().map(|p| p.kind)
    }

    #[test]
    fn kinds_by_shape() {
        let trust = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": ["s3.amazonaws.com", "batchoperations.s3.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}"#;
        assert_eq!(kind_of(trust), Some(DocKind::Trust));
        let key = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
        assert_eq!(kind_of(key), Some(DocKind::Key));
        let bucket = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/r"}, "Action": "s3:ReplicateObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        assert_eq!(kind_of(bucket), Some(DocKind::Bucket));
        let identity =
            r#"{"Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}"#;
        assert_eq!(kind_of(identity), Some(DocKind::Identity));
    }

    #[test]
    fn fragments_are_input_errors_at_their_position() {
        let m = load(
            FileId(0),
            "p.json",
            "{\"Effect\": \"Allow\"},\n{\"Effect\": \"Deny\"}\n",
        );
        assert!(m.standalone_policies.is_empty());
        let e = m
            .input_errors
            .first()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        assert!(e.contains("wrap them"), "{e}");
        let m = load(FileId(0), "p.json", "...\n\"Statement\": []\n...\n");
        let e = m
            .input_errors
            .first()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        assert!(e.contains("excerpt"), "{e}");
    }
}
