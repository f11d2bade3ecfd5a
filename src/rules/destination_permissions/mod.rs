//! F. Role identity permissions on the destination.
