//! What a rule reports.

use crate::rules::RuleMeta;
use crate::source::Loc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Related {
    pub loc: Loc,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    /// The attribute or statement to change.
    pub primary: Loc,
    /// What the primary label says.
    pub label: String,
    /// The other side of the link: the role, the destination bucket policy, the key.
    pub related: Vec<Related>,
    /// The concrete fix, e.g. the statement to add with real ARNs.
    pub help: Option<String>,
    /// The address of the resource the finding is about.
    pub resource: String,
    /// What distinguishes this finding from others of the same rule on the same resource; with
    /// the rule and resource it is the finding's stable identity (fingerprints, baselines).
    pub discriminator: String,
}

impl Finding {
    /// A stable identity that does not depend on line numbers.
    pub fn identity(&self) -> String {
        format!("{}|{}|{}", self.rule.id, self.resource, self.discriminator)
    }

    /// The identity hashed: what SARIF `partialFingerprints` and baselines store, so that a
    /// finding keeps its fingerprint when unrelated lines move it.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.identity())
    }
}

/// 64-bit FNV-1a in hex: stable across Rust versions and platforms, unlike `std`'s hashers.
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}
