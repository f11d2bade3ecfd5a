//! Presentation of findings: human (miette), JSON, SARIF, GitHub workflow commands, Markdown.
//! Reporters never evaluate anything.

pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
mod nested;
pub mod paths;
mod position;
pub mod sarif;

pub use paths::RepoPaths;
pub use position::{Position, position};
