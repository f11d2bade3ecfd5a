//! repl-lint: proves before apply that Amazon S3 replication will work.

pub mod iam;
pub mod source;
pub mod syntax;
