//! C. Replication configuration basics.

mod rc_dest_is_source;
mod rc_dest_not_bucket_arn;
mod rc_role_not_role_arn;
mod rc_rule_disabled;

pub use rc_dest_is_source::RcDestIsSource;
pub use rc_dest_not_bucket_arn::RcDestNotBucketArn;
pub use rc_role_not_role_arn::RcRoleNotRoleArn;
pub use rc_rule_disabled::RcRuleDisabled;
