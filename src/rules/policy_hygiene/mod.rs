//! A. Policy-document hygiene.

pub mod lost_grants;
mod pol_action_resource_type_mismatch;
mod pol_condition_key_typo;
mod pol_iam_sid_charset;
mod pol_json_invalid;
mod pol_object_arn_no_wildcard;
mod pol_principal_not_yet_existing;
mod pol_resource_policy_principal_missing;
mod pol_role_replacement_breaks_grants;
mod pol_unknown_action;
mod pol_version_invalid;
mod pol_wrong_service_actions;

pub use pol_action_resource_type_mismatch::PolActionResourceTypeMismatch;
pub use pol_condition_key_typo::PolConditionKeyTypo;
pub use pol_iam_sid_charset::PolIamSidCharset;
pub use pol_json_invalid::PolJsonInvalid;
pub use pol_object_arn_no_wildcard::PolObjectArnNoWildcard;
pub use pol_principal_not_yet_existing::PolPrincipalNotYetExisting;
pub use pol_resource_policy_principal_missing::PolResourcePolicyPrincipalMissing;
pub use pol_role_replacement_breaks_grants::PolRoleReplacementBreaksGrants;
pub use pol_unknown_action::PolUnknownAction;
pub use pol_version_invalid::PolVersionInvalid;
pub use pol_wrong_service_actions::PolWrongServiceActions;
