//! The headline benchmark: repl-lint's whole run (read, parse, model, graph, every rule, JSON
//! report, process exit) against parsing the same file into `serde_json::Value`, side by side in
//! one run, with the ratio; then the Terraform tree and the CloudFormation set of the same setups.
//!
//! `cargo bench --bench whole_run` (inputs are generated into `target/bench-inputs/` by
//! `scripts/gen-bench-inputs.py` on first use). Settings by environment:
//! `REPL_LINT_BENCH_SETUPS=300,5000` (plan sizes), `REPL_LINT_BENCH_RUNS=5` (runs per
//! measurement; medians are printed).
//!
//! The whole run is the release binary as a user runs it, timed from spawn to exit; its peak
//! memory (maximum resident set) comes from `/usr/bin/time` when that exists (MB = 10^6 bytes).
//! The `Value` parse runs in a fresh process too (this bench executable again), timed inside it:
//! read + parse, not the tree's drop nor the process start (the ratio the target is about); and,
//! for comparison, that process from spawn to exit as the whole run is timed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `Value` parse runs with the allocator the binary runs with, so that the comparison is
/// between the work done, not between allocators.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Set in a child of this bench: parse that file into a `Value`, print the seconds, exit.
const VALUE_PARSE_CHILD: &str = "REPL_LINT_BENCH_VALUE_PARSE";

fn main() {
    if let Some(path) = std::env::var_os(VALUE_PARSE_CHILD) {
        println!("{}", value_parse(Path::new(&path)).as_secs_f64());
        return;
    }
    // `cargo bench` passes `--bench`; a filter argument is not supported by this plain harness.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let inputs = root.join("target").join("bench-inputs");
    let setups: Vec<usize> = std::env::var("REPL_LINT_BENCH_SETUPS")
        .unwrap_or_else(|_| "300,5000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = std::env::var("REPL_LINT_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    generate(&root, &inputs, &setups);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_repl-lint"));
    println!(
        "whole run = `repl-lint --format json INPUT` (spawn to exit); median of {runs} runs, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for &n in &setups {
        let plan = inputs.join(format!("plan-{n}.json"));
        let size = std::fs::metadata(&plan).map_or(0, |m| m.len());
        let mut whole = Vec::new();
        let mut parse = Vec::new();
        let mut parse_process = Vec::new();
        let mut peak = Vec::new();
        // Interleaved, so that load from other processes affects both sides alike.
        for _ in 0..runs {
            let (t, kb) = run_binary(&bin, &plan);
            whole.push(t);
            peak.extend(kb);
            let (inside, process) = value_parse_in_child(&plan);
            parse.push(inside);
            parse_process.push(process);
        }
        let whole = median(&mut whole);
        let parse = median(&mut parse);
        let parse_process = median(&mut parse_process);
        let peak_text = match median_u64(&mut peak) {
            Some(kb) => format!(
                ", peak {:.0} MB = {:.2}x file",
                kb as f64 * 1024.0 / 1e6,
                kb as f64 * 1024.0 / size.max(1) as f64
            ),
            None => String::new(),
        };
        println!(
            "plan {n:>5} setups ({:.1} MB): whole run {:.3} s ({:.3} ms/setup{peak_text}) | Value parse {:.3} s, ratio {:.2} | Value parse process {:.3} s, ratio {:.2}",
            size as f64 / 1e6,
            whole.as_secs_f64(),
            whole.as_secs_f64() * 1000.0 / n as f64,
            parse.as_secs_f64(),
            whole.as_secs_f64() / parse.as_secs_f64().max(1e-9),
            parse_process.as_secs_f64(),
            whole.as_secs_f64() / parse_process.as_secs_f64().max(1e-9),
        );
        for (what, dir) in [("terraform", "tf"), ("cloudformation", "cfn")] {
            let path = inputs.join(format!("{dir}-{n}"));
            let mut times = Vec::new();
            let mut peak = Vec::new();
            for _ in 0..runs {
                let (t, kb) = run_binary(&bin, &path);
                times.push(t);
                peak.extend(kb);
            }
            let t = median(&mut times);
            let peak_text = median_u64(&mut peak)
                .map(|kb| format!(", peak {:.0} MB", kb as f64 * 1024.0 / 1e6))
                .unwrap_or_default();
            println!(
                "{what:>14} {n:>5} setups ({} files, {:.1} MB): whole run {:.3} s ({:.3} ms/setup{peak_text})",
                count_files(&path),
                dir_size(&path) as f64 / 1e6,
                t.as_secs_f64(),
                t.as_secs_f64() * 1000.0 / n as f64,
            );
        }
    }
}

fn generate(root: &Path, inputs: &Path, setups: &[usize]) {
    let mut cmd = Command::new("python3");
    cmd.arg(root.join("scripts").join("gen-bench-inputs.py"))
        .arg("--out")
        .arg(inputs);
    for n in setups {
        cmd.arg("--setups").arg(n.to_string());
    }
    match cmd.status() {
        Ok(s) if s.success() => {}
        other => panic!("scripts/gen-bench-inputs.py failed: {other:?}"),
    }
}

/// Wall time of one run, and its peak resident memory in KB when `/usr/bin/time` can tell.
fn run_binary(bin: &Path, input: &Path) -> (Duration, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("maxrss=%M").arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.arg("--format").arg("json").arg(input);
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let out = cmd.output().expect("run repl-lint");
    let elapsed = start.elapsed();
    // Exit code 1 means findings at error level: the generated setups carry planted mistakes.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "repl-lint failed on {}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let kb = String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| l.strip_prefix("maxrss=")?.trim().parse().ok());
    (elapsed, kb)
}

/// The `Value` parse in a fresh process, as the whole run gets one: in this process, memory
/// freed by the previous parse would make the next one faster than a user ever sees it.
/// Two times: read + parse as timed inside the child (the headline: nothing else), and the
/// child from spawn to exit, as the whole run is timed (that includes freeing the tree).
fn value_parse_in_child(path: &Path) -> (Duration, Duration) {
    let exe = std::env::current_exe().expect("bench executable");
    let start = Instant::now();
    let out = Command::new(exe)
        .env(VALUE_PARSE_CHILD, path)
        .stderr(Stdio::inherit())
        .output()
        .expect("run the Value parse");
    let process = start.elapsed();
    let seconds: f64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("the child prints seconds");
    (Duration::from_secs_f64(seconds), process)
}

fn value_parse(path: &Path) -> Duration {
    let start = Instant::now();
    let text = std::fs::read_to_string(path).expect("read plan");
    let value: serde_json::Value = serde_json::from_str(&text).expect("parse plan");
    let elapsed = start.elapsed();
    std::hint::black_box(&value);
    elapsed
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn median_u64(v: &mut [u64]) -> Option<u64> {
    v.sort();
    v.get(v.len() / 2).copied()
}

fn count_files(dir: &Path) -> usize {
    walk(dir).len()
}

fn dir_size(dir: &Path) -> u64 {
    walk(dir)
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
