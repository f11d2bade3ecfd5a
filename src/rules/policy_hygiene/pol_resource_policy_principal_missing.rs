use crate::graph::DocOwner;
use crate::rules::prelude::*;

declare_rule! {
    /// A bucket or key policy statement has no `Principal`.
    ///
    /// ## What goes wrong
    /// Resource policies must say whom they apply to: S3 and KMS reject a statement without
    /// `Principal` or `NotPrincipal` ("Each statement in the key policy must contain one or more
    /// principals"). AWS's own delete-marker snippet omits it.
    ///
    /// ## How to fix
    /// Add `"Principal": {"AWS": "<replication role ARN>"}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   statement {
    ///     sid       = "ReplicateDelete"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   statement {
    ///     sid       = "ReplicationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///
    ///     principals {
    ///       type        = "AWS"
    ///       identifiers = [aws_iam_role.replication.arn]
    ///     }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicaBucketPolicy:
    ///   Type: AWS::S3::BucketPolicy
    ///   Properties:
    ///     Bucket: !Ref ReplicaBucket
    ///     PolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Sid: ReplicateDelete
    ///           Effect: Allow
    ///           Action:
    ///             - s3:ReplicateObject
    ///             - s3:ReplicateDelete
    ///             - s3:ReplicateTags
    ///           Resource: arn:aws:s3:::acme-data-replica/*
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicaBucketPolicy:
    ///   Type: AWS::S3::BucketPolicy
    ///   Properties:
    ///     Bucket: !Ref ReplicaBucket
    ///     PolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Sid: ReplicationObjects
    ///           Effect: Allow
    ///           Principal:
    ///             AWS: arn:aws:iam::111111111111:role/s3-replication
    ///           Action:
    ///             - s3:ReplicateObject
    ///             - s3:ReplicateDelete
    ///             - s3:ReplicateTags
    ///           Resource: arn:aws:s3:::acme-data-replica/*
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "Principal"; CloudFormation `AWS::KMS::Key` KeyPolicy.
    pub PolResourcePolicyPrincipalMissing { id: "pol-resource-policy-principal-missing", code: "A5", group: "policy", severity: Error }
}

impl Rule for PolResourcePolicyPrincipalMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (i, d) in g.docs.iter().enumerate() {
            if !matches!(d.owner, DocOwner::BucketPolicy | DocOwner::KeyPolicy) {
                continue;
            }
            let Some(policy) = g.policy(crate::graph::DocId(i)) else {
                continue;
            };
            for st in policy.statements.iter().filter(|st| st.principal.is_none()) {
                let kind = if d.owner == DocOwner::KeyPolicy {
                    "key"
                } else {
                    "bucket"
                };
                sink.report(&st.loc, format!("a statement of the {kind} policy of `{}` has no Principal; AWS rejects the policy", d.address))
                    .label("no Principal")
                    .help("add \"Principal\": {\"AWS\": \"<replication role ARN>\"} to the statement")
                    .resource(d.address.as_str())
                    .discriminator(st.index.to_string());
            }
        }
    }
}
