//! I. Delete markers and the V1/V2 schema.

mod del_lifecycle_markers;
mod del_missing_on_v2;
mod del_on_v1_rule;
mod del_rtc_sla;
mod del_tag_filter;
mod del_v1_implicit;
mod del_xacct_default;

pub use del_lifecycle_markers::DelLifecycleMarkers;
pub use del_missing_on_v2::DelMissingOnV2;
pub use del_on_v1_rule::DelOnV1Rule;
pub use del_rtc_sla::DelRtcSla;
pub use del_tag_filter::DelTagFilter;
pub use del_v1_implicit::DelV1Implicit;
pub use del_xacct_default::DelXacctDefault;
