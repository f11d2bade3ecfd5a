//! Baseline for the performance figures: parse a plan into `serde_json::Value` and nothing else.
//! `cargo run --release --example parse_value -- plan.json`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_value FILE");
        std::process::exit(2);
    };
    let start = std::time::Instant::now();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    println!(
        "{:.3} s ({} top-level keys)",
        start.elapsed().as_secs_f64(),
        value.as_object().map_or(0, |o| o.len())
    );
}

/// The allocator the binary runs with, so that the comparison is between the work done.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
