use crate::graph::{DocId, DocOwner};
use crate::iam::{ActionSpec, ResourceSpec, atom};
use crate::rules::prelude::*;

declare_rule! {
    /// A bucket policy grants KMS actions or names a non-S3 resource, or a key policy grants S3 actions.
    ///
    /// ## What goes wrong
    /// A bucket policy can only speak about its own bucket and objects: `kms:*` actions, a
    /// `Resource` of `"*"` or a KMS key ARN make S3 reject the whole policy (`MalformedPolicy:
    /// Policy has invalid resource` or `Action does not apply to any resource(s) in statement`).
    /// A key policy likewise only governs its key, so `s3:` actions in it grant nothing. AWS's
    /// cross-account troubleshooting article labels a key-policy statement as an "example
    /// destination bucket policy for SSE-KMS", which invites exactly this mix-up.
    ///
    /// ## How to fix
    /// Put KMS grants in the key policy of the key and S3 grants in the bucket policy, each with
    /// the resource it governs (`arn:aws:s3:::B`, `arn:aws:s3:::B/*`; `"*"` in a key policy).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_policy" "dst" {
    ///   bucket = "dst-bucket"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "arn:aws:iam::111111111111:role/replication" }
    ///       Action    = ["kms:Encrypt", "kms:GenerateDataKey"]
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed (the grant moves to the key policy; the bucket policy keeps `s3:` actions):
    /// ```hcl
    /// resource "aws_kms_key" "dst" {
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "arn:aws:iam::111111111111:role/replication" }
    ///       Action    = ["kms:Encrypt", "kms:GenerateDataKey"]
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// DstPolicy:
    ///   Type: AWS::S3::BucketPolicy
    ///   Properties:
    ///     Bucket: dst-bucket
    ///     PolicyDocument:
    ///       Statement:
    ///         - Effect: Allow
    ///           Principal: {AWS: arn:aws:iam::111111111111:role/replication}
    ///           Action: [kms:Encrypt, kms:GenerateDataKey]
    ///           Resource: "*"
    /// ```
    /// CloudFormation, fixed (the grant moves to the key policy):
    /// ```yaml
    /// DstKey:
    ///   Type: AWS::KMS::Key
    ///   Properties:
    ///     KeyPolicy:
    ///       Statement:
    ///         - Effect: Allow
    ///           Principal: {AWS: arn:aws:iam::111111111111:role/replication}
    ///           Action: [kms:Encrypt, kms:GenerateDataKey]
    ///           Resource: "*"
    /// ```
    ///
    /// ## Sources
    /// AWS Knowledge Center, "How do I troubleshoot cross-account Amazon S3 replication
    /// issues?" (the mislabelled key-policy example); S3 User Guide, bucket policy examples;
    /// AWS KMS Developer Guide, key policies.
    pub PolWrongServiceActions { id: "pol-wrong-service-actions", code: "A6", group: "policy", severity: Error }
}

impl Rule for PolWrongServiceActions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (i, d) in g.docs.iter().enumerate() {
            let (kind, foreign) = match d.owner {
                DocOwner::BucketPolicy => ("bucket", "kms:"),
                DocOwner::KeyPolicy => ("key", "s3:"),
                _ => continue,
            };
            let Some(policy) = g.policy(DocId(i)) else {
                continue;
            };
            for st in &policy.statements {
                if let Some(ActionSpec::Action(items)) = &st.action {
                    for item in items.iter().filter(|a| {
                        !atom::contains_atoms(&a.text)
                            && a.text.to_ascii_lowercase().starts_with(foreign)
                    }) {
                        let home = if kind == "bucket" {
                            "the key policy of the key"
                        } else {
                            "the bucket policy"
                        };
                        sink.report(
                            &item.loc,
                            format!(
                                "the {kind} policy of `{}` grants `{}`, an action it does not govern",
                                d.address,
                                g.display(&item.text)
                            ),
                        )
                        .label(format!("not a {kind} action"))
                        .help(format!("move this grant to {home}"))
                        .resource(d.address.as_str())
                        .discriminator(format!("{}|{}", st.index, item.text));
                    }
                }
                if d.owner != DocOwner::BucketPolicy {
                    continue;
                }
                let Some(ResourceSpec::Resource(items)) = &st.resource else {
                    continue;
                };
                for item in items.iter().filter(|r| is_not_s3_resource(&r.text)) {
                    sink.report(
                        &item.loc,
                        format!(
                            "the bucket policy of `{}` names `{}`, which is not its bucket or its objects; S3 rejects the policy",
                            d.address,
                            g.display(&item.text)
                        ),
                    )
                    .label("not this bucket")
                    .help("name the bucket (`arn:aws:s3:::B`) or its objects (`arn:aws:s3:::B/*`)")
                    .resource(d.address.as_str())
                    .discriminator(format!("{}|resource|{}", st.index, item.text));
                }
            }
        }
    }
}

/// `"*"` or an ARN of another service: never the bucket a bucket policy belongs to.
fn is_not_s3_resource(text: &str) -> bool {
    if atom::contains_atoms(text) {
        return false;
    }
    if text == "*" {
        return true;
    }
    let mut parts = text.splitn(4, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("arn"), Some(_partition), Some(service)) => service != "s3" && !service.contains('*'),
        _ => false,
    }
}
