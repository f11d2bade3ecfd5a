//! I. Delete markers and the V1/V2 schema.

mod del_tag_filter;

pub use del_tag_filter::DelTagFilter;
