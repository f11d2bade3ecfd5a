//! K. Encryption and KMS.

mod kms_aws_managed_xacct;
mod kms_batch_after_sse_change;
mod kms_caller_account_condition;
mod kms_context_form;
mod kms_destination_default_encryption;
mod kms_dsse;
mod kms_dst_decrypt_bucket_key;
mod kms_dst_encrypt;
mod kms_dst_generatedatakey;
mod kms_key_policy_no_path;
mod kms_mrk_distinct;
mod kms_opt_in_missing;
mod kms_replica_key_format;
mod kms_replica_key_missing;
mod kms_replica_key_region;
mod kms_replica_key_unusable;
mod kms_replica_key_without_opt_in;
mod kms_request_quota;
mod kms_src_decrypt;
mod kms_src_key_foreign;
mod kms_sse_c_blocked_destination;
mod kms_sse_c_supported;
mod kms_viaservice_region;
mod kms_xacct_both_sides;
mod near_miss;

pub(crate) use near_miss::explained;

pub use kms_aws_managed_xacct::KmsAwsManagedXacct;
pub use kms_batch_after_sse_change::KmsBatchAfterSseChange;
pub use kms_caller_account_condition::KmsCallerAccountCondition;
pub use kms_context_form::KmsContextForm;
pub use kms_destination_default_encryption::KmsDestinationDefaultEncryption;
pub use kms_dsse::KmsDsse;
pub use kms_dst_decrypt_bucket_key::KmsDstDecryptBucketKey;
pub use kms_dst_encrypt::KmsDstEncrypt;
pub use kms_dst_generatedatakey::KmsDstGeneratedatakey;
pub use kms_key_policy_no_path::KmsKeyPolicyNoPath;
pub use kms_mrk_distinct::KmsMrkDistinct;
pub use kms_opt_in_missing::KmsOptInMissing;
pub use kms_replica_key_format::KmsReplicaKeyFormat;
pub use kms_replica_key_missing::KmsReplicaKeyMissing;
pub use kms_replica_key_region::KmsReplicaKeyRegion;
pub use kms_replica_key_unusable::KmsReplicaKeyUnusable;
pub use kms_replica_key_without_opt_in::KmsReplicaKeyWithoutOptIn;
pub use kms_request_quota::KmsRequestQuota;
pub use kms_src_decrypt::KmsSrcDecrypt;
pub use kms_src_key_foreign::KmsSrcKeyForeign;
pub use kms_sse_c_blocked_destination::KmsSseCBlockedDestination;
pub use kms_sse_c_supported::KmsSseCSupported;
pub use kms_viaservice_region::KmsViaserviceRegion;
pub use kms_xacct_both_sides::KmsXacctBothSides;

use crate::graph::{Graph, Resolved, Tri};
use crate::rules::access::{Checked, Gap, Side, gaps};
use crate::source::Loc;

/// Key needs (Decrypt, Encrypt) that the key policy leaves ungranted, where the key's account
/// relates to the role's as `relation` (`Tri::Yes`: same account), with the key policy's location.
pub(crate) fn key_policy_gaps<'c>(
    cx: &'c crate::rules::Context<'_>,
    relation: Tri,
) -> Vec<(&'c Checked, Loc)> {
    let g = cx.graph;
    cx.checked()
        .filter(|c| {
            matches!(c.need.side, Side::SourceKey | Side::DestinationKey)
                && c.need.action != "kms:GenerateDataKey"
        })
        .filter(|c| {
            let owner = Resolved::Known(c.need.owner.as_deref().unwrap_or_default().to_string());
            Graph::same_account(&g.roles[c.role].account, &owner) == relation
        })
        .filter(|c| {
            gaps(g, &c.decision)
                .iter()
                .any(|gap| matches!(gap, Gap::ResourcePolicy))
        })
        .filter(|c| !explained(g, c))
        .filter_map(|c| crate::rules::grants::resource_policy_loc(g, c).map(|loc| (c, loc)))
        .collect()
}

/// The key-policy statement that lets the replication role use a key.
pub(crate) fn key_policy_fix(g: &Graph<'_>, role_arn: Option<&str>) -> String {
    format!(
        "add to the key policy:\n{}",
        crate::rules::access::allow_statement(
            g,
            role_arn,
            &["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
            "*"
        )
    )
}

/// The region of the key a link names: the key resource's, else the one its ARN states.
pub(crate) fn key_region(g: &Graph<'_>, link: &crate::graph::KeyLink) -> Option<String> {
    use crate::graph::KeyLink;
    match link {
        KeyLink::Found(k) => g.keys.get(*k)?.region.concrete().map(str::to_string),
        KeyLink::External(text) | KeyLink::AwsManaged(text) => crate::model::arn::region_of(text)
            .filter(|r| !r.is_empty() && !crate::graph::atoms::contains_atoms(r))
            .map(str::to_string),
        _ => None,
    }
}

/// The account of the key a link names: the key resource's, else the one its ARN states.
pub(crate) fn key_account(g: &Graph<'_>, link: &crate::graph::KeyLink) -> Resolved {
    use crate::graph::KeyLink;
    match link {
        KeyLink::Found(k) => g
            .keys
            .get(*k)
            .map(|v| v.account.clone())
            .unwrap_or(Resolved::Absent),
        KeyLink::External(text) => match crate::model::arn::account_of(text) {
            Some(a) if !a.is_empty() => Resolved::Known(a.to_string()),
            _ => Resolved::Absent,
        },
        _ => Resolved::Absent,
    }
}

/// Keys related to key `k` as multi-Region primary and replicas (without `k` itself).
pub(crate) fn related_mrks(g: &Graph<'_>, k: usize) -> Vec<usize> {
    use crate::graph::KeyLink;
    let primary_of = |i: usize| match g.model.keys.get(i).map(|key| &key.primary) {
        Some(p) if p.is_present() => match g.key_by_value(p) {
            KeyLink::Found(j) => Some(j),
            _ => None,
        },
        _ => None,
    };
    let root = primary_of(k).unwrap_or(k);
    (0..g.keys.len())
        .filter(|&i| i != k && (i == root || primary_of(i) == Some(root)))
        .collect()
}

/// A multi-Region key related to `k` that lives in `region`.
pub(crate) fn related_mrk_in(g: &Graph<'_>, k: usize, region: &str) -> Option<usize> {
    related_mrks(g, k)
        .into_iter()
        .find(|&i| g.keys[i].region.concrete() == Some(region))
}

/// How a bucket's default encryption configuration treats SSE-C uploads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SseC {
    /// `blocked_encryption_types` lists `SSE-C`.
    Blocked,
    /// `blocked_encryption_types = ["NONE"]`: SSE-C explicitly allowed.
    Allowed,
    /// No explicit setting: allowed on buckets created before April 2026, blocked on newer ones.
    Default,
    /// Decided at apply or outside the input.
    Unknown,
}

pub(crate) fn sse_c(bucket: &crate::graph::BucketView<'_>) -> (SseC, crate::source::Loc) {
    use crate::model::Value;
    let Some((sse, origin)) = bucket.sse else {
        return (SseC::Default, bucket.bucket.origin.header.clone());
    };
    match &sse.blocked_encryption_types {
        Value::Known(types, loc) => {
            let state = if types.iter().any(|t| t.eq_ignore_ascii_case("SSE-C")) {
                SseC::Blocked
            } else if types.iter().any(|t| t.eq_ignore_ascii_case("NONE")) {
                SseC::Allowed
            } else {
                SseC::Default
            };
            (state, loc.clone())
        }
        Value::Absent(_) => (SseC::Default, origin.header.clone()),
        other => (SseC::Unknown, other.loc().clone()),
    }
}
