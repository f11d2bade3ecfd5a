//! M. Replication Time Control and metrics.

mod metrics_threshold_without_rtc;
mod rtc_minutes_15;
mod rtc_requires_metrics;
mod rtc_scope;
mod rtc_v2;

pub use metrics_threshold_without_rtc::MetricsThresholdWithoutRtc;
pub use rtc_minutes_15::RtcMinutes15;
pub use rtc_requires_metrics::RtcRequiresMetrics;
pub use rtc_scope::RtcScope;
pub use rtc_v2::RtcV2;
