//! Presentation of findings: human (miette), JSON. Reporters never evaluate anything.

pub mod human;
pub mod json;
mod position;

pub use position::{Position, position};
