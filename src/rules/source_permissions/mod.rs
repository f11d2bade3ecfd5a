//! E. Role permissions on the source (bucket-level vs object-level ARNs).

mod srcp_bucket_level;
mod srcp_getobjectversion_substitute;
mod srcp_object_read;
mod srcp_prefix_coverage;
mod srcp_tagging;

pub use srcp_bucket_level::SrcpBucketLevel;
pub use srcp_getobjectversion_substitute::SrcpGetobjectversionSubstitute;
pub use srcp_object_read::SrcpObjectRead;
pub use srcp_prefix_coverage::SrcpPrefixCoverage;
pub use srcp_tagging::SrcpTagging;
