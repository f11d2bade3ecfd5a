use crate::graph::Link;
use crate::iam::{Effect, Match, ResourceSpec};
use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not decrypt source objects with the source bucket's KMS key.
    ///
    /// ## What goes wrong
    /// To replicate SSE-KMS objects S3 calls `kms:Decrypt` with the role on the source key (via
    /// `s3.SRC_REGION.amazonaws.com`, with the object ARN as encryption context). The identity
    /// policy must allow it on the key **ARN** (not an alias), and the key policy must allow it
    /// directly or by delegating to IAM. When the rule replicates SSE-KMS objects but the key is
    /// not named anywhere in the input, the role must still be able to decrypt with some key of
    /// the source region.
    ///
    /// ## How to fix
    /// ```json
    /// {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"}
    /// ```
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "ReplicaKey"
    ///     actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
    ///     resources = [aws_kms_key.replica.arn]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "SourceKey"
    ///     actions   = ["kms:Decrypt"]
    ///     resources = [aws_kms_key.source.arn]
    ///   }
    ///
    ///   statement {
    ///     sid       = "ReplicaKey"
    ///     actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
    ///     resources = [aws_kms_key.replica.arn]
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     # ...
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: ReplicaKey
    ///               Effect: Allow
    ///               Action:
    ///                 - kms:Encrypt
    ///                 - kms:GenerateDataKey
    ///               Resource: !GetAtt ReplicaKey.Arn
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     # ...
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: SourceKey
    ///               Effect: Allow
    ///               Action: kms:Decrypt
    ///               Resource: !GetAtt SourceKey.Arn
    ///             - Sid: ReplicaKey
    ///               Effect: Allow
    ///               Action:
    ///                 - kms:Encrypt
    ///                 - kms:GenerateDataKey
    ///               Resource: !GetAtt ReplicaKey.Arn
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; "Troubleshooting replication".
    pub KmsSrcDecrypt { id: "kms-src-decrypt", code: "K8", group: "kms", severity: Error }
}

impl Rule for KmsSrcDecrypt {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["kms:Decrypt"],
            "SSE-KMS objects cannot be decrypted for replication",
        );
        report_no_key_of_region(cx, sink);
    }
}

/// SSE-KMS objects are selected, the key that encrypts them is not in the input, and the role
/// may decrypt with no key of the source region at all.
fn report_no_key_of_region(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let g = cx.graph;
    for r in g.each_rule() {
        let opted_in = r
            .rule
            .source_selection
            .as_ref()
            .is_some_and(|s| s.sse_kms.is("Enabled"));
        if !r.is_active() || !opted_in || r.source_key().is_some() {
            continue;
        }
        let (Some(src), Link::Found(role_index)) = (r.source(), &r.view.role) else {
            continue;
        };
        let Some(region) = src.region.concrete() else {
            continue;
        };
        let role = &g.roles[*role_index];
        if !role.identity_unknown.is_empty() || role.identity.iter().any(|d| g.policy(*d).is_none())
        {
            continue;
        }
        let pattern_region = format!("arn:aws:kms:{region}:");
        let can_decrypt = role.identity.iter().filter_map(|d| g.policy(*d)).any(|p| {
            p.statements.iter().any(|st| {
                st.effect == Some(Effect::Allow)
                    && grants::covers_action(st, "kms:Decrypt")
                    && match &st.resource {
                        Some(ResourceSpec::Resource(items)) => items.iter().any(|i| {
                            i.text == "*"
                                || i.text.starts_with(&pattern_region)
                                || crate::iam::matching::glob(
                                    &i.text,
                                    &format!("{pattern_region}000000000000:key/x"),
                                    false,
                                ) != Match::No
                        }),
                        Some(ResourceSpec::NotResource(_)) => true,
                        None => false,
                    }
            })
        });
        if can_decrypt {
            continue;
        }
        let (anchor, address) = crate::rules::access::identity_anchor(g, role);
        sink.report(
            &anchor,
            format!(
                "{} replicates SSE-KMS objects of `{}`, but replication role `{}` may kms:Decrypt with no key of {region}",
                r.label(),
                g.bucket_text(src),
                grants::role_text(g, role)
            ),
        )
        .label("no kms:Decrypt on a source-region key")
        .related(r.rule.source_selection.as_ref().map(|s| s.sse_kms.loc()).unwrap_or(&r.rule.loc), "SSE-KMS objects selected here")
        .help(format!(
            "add this statement to the role's permissions policy, with the ARN of the key that encrypts the source objects:\n{}",
            crate::rules::access::allow_statement(g, None, &["kms:Decrypt"], &format!("arn:aws:kms:{region}:ACCOUNT:key/KEY-ID"))
        ))
        .resource(address)
        .discriminator(format!("{}|region", r.key()));
    }
}
