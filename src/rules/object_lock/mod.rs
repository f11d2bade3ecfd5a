//! L. Object Lock.

mod ol_destination_not_enabled;

pub use ol_destination_not_enabled::OlDestinationNotEnabled;
