//! S. Deployer (the principal applying the configuration).

mod dep_cfn_circularity;
mod dep_passrole_and_put;

pub use dep_cfn_circularity::DepCfnCircularity;
pub use dep_passrole_and_put::DepPassroleAndPut;
