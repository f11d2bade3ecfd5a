//! L. Object Lock.

mod ol_destination_not_enabled;
mod ol_source_read_perms;

pub use ol_destination_not_enabled::OlDestinationNotEnabled;
pub use ol_source_read_perms::OlSourceReadPerms;
