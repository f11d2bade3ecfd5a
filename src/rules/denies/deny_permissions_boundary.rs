use crate::rules::prelude::*;

use super::{Blocker, blocked, describe};

declare_rule! {
    /// The replication role's permissions boundary does not allow what replication needs.
    ///
    /// ## What goes wrong
    /// A permissions boundary caps the role: every action replication needs (§4 of the
    /// catalogue, KMS included) must be allowed by the boundary as well as by the role's policy,
    /// and a Deny in it wins. The boundary even limits same-account bucket-policy grants to the
    /// role ARN.
    ///
    /// ## How to fix
    /// Allow the replication actions in the boundary (e.g. `s3:Replicate*`,
    /// `s3:GetObjectVersion*`, `s3:GetReplicationConfiguration`, `s3:ListBucket`, and the KMS
    /// actions), or remove the Deny.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name                 = "s3-replication"
    ///   permissions_boundary = aws_iam_policy.boundary.arn
    ///   # ...
    /// }
    ///
    /// resource "aws_iam_policy" "boundary" {
    ///   name   = "replication-boundary"
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Effect   = "Allow"
    ///         Action   = ["s3:Get*", "s3:List*"]
    ///         Resource = "*"
    ///       },
    ///     ]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name                 = "s3-replication"
    ///   permissions_boundary = aws_iam_policy.boundary.arn
    ///   # ...
    /// }
    ///
    /// resource "aws_iam_policy" "boundary" {
    ///   name   = "replication-boundary"
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Effect   = "Allow"
    ///         Action   = ["s3:Get*", "s3:List*", "s3:Replicate*"]
    ///         Resource = "*"
    ///       },
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
    ///     PermissionsBoundary: !Ref ReplicationBoundary
    ///     # ...
    /// ReplicationBoundary:
    ///   Type: AWS::IAM::ManagedPolicy
    ///   Properties:
    ///     ManagedPolicyName: replication-boundary
    ///     PolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Effect: Allow
    ///           Action:
    ///             - s3:Get*
    ///             - s3:List*
    ///           Resource: "*"
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     PermissionsBoundary: !Ref ReplicationBoundary
    ///     # ...
    /// ReplicationBoundary:
    ///   Type: AWS::IAM::ManagedPolicy
    ///   Properties:
    ///     ManagedPolicyName: replication-boundary
    ///     PolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Effect: Allow
    ///           Action:
    ///             - s3:Get*
    ///             - s3:List*
    ///             - s3:Replicate*
    ///           Resource: "*"
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "Policy evaluation logic" and "Permissions boundaries for IAM entities";
    /// S3 User Guide, "Troubleshooting replication".
    pub DenyPermissionsBoundary { id: "deny-permissions-boundary", code: "P7", group: "denies", severity: Error }
}

impl Rule for DenyPermissionsBoundary {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for b in blocked(cx, Blocker::Boundary) {
            let Some(first) = b.needs.first() else {
                continue;
            };
            let role = &g.roles[first.role];
            let origin = &g.model.roles[role.index].origin;
            let (loc, verb) = if b.by.is_some() {
                (b.loc.clone(), "denies")
            } else {
                (b.loc.or(&origin.header), "does not allow")
            };
            let actions: Vec<&str> = b
                .needs
                .iter()
                .map(|c| c.need.action)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            sink.report(
                &loc,
                format!(
                    "the permissions boundary of replication role `{}` {verb} {}",
                    origin.address,
                    describe(cx, &b.needs)
                ),
            )
            .label(format!("boundary {verb} replication"))
            .help(format!(
                "allow these actions in the boundary policy:\n{}",
                crate::rules::access::allow_statement(g, None, &actions, "*")
            ))
            .resource(origin.address.as_str())
            .discriminator(format!(
                "{:?}",
                b.by.as_ref().map(|s| (s.statement, s.policy_index))
            ));
        }
    }
}
