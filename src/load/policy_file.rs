//! A bare policy document given on the command line.

use std::sync::Arc;

use crate::model::{DocKind, Format, Model, Origin, PolicyContent, PolicyDoc, StandalonePolicy};
use crate::source::{FileId, Loc, StringOrigin};

pub fn load(file: FileId, text: &str) -> Model {
    let mut model = Model::default();
    let whole = Loc::span(file, 0, text.len());
    let kind = guess_kind(text);
    let origin = Origin {
        address: "policy".into(),
        file,
        header: whole.clone(),
        format: Format::Policy,
    };
    let document = PolicyDoc {
        loc: whole,
        content: PolicyContent::Json {
            text: Arc::from(text),
            origin: Arc::new(StringOrigin::Mapped {
                file,
                checkpoints: Arc::from(vec![(0u32, 0u32)]),
            }),
        },
    };
    model.standalone_policies.push(StandalonePolicy {
        origin,
        document,
        kind,
    });
    model
}

/// Recognizes the kind of a policy by its shape.
fn guess_kind(text: &str) -> DocKind {
    let has = |s: &str| text.contains(s);
    if has("sts:AssumeRole") && has("\"Service\"") {
        DocKind::Trust
    } else if has("\"kms:") && has("\"Principal\"") && has("\"Resource\": \"*\"") {
        DocKind::Key
    } else if has("\"Principal\"") || has("\"NotPrincipal\"") {
        DocKind::Bucket
    } else {
        DocKind::Identity
    }
}
