//! The one list of rules.

use super::*;

pub static RULES: &[&dyn Rule] = &[
    &versioning::VerSrcNotEnabled,
    &versioning::VerDstNotEnabled,
    &config_basics::RcRoleNotRoleArn,
    &config_basics::RcDestNotBucketArn,
    &config_basics::RcDestIsSource,
    &config_basics::RcRuleDisabled,
    &ownership::OwnActNeedsAccount,
    &delete_markers::DelTagFilter,
    &kms::KmsOptInMissing,
    &kms::KmsReplicaKeyMissing,
    &kms::KmsAwsManagedXacct,
    &object_lock::OlDestinationNotEnabled,
    &rtc::RtcRequiresMetrics,
    &source_permissions::SrcpBucketLevel,
    &source_permissions::SrcpObjectRead,
    &source_permissions::SrcpTagging,
    &source_permissions::SrcpGetobjectversionSubstitute,
    &destination_permissions::DstpReplicateObject,
    &destination_permissions::DstpReplicateDelete,
    &destination_permissions::DstpReplicateTags,
    &destination_permissions::DstpOwnerOverride,
    &object_lock::OlSourceReadPerms,
    &kms::KmsSrcDecrypt,
    &kms::KmsDstEncrypt,
    &kms::KmsDstGeneratedatakey,
    &kms::KmsKeyPolicyNoPath,
    &kms::KmsXacctBothSides,
    &cross_account::XdstPolicyMissing,
    &cross_account::XdstReplicateObject,
    &cross_account::XdstReplicateDelete,
    &cross_account::XdstReplicateTags,
    &cross_account::XdstOwnerOverride,
    &cross_account::XdstPrincipalForm,
    &cross_account::XdstObjectResource,
    &policy_hygiene::PolJsonInvalid,
    &policy_hygiene::PolVersionInvalid,
    &policy_hygiene::PolObjectArnNoWildcard,
    &policy_hygiene::PolResourcePolicyPrincipalMissing,
    &trust::TrustMissingS3Principal,
    &trust::TrustWrongPrincipalForm,
    &denies::DenyReplicationActions,
    &denies::DenyNetworkOrigin,
    &denies::DenyPermissionsBoundary,
    &denies::DenyScp,
];

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}
