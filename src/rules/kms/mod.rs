//! K. Encryption and KMS.

mod kms_aws_managed_xacct;
mod kms_dst_encrypt;
mod kms_dst_generatedatakey;
mod kms_key_policy_no_path;
mod kms_opt_in_missing;
mod kms_replica_key_missing;
mod kms_src_decrypt;
mod kms_xacct_both_sides;

pub use kms_aws_managed_xacct::KmsAwsManagedXacct;
pub use kms_dst_encrypt::KmsDstEncrypt;
pub use kms_dst_generatedatakey::KmsDstGeneratedatakey;
pub use kms_key_policy_no_path::KmsKeyPolicyNoPath;
pub use kms_opt_in_missing::KmsOptInMissing;
pub use kms_replica_key_missing::KmsReplicaKeyMissing;
pub use kms_src_decrypt::KmsSrcDecrypt;
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
        .iter()
        .filter(|c| {
            matches!(c.need.side, Side::SourceKey | Side::DestinationKey)
                && c.need.action != "kms:GenerateDataKey"
        })
        .filter(|c| {
            let owner = Resolved::Known(c.need.owner.clone().unwrap_or_default());
            Graph::same_account(&g.roles[c.role].account, &owner) == relation
        })
        .filter(|c| {
            gaps(g, &c.decision)
                .iter()
                .any(|gap| matches!(gap, Gap::ResourcePolicy))
        })
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
