//! A. Policy-document hygiene.

mod pol_json_invalid;
mod pol_object_arn_no_wildcard;
mod pol_resource_policy_principal_missing;
mod pol_version_invalid;

pub use pol_json_invalid::PolJsonInvalid;
pub use pol_object_arn_no_wildcard::PolObjectArnNoWildcard;
pub use pol_resource_policy_principal_missing::PolResourcePolicyPrincipalMissing;
pub use pol_version_invalid::PolVersionInvalid;
