use crate::rules::access::{Gap, gaps};
use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The role reads source objects with `s3:GetObjectVersion` instead of `s3:GetObjectVersionForReplication`.
    ///
    /// ## What goes wrong
    /// `s3:GetObjectVersion` "allows replication of unencrypted and SSE-S3-encrypted objects, but
    /// not … SSE-KMS or DSSE-KMS". Objects encrypted with KMS keys fail to replicate. An error when
    /// the source bucket may hold SSE-KMS objects, a warning otherwise.
    ///
    /// ## How to fix
    /// Grant `s3:GetObjectVersionForReplication` on `arn:aws:s3:::SRC/*`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "SourceObjects"
    ///     actions   = ["s3:GetObjectVersion", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
    ///     resources = ["${aws_s3_bucket.source.arn}/*"]
    ///   }
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid     = "SourceObjects"
    ///     actions = [
    ///       "s3:GetObjectVersionForReplication",
    ///       "s3:GetObjectVersionAcl",
    ///       "s3:GetObjectVersionTagging",
    ///     ]
    ///     resources = ["${aws_s3_bucket.source.arn}/*"]
    ///   }
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: SourceObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:GetObjectVersion
    ///                 - s3:GetObjectVersionAcl
    ///                 - s3:GetObjectVersionTagging
    ///               Resource: arn:aws:s3:::acme-data-source/*
    ///             # ...
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: SourceObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:GetObjectVersionForReplication
    ///                 - s3:GetObjectVersionAcl
    ///                 - s3:GetObjectVersionTagging
    ///               Resource: arn:aws:s3:::acme-data-source/*
    ///             # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects".
    pub SrcpGetobjectversionSubstitute { id: "srcp-getobjectversion-substitute", code: "E3", group: "source-permissions", severity: Warning }
}

impl Rule for SrcpGetobjectversionSubstitute {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for c in cx
            .checked()
            .filter(|c| c.need.action == "s3:GetObjectVersionForReplication")
        {
            if !gaps(g, &c.decision)
                .iter()
                .any(|gap| matches!(gap, Gap::Identity))
                || !grants::substitute_allowed(g, c)
            {
                continue;
            }
            let Some(r) = g.rule_ref(c.replication, c.rule) else {
                continue;
            };
            let kms = r.source_key().is_some()
                || r.rule
                    .source_selection
                    .as_ref()
                    .is_some_and(|s| s.sse_kms.is("Enabled"));
            let role = &g.roles[c.role];
            let (anchor, address) = crate::rules::access::identity_anchor(g, role);
            sink.report(
                &anchor,
                format!(
                    "replication role `{}` reads `{}` with s3:GetObjectVersion, which does not replicate SSE-KMS or DSSE-KMS objects",
                    grants::role_text(g, role),
                    g.display(&c.need.grant)
                ),
            )
            .severity(if kms { Severity::Error } else { Severity::Warning })
            .label("grant s3:GetObjectVersionForReplication")
            .help(format!(
                "add this statement to the role's permissions policy:\n{}",
                crate::rules::access::allow_statement(g, None, &["s3:GetObjectVersionForReplication"], &c.need.grant)
            ))
            .resource(address)
            .discriminator(&*c.need.grant);
        }
    }
}
