//! `REPL_LINT_TIMINGS=1`: each phase of a run prints its wall time and the process's memory to
//! standard error. For finding where a large input's time and memory go; off by default.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("REPL_LINT_TIMINGS").is_some_and(|v| v != "0"))
}

static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// Starts the clock: the first phase is timed from here (the start of the process, when `main`
/// calls it first).
pub fn start() {
    if !enabled() {
        return;
    }
    if let Ok(mut last) = LAST.lock() {
        *last = Some(Instant::now());
    }
}

/// Marks the end of the phase `name`.
pub fn phase(name: &str) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let Ok(mut last) = LAST.lock() else { return };
    let elapsed = last.map_or(0.0, |t| now.duration_since(t).as_secs_f64());
    *last = Some(now);
    let (rss, peak) = memory_mb();
    eprintln!("[timings] {name:<28} {elapsed:>7.3} s   rss {rss:>6.0} MB   peak {peak:>6.0} MB");
}

/// Times `work` as one rule's share of the rules phase (rules run side by side on the thread
/// pool, so their times add up to more than the phase's wall time).
pub fn rule<T>(id: &str, work: impl FnOnce() -> T) -> T {
    if !enabled() {
        return work();
    }
    let start = Instant::now();
    let out = work();
    eprintln!(
        "[timings]   rule {id:<32} {:>7.3} s",
        start.elapsed().as_secs_f64()
    );
    out
}

/// Current and peak resident set, in MB (10^6 bytes); zero where /proc is not there.
fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb * 1024.0 / 1e6)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
