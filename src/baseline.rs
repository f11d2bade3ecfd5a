//! Baselines: accept the findings that exist today, so a repository can adopt repl-lint and
//! fail only on new ones. Findings are matched by fingerprint (their identity hashed), never by
//! line, so edits elsewhere in a file keep them accepted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    /// Fingerprint → what it was, for reviewers of the file, and how many findings share it.
    pub findings: BTreeMap<String, Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub resource: String,
    pub count: usize,
}

impl Baseline {
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut b = Baseline {
            version: 1,
            findings: BTreeMap::new(),
        };
        for f in findings {
            b.findings
                .entry(f.fingerprint())
                .and_modify(|e| e.count += 1)
                .or_insert_with(|| Entry {
                    rule: f.rule.id.to_string(),
                    resource: f.resource.clone(),
                    count: 1,
                });
        }
        b
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if b.version != 1 {
            return Err(format!("baseline version {} is not supported", b.version));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Removes the findings the baseline accepts (at most `count` per fingerprint) and returns
    /// how many it removed.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> usize {
        let mut left: BTreeMap<&str, usize> = self
            .findings
            .iter()
            .map(|(k, e)| (k.as_str(), e.count))
            .collect();
        let before = findings.len();
        findings.retain(|f| match left.get_mut(f.fingerprint().as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        before - findings.len()
    }
}
