//! R. Storage classes.

mod sc_default;
mod sc_destination_invalid;
mod sc_source_archived_not_replicated;

pub use sc_default::ScDefault;
pub use sc_destination_invalid::ScDestinationInvalid;
pub use sc_source_archived_not_replicated::ScSourceArchivedNotReplicated;
