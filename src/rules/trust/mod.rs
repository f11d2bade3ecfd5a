//! D. Role trust policy.

mod trust_batchoperations_principal;
mod trust_conditions_or_deny;
mod trust_missing_s3_principal;
mod trust_wrong_principal_form;

pub use trust_batchoperations_principal::TrustBatchoperationsPrincipal;
pub use trust_conditions_or_deny::TrustConditionsOrDeny;
pub use trust_missing_s3_principal::TrustMissingS3Principal;
pub use trust_wrong_principal_form::TrustWrongPrincipalForm;

use crate::graph::{DocId, Graph, Link};
use crate::iam::{Effect, Item, Policy, PrincipalSpec, PrincipalType};

use super::grants::covers_action;

pub const S3_SERVICE: &str = "s3.amazonaws.com";

/// The trust policies of roles used for replication: (role index, trust document).
pub fn replication_trusts(g: &Graph<'_>) -> Vec<(usize, Option<DocId>)> {
    let mut out: Vec<(usize, Option<DocId>)> = Vec::new();
    // A flag per role: searching `out` per configuration was quadratic in large inputs.
    let mut listed = vec![false; g.roles.len()];
    for view in &g.replications {
        if let Link::Found(r) = view.role
            && let Some(slot) = listed.get_mut(r)
            && !std::mem::replace(slot, true)
        {
            out.push((r, g.roles[r].trust));
        }
    }
    out
}

/// Whether an Allow statement lets `s3.amazonaws.com` assume the role.
pub fn trusts_s3(policy: &Policy) -> bool {
    policy.statements.iter().any(|st| {
        st.effect == Some(Effect::Allow)
            && covers_action(st, "sts:AssumeRole")
            && matches!(&st.principal, Some(PrincipalSpec::Principal(items))
                if items.iter().any(|p| p.kind == PrincipalType::Service && p.value.text == S3_SERVICE))
    })
}

/// Whether an Allow names a service principal computed from values not known before apply
/// (`s3.${data.aws_partition.current.dns_suffix}`): it may well be S3.
pub fn maybe_s3(policy: &Policy) -> bool {
    policy.statements.iter().any(|st| {
        st.effect == Some(Effect::Allow)
            && covers_action(st, "sts:AssumeRole")
            && matches!(&st.principal, Some(PrincipalSpec::Principal(items))
                if items.iter().any(|p| p.kind == PrincipalType::Service && crate::iam::atom::contains_atoms(&p.value.text)))
    })
}

/// Principal items that were meant to be the S3 service but are not its exact form.
pub fn wrong_s3_forms(policy: &Policy) -> Vec<(&Item, String)> {
    let mut out = Vec::new();
    for st in &policy.statements {
        if st.effect != Some(Effect::Allow) {
            continue;
        }
        match &st.principal {
            Some(PrincipalSpec::NotPrincipal(items)) => {
                if let Some(first) = items.first() {
                    out.push((
                        &first.value,
                        "trust policies cannot use NotPrincipal".to_string(),
                    ));
                }
            }
            Some(PrincipalSpec::Principal(items)) => {
                for p in items {
                    let text = p.value.text.as_str();
                    let why = match p.kind {
                        PrincipalType::Service if text == S3_SERVICE => None,
                        PrincipalType::Service
                            if text.starts_with("s3.")
                                && text.ends_with(".amazonaws.com")
                                && text != "batchoperations.s3.amazonaws.com" =>
                        {
                            Some(format!(
                                "`{text}` is a regional form; the service principal is `{S3_SERVICE}`"
                            ))
                        }
                        PrincipalType::Service
                            if crate::edit_distance::within(
                                &text.to_ascii_lowercase(),
                                S3_SERVICE,
                                2,
                            )
                            .is_some() =>
                        {
                            Some(format!(
                                "`{text}` is not the service principal `{S3_SERVICE}`"
                            ))
                        }
                        PrincipalType::Aws
                            if text.to_ascii_lowercase().contains("s3.amazonaws.com")
                                || text.starts_with("arn:aws:s3") =>
                        {
                            Some(format!(
                                "`{text}` is given as an AWS principal; S3 is a Service principal"
                            ))
                        }
                        _ => None,
                    };
                    if let Some(why) = why {
                        out.push((&p.value, why));
                    }
                }
            }
            None => {}
        }
    }
    out
}
