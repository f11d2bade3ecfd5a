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
    &destination_permissions::DstpReplicateObject,
    &destination_permissions::DstpReplicateDelete,
    &destination_permissions::DstpReplicateTags,
    &destination_permissions::DstpOwnerOverride,
    &object_lock::OlSourceReadPerms,
    &kms::KmsSrcDecrypt,
    &kms::KmsDstEncrypt,
    &standards::StdRequireRtc,
    &standards::StdRequireReplicaKms,
    &standards::StdAllowedDestinationAccounts,
    &standards::StdAllowedDestinationRegions,
    &standards::StdRequireDeleteMarkerReplication,
    &standards::StdRequireStorageClass,
    &standards::StdSuppressionNoReason,
    &standards::StdSuppressionUnused,
];

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}
