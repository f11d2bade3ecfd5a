//! Q. Block Public Access and object ACLs.

mod bpa_public_acl_rejected;

pub use bpa_public_acl_rejected::BpaPublicAclRejected;
