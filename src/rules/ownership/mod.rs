//! H. Replica ownership and access control translation.

mod own_account_mismatch;
mod own_act_needs_account;
mod own_act_owner_value;
mod own_act_same_account;
mod own_enforced_with_act;
mod own_src_objects_not_owned;
mod own_xacct_replicas_owned_by_source;

pub use own_account_mismatch::OwnAccountMismatch;
pub use own_act_needs_account::OwnActNeedsAccount;
pub use own_act_owner_value::OwnActOwnerValue;
pub use own_act_same_account::OwnActSameAccount;
pub use own_enforced_with_act::OwnEnforcedWithAct;
pub use own_src_objects_not_owned::OwnSrcObjectsNotOwned;
pub use own_xacct_replicas_owned_by_source::OwnXacctReplicasOwnedBySource;
