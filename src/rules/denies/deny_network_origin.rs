use crate::rules::prelude::*;

use super::{Blocker, blocked, describe};

declare_rule! {
    /// A Deny that restricts source IPs or VPC endpoints also blocks replication.
    ///
    /// ## What goes wrong
    /// Replication requests come from S3's own infrastructure, not from your CIDR ranges or VPC
    /// endpoints: `aws:SourceIp` is never yours and `aws:SourceVpce`/`aws:SourceVpc` are absent.
    /// A Deny with `NotIpAddress aws:SourceIp` or `StringNotEquals aws:SourceVpce` therefore
    /// denies the replication role unless it is exempted.
    ///
    /// ## How to fix
    /// Add an exception for the role to the Deny:
    /// `"ArnNotEquals": {"aws:PrincipalArn": "<role ARN>"}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "OfficeOnly"
    ///     effect    = "Deny"
    ///     actions   = ["s3:*"]
    ///     resources = [aws_s3_bucket.replica.arn, "${aws_s3_bucket.replica.arn}/*"]
    ///
    ///     principals {
    ///       type        = "*"
    ///       identifiers = ["*"]
    ///     }
    ///     condition {
    ///       test     = "NotIpAddress"
    ///       variable = "aws:SourceIp"
    ///       values   = ["203.0.113.0/24"]
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "OfficeOnly"
    ///     effect    = "Deny"
    ///     actions   = ["s3:*"]
    ///     resources = [aws_s3_bucket.replica.arn, "${aws_s3_bucket.replica.arn}/*"]
    ///
    ///     principals {
    ///       type        = "*"
    ///       identifiers = ["*"]
    ///     }
    ///     condition {
    ///       test     = "NotIpAddress"
    ///       variable = "aws:SourceIp"
    ///       values   = ["203.0.113.0/24"]
    ///     }
    ///     condition {
    ///       test     = "ArnNotEquals"
    ///       variable = "aws:PrincipalArn"
    ///       values   = [aws_iam_role.replication.arn]
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
    ///         # ...
    ///         - Sid: OfficeOnly
    ///           Effect: Deny
    ///           Principal: "*"
    ///           Action: s3:*
    ///           Resource:
    ///             - arn:aws:s3:::acme-data-replica
    ///             - arn:aws:s3:::acme-data-replica/*
    ///           Condition:
    ///             NotIpAddress:
    ///               aws:SourceIp: "203.0.113.0/24"
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
    ///         # ...
    ///         - Sid: OfficeOnly
    ///           Effect: Deny
    ///           Principal: "*"
    ///           Action: s3:*
    ///           Resource:
    ///             - arn:aws:s3:::acme-data-replica
    ///             - arn:aws:s3:::acme-data-replica/*
    ///           Condition:
    ///             NotIpAddress:
    ///               aws:SourceIp: "203.0.113.0/24"
    ///             ArnNotEquals:
    ///               aws:PrincipalArn: arn:aws:iam::111111111111:role/s3-replication
    /// ```
    ///
    /// ## Sources
    /// AWS Knowledge Center, "Why aren't my Amazon S3 objects replicating"; S3 User Guide,
    /// "Troubleshooting replication"; "Controlling access from VPC endpoints with bucket policies".
    pub DenyNetworkOrigin { id: "deny-network-origin", code: "P2", group: "denies", severity: Error }
}

impl Rule for DenyNetworkOrigin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for b in blocked(cx, Blocker::Network) {
            let Some(first) = b.needs.first() else {
                continue;
            };
            let role = &g.roles[first.role];
            let address = g
                .doc_of_statement(&b.loc)
                .map(|d| g.doc(d).address.clone())
                .unwrap_or_default();
            sink.report(
                &b.loc,
                format!("this network-origin Deny also blocks replication, whose requests never come from your networks: {}", describe(cx, &b.needs)),
            )
            .label("replication requests do not carry your source IP or VPC endpoint")
            .help(format!(
                "add to the statement's Condition:\n\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{}\"}}",
                g.display(role.arn.known().unwrap_or("<role ARN>"))
            ))
            .resource(address)
            .discriminator(format!("{:?}", b.by.as_ref().map(|s| (s.statement, s.policy_index))));
        }
    }
}
