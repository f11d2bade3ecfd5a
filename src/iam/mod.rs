//! IAM policy documents and their offline evaluation (iam-semantics.md).
//!
//! * [`policy`]: typed documents read from a spanned [`crate::syntax::Node`], with issues.
//! * [`eval::evaluate`]: the decision for one request, three-valued where inputs are unknown.
//! * [`atom`] / [`matching`]: symbolic values and the tri-state glob.
//! * [`catalogue`]: actions, resource types and condition keys of s3, kms, sts and iam.
//! * [`simulate::simulate`]: the `repl-lint simulate` entry point over conformance-case JSON.

pub mod atom;
pub mod catalogue;
pub mod conditions;
pub mod eval;
pub mod matching;
pub mod operators;
pub mod policy;
pub mod request;
pub mod simulate;
pub mod variables;

pub use eval::{Decision, PolicyContext, ResourceKind, Slot, StatementRef, Unknowable, evaluate};
pub use matching::Match;
pub use policy::{
    ActionSpec, Effect, IssueKind, Item, Policy, PolicyIssue, PolicyKind, PrincipalItem,
    PrincipalSpec, PrincipalType, ResourceSpec, Statement,
};
pub use request::{Principal, Request, RequestContext};
