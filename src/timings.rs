//! `REPL_LINT_TIMINGS=1`: each phase of a run prints its wall time and the process's memory to
//! standard error. For finding where a large input's time and memory go; off by default.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("REPL_LINT_TIMINGS").is_some_and(|v| v != "0"))
}

/// Wall clock and the process's CPU time at the end of the last phase.
static LAST: Mutex<Option<(Instant, f64)>> = Mutex::new(None);

/// Starts the clock: the first phase is timed from here (the start of the process, when `main`
/// calls it first).
pub fn start() {
    if !enabled() {
        return;
    }
    if let Ok(mut last) = LAST.lock() {
        *last = Some((Instant::now(), cpu_seconds()));
    }
}

/// Marks the end of the phase `name`.
pub fn phase(name: &str) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let cpu = cpu_seconds();
    let Ok(mut last) = LAST.lock() else { return };
    let (elapsed, cpu_elapsed) = last.map_or((0.0, 0.0), |(t, c)| {
        (now.duration_since(t).as_secs_f64(), cpu - c)
    });
    *last = Some((now, cpu));
    let (rss, peak) = memory_mb();
    eprintln!(
        "[timings] {name:<28} {elapsed:>7.3} s   cpu {cpu_elapsed:>6.3} s   rss {rss:>6.0} MB   peak {peak:>6.0} MB"
    );
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

/// CPU time of the process's live threads (the thread pool lives as long as the process), from
/// the scheduler's nanosecond counts: comparing it with the wall time shows how busy the cores
/// were in a phase. Zero where /proc is not there.
fn cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let nanos: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    nanos as f64 / 1e9
}
