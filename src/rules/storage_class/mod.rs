//! R. Storage classes.

mod sc_destination_invalid;

pub use sc_destination_invalid::ScDestinationInvalid;
