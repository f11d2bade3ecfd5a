//! D. Role trust policy.
