//! C. Replication configuration basics.

mod rc_dest_directory_bucket;
mod rc_dest_is_source;
mod rc_dest_not_bucket_arn;
mod rc_existing_object_replication;
mod rc_limits;
mod rc_region_not_enabled;
mod rc_requester_pays_destination;
mod rc_role_cross_account;
mod rc_role_not_role_arn;
mod rc_rule_disabled;
mod rc_single_config_per_bucket;
mod rc_ssc_empty;

pub use rc_dest_directory_bucket::RcDestDirectoryBucket;
pub use rc_dest_is_source::RcDestIsSource;
pub use rc_dest_not_bucket_arn::RcDestNotBucketArn;
pub use rc_existing_object_replication::RcExistingObjectReplication;
pub use rc_limits::RcLimits;
pub use rc_region_not_enabled::RcRegionNotEnabled;
pub use rc_requester_pays_destination::RcRequesterPaysDestination;
pub use rc_role_cross_account::RcRoleCrossAccount;
pub use rc_role_not_role_arn::RcRoleNotRoleArn;
pub use rc_rule_disabled::RcRuleDisabled;
pub use rc_single_config_per_bucket::RcSingleConfigPerBucket;
pub use rc_ssc_empty::RcSscEmpty;
