//! F. Role identity permissions on the destination.

mod dstp_overbroad;
mod dstp_owner_override;
mod dstp_prefix_coverage;
mod dstp_replicate_delete;
mod dstp_replicate_object;
mod dstp_replicate_tags;
mod dstp_sse_condition;

pub use dstp_overbroad::DstpOverbroad;
pub use dstp_owner_override::DstpOwnerOverride;
pub use dstp_prefix_coverage::DstpPrefixCoverage;
pub use dstp_replicate_delete::DstpReplicateDelete;
pub use dstp_replicate_object::DstpReplicateObject;
pub use dstp_replicate_tags::DstpReplicateTags;
pub use dstp_sse_condition::DstpSseCondition;
