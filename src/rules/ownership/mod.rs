//! H. Replica ownership and access control translation.

mod own_act_needs_account;

pub use own_act_needs_account::OwnActNeedsAccount;
