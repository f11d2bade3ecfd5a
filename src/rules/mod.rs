//! The rules: one file per rule with its metadata and docs next to its logic, one registry.
//!
//! A rule asks the graph ("which role, which buckets, which keys") and the IAM engine
//! ("allowed?"), and reports what is missing. Rules never see HCL, JSON or YAML.

pub mod access;
pub mod batch;
pub mod coverage;
pub mod grants;
pub mod listing;
mod registry;
mod sink;

pub mod config_basics;
pub mod cross_account;
pub mod delete_markers;
pub mod denies;
pub mod deployer;
pub mod destination_permissions;
pub mod filters;
pub mod kms;
pub mod multi_destination;
pub mod object_lock;
pub mod ownership;
pub mod policy_hygiene;
pub mod public_access;
pub mod rtc;
pub mod source_permissions;
pub mod standards;
pub mod storage_class;
pub mod trust;
pub mod versioning;

pub use registry::{RULES, by_id};
pub use sink::{FindingBuilder, Sink};

use crate::finding::Severity;
use crate::graph::Graph;

/// A rule's metadata: what `repl-lint rules`, `explain`, SARIF and the config read.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id from the catalogue (`ver-dst-not-enabled`): config, suppressions, SARIF ruleId.
    pub id: &'static str,
    /// The catalogue number (`B2`).
    pub code: &'static str,
    pub group: &'static str,
    pub severity: Severity,
    /// One line: the first line of the docs.
    pub summary: &'static str,
    /// Markdown: what goes wrong, how to fix it, sources.
    pub docs: &'static str,
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>);
}

/// What a rule may look at.
pub struct Context<'a> {
    pub graph: &'a Graph<'a>,
    /// `.repl-lint.toml`: the standards rules read their settings here.
    pub config: &'a crate::config::Config,
    checks: std::sync::OnceLock<access::Checks>,
}

impl<'a> Context<'a> {
    pub fn new(graph: &'a Graph<'a>) -> Context<'a> {
        static EMPTY: crate::config::Config = crate::config::Config::EMPTY;
        Context::with_config(graph, &EMPTY)
    }

    pub fn with_config(graph: &'a Graph<'a>, config: &'a crate::config::Config) -> Context<'a> {
        Context {
            graph,
            config,
            checks: std::sync::OnceLock::new(),
        }
    }

    /// Every permission replication needs, decided by the IAM engine (computed once per run;
    /// the engine asks before the rules run, so that no rule waits on another's computation).
    pub fn checked(&self) -> impl Iterator<Item = &access::Checked> + Clone {
        self.checks().iter()
    }

    /// Decides the permission checks now, if no rule asked yet.
    pub fn decide_checks(&self) {
        self.checks();
    }

    fn checks(&self) -> &access::Checks {
        self.checks.get_or_init(|| access::check_all(self.graph))
    }

    /// The needs of one replication configuration, among [`Context::checked`]: found through
    /// where each configuration's checks start, so large inputs avoid a scan per configuration.
    pub fn checked_of(&self, replication: usize) -> &[access::Checked] {
        self.checks().of(replication)
    }
}

/// The first line of a docs string, at compile time.
pub const fn first_line(s: &'static str) -> &'static str {
    let b = s.as_bytes();
    let mut start = 0;
    while start < b.len() && (b[start] == b' ' || b[start] == b'\n') {
        start += 1;
    }
    let mut end = start;
    while end < b.len() && b[end] != b'\n' {
        end += 1;
    }
    let (_, rest) = b.split_at(start);
    let (head, _) = rest.split_at(end - start);
    match core::str::from_utf8(head) {
        Ok(s) => s,
        Err(_) => "",
    }
}

/// Declares a rule struct and its metadata from its doc comment.
///
/// ```ignore
/// declare_rule! {
///     /// Summary line.
///     ///
///     /// ## What goes wrong
///     /// ...
///     pub VerSrcNotEnabled { id: "ver-src-not-enabled", code: "B1", group: "versioning", severity: Error }
/// }
/// ```
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* $vis:vis $ty:ident {
        id: $id:literal, code: $code:literal, group: $group:literal, severity: $sev:ident $(,)?
    }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $ty;
        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                code: $code,
                group: $group,
                severity: $crate::finding::Severity::$sev,
                summary: $crate::rules::first_line(concat!($($doc, "\n"),*)),
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

/// What rule files import.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use super::declare_rule;
    pub use super::{Context, Rule, RuleMeta, Sink};
    pub use crate::finding::Severity;
    pub use crate::graph::{Graph, Link, Resolved};
    pub use crate::model::Value;
}
