use crate::graph::DocState;
use crate::iam::IssueKind;
use crate::rules::prelude::*;

declare_rule! {
    /// A policy's `Version` is not `2012-10-17` or `2008-10-17`.
    ///
    /// ## What goes wrong
    /// AWS compares `Version` byte for byte: `"2012–10–17"` written with en dashes (as in a popular
    /// blog post) is rejected, so the role or policy is never created. A missing `Version` is a
    /// warning: the 2008 grammar applies, in which policy variables are literal text.
    ///
    /// ## How to fix
    /// `"Version": "2012-10-17"`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name               = "s3-replication"
    ///   assume_role_policy = jsonencode({
    ///     Version   = "2012–10–17"
    ///     Statement = [
    ///       # ...
    ///     ]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name               = "s3-replication"
    ///   assume_role_policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       # ...
    ///     ]
    ///   })
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     AssumeRolePolicyDocument:
    ///       Version: "2012\u201310\u201317"
    ///       Statement:
    ///         # ...
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     AssumeRolePolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "IAM JSON policy elements: Version".
    pub PolVersionInvalid { id: "pol-version-invalid", code: "A2", group: "policy", severity: Error }
}

impl Rule for PolVersionInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for d in &cx.graph.docs {
            let DocState::Parsed { issues, .. } = &d.state else {
                continue;
            };
            for issue in issues {
                match issue.kind {
                    IssueKind::InvalidVersion => {
                        sink.report(
                            &issue.loc,
                            format!(
                                "the policy of `{}` has an invalid Version: {}",
                                d.address, issue.message
                            ),
                        )
                        .label("must be exactly \"2012-10-17\"")
                        .help("write \"Version\": \"2012-10-17\" (ASCII hyphens)")
                        .resource(d.address.as_str());
                    }
                    IssueKind::MissingVersion => {
                        sink.report(
                            &issue.loc.or(&d.doc.loc),
                            format!(
                                "the policy of `{}` has no Version; the 2008-10-17 grammar applies",
                                d.address
                            ),
                        )
                        .severity(Severity::Warning)
                        .label("no Version")
                        .help("add \"Version\": \"2012-10-17\"")
                        .resource(d.address.as_str());
                    }
                    _ => {}
                }
            }
        }
    }
}
