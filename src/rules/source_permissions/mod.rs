//! E. Role permissions on the source.
