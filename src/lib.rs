//! repl-lint: proves before apply that Amazon S3 replication will work.

pub mod baseline;
pub mod config;
pub mod edit_distance;
pub mod engine;
pub mod finding;
pub mod graph;
pub mod iam;
pub mod load;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod syntax;
pub mod timings;
pub mod topology;
