//! M. Replication Time Control and metrics.

mod rtc_requires_metrics;

pub use rtc_requires_metrics::RtcRequiresMetrics;
