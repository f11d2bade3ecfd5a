//! repl-lint: proves before apply that Amazon S3 replication will work.

pub mod load;
pub mod model;
pub mod source;
pub mod syntax;
