//! A run keeps no memory after it returns. A process that runs many analyses (an editor
//! integration, a test binary, the fuzzers) must not grow with every input it has read, and a
//! leak checker must see each run's allocations freed by the time it ends.
//!
//! The whole binary counts live bytes through its allocator; it holds this one test, so no other
//! test allocates while a run is measured.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use repl_lint::engine::{self, Options};
use repl_lint::load::Input;

struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// An identity policy whose action and resource texts are new in each generation: answers
/// cached by text would be new entries every time.
fn policy(generation: usize) -> Vec<u8> {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[
            {{"Effect":"Allow","Action":["s3:ReplicateObject","s3:Replicat{generation}x","kms:Decrypt{generation}"],
              "Resource":["arn:aws:s3:::bucket-{generation}/*","arn:aws:s3:::b{generation}-*/p{generation}?"]}},
            {{"Effect":"Deny","Action":"s3:Get*{generation}","Resource":"arn:aws:kms:*:1{generation}:key/*"}}]}}"#
    )
    .into_bytes()
}

fn run_and_drop(inputs: &[Input]) {
    drop(engine::run(inputs, &Options::default()));
}

fn samples() -> Vec<Input> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    [
        "pol-unknown-action/bad",
        "pol-action-resource-type-mismatch/bad",
        "kms-aws-managed-xacct/bad",
    ]
    .iter()
    .map(|dir| Input::Path(root.join(dir)))
    .collect()
}

#[test]
fn a_run_keeps_no_memory_after_it_returns() {
    // One-time set-up (the embedded catalogue, the thread pool, lazily built tables) is done by
    // the first runs and is not growth.
    for generation in 0..3 {
        run_and_drop(&samples());
        run_and_drop(&[Input::Stdin(policy(generation))]);
    }
    for generation in 3..8 {
        let before = LIVE_BYTES.load(Ordering::SeqCst);
        run_and_drop(&[Input::Stdin(policy(generation))]);
        let after = LIVE_BYTES.load(Ordering::SeqCst);
        assert_eq!(
            after - before,
            0,
            "generation {generation}: bytes kept after the run"
        );
    }
    let before = LIVE_BYTES.load(Ordering::SeqCst);
    run_and_drop(&samples());
    let after = LIVE_BYTES.load(Ordering::SeqCst);
    assert_eq!(after - before, 0, "samples: bytes kept after the run");
}
