//! Format front-ends: spanned trees and span lookups shared by the loaders.

// Input reaches every line below: a panic here is a crash on someone's pull request.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod json;
pub mod json_locate;
pub mod json_tape;
pub mod node;
pub mod yaml;

pub use node::{Key, Node, NodeKind, Part, Reference, Why};
