//! Format front-ends: spanned trees and span lookups shared by the loaders.

pub mod json;
pub mod json_locate;
pub mod node;
pub mod yaml;

pub use node::{Key, Node, NodeKind, Part, Reference, Why};
