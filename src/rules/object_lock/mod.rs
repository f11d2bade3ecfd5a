//! L. Object Lock.

mod ol_destination_default_retention;
mod ol_destination_not_enabled;
mod ol_destination_put_perms;
mod ol_retention_limit_policy;
mod ol_source_read_perms;
mod ol_token_not_needed;

pub use ol_destination_default_retention::OlDestinationDefaultRetention;
pub use ol_destination_not_enabled::OlDestinationNotEnabled;
pub use ol_destination_put_perms::OlDestinationPutPerms;
pub use ol_retention_limit_policy::OlRetentionLimitPolicy;
pub use ol_source_read_perms::OlSourceReadPerms;
pub use ol_token_not_needed::OlTokenNotNeeded;
