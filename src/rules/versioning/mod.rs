//! B. Versioning.

mod ver_dst_not_enabled;
mod ver_src_not_enabled;

pub use ver_dst_not_enabled::VerDstNotEnabled;
pub use ver_src_not_enabled::VerSrcNotEnabled;
