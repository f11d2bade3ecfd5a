use foldhash::{HashMap, HashMapExt};

use crate::graph::{DocId, DocOwner};
use crate::iam::atom;
use crate::rules::prelude::*;

declare_rule! {
    /// An IAM policy's `Sid` has characters other than letters and digits, or repeats another `Sid`.
    ///
    /// ## What goes wrong
    /// IAM identity policies, permissions boundaries and trust policies accept only ASCII letters
    /// and digits in `Sid`, unique within the policy. IAM rejects the document
    /// (`MalformedPolicyDocument`), so the role or policy is never created. Bucket and key policy
    /// examples use Sids with spaces (`"Permissions on objects"`), which are legal there and get
    /// copied into role policies; merging two example policies duplicates their Sids.
    ///
    /// ## How to fix
    /// Use unique alphanumeric Sids (`PermissionsOnObjects`), or leave `Sid` out.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_iam_role_policy" "replication" {
    ///   role = aws_iam_role.replication.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid      = "Permissions on objects"
    ///       Effect   = "Allow"
    ///       Action   = ["s3:ReplicateObject"]
    ///       Resource = "arn:aws:s3:::dst-bucket/*"
    ///     }]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///       Sid      = "PermissionsOnObjects"
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// PolicyDocument:
    ///   Version: "2012-10-17"
    ///   Statement:
    ///     - Sid: Permissions on objects
    ///       Effect: Allow
    ///       Action: s3:ReplicateObject
    ///       Resource: arn:aws:s3:::dst-bucket/*
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///     - Sid: PermissionsOnObjects
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "IAM JSON policy elements: Sid" ("supports ASCII uppercase letters,
    /// lowercase letters, and numbers", unique within a policy); AWS Knowledge Center, Object
    /// Lock cross-account replication (repeated Sids).
    pub PolIamSidCharset { id: "pol-iam-sid-charset", code: "A7", group: "policy", severity: Error }
}

impl Rule for PolIamSidCharset {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (i, d) in g.docs.iter().enumerate() {
            // Data-source documents may become bucket or key policies, where any Sid is legal.
            if !matches!(
                d.owner,
                DocOwner::Identity | DocOwner::Trust | DocOwner::Boundary
            ) {
                continue;
            }
            let Some(policy) = g.policy(DocId(i)) else {
                continue;
            };
            let mut seen: HashMap<&str, &crate::source::Loc> = HashMap::new();
            for st in &policy.statements {
                let Some(sid) = &st.sid else { continue };
                if atom::contains_atoms(&sid.text) {
                    continue;
                }
                if !sid.text.chars().all(|c| c.is_ascii_alphanumeric()) {
                    sink.report(
                        &sid.loc,
                        format!(
                            "Sid `{}` in the IAM policy of `{}` has characters other than letters and digits; IAM rejects the policy",
                            sid.text, d.address
                        ),
                    )
                    .label("only A-Z, a-z, 0-9")
                    .help(format!("write \"Sid\": \"{}\"", alphanumeric(&sid.text)))
                    .resource(d.address.as_str())
                    .discriminator(format!("{}|charset", st.index));
                }
                if sid.text.is_empty() {
                    continue;
                }
                if let Some(first) = seen.get(sid.text.as_str()) {
                    sink.report(
                        &sid.loc,
                        format!(
                            "Sid `{}` appears twice in the IAM policy of `{}`; IAM rejects the policy",
                            sid.text, d.address
                        ),
                    )
                    .label("duplicate Sid")
                    .related(first, "first used here")
                    .help("give every statement its own Sid, or leave Sid out")
                    .resource(d.address.as_str())
                    .discriminator(format!("{}|duplicate", st.index));
                } else {
                    seen.insert(&sid.text, &sid.loc);
                }
            }
        }
    }
}

/// `Permissions on objects` → `PermissionsOnObjects`.
fn alphanumeric(text: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}
