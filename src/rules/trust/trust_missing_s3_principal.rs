use crate::graph::DocState;
use crate::rules::prelude::*;

use super::{maybe_s3, replication_trusts, trusts_s3, wrong_s3_forms};

declare_rule! {
    /// The replication role's trust policy does not let Amazon S3 assume it.
    ///
    /// ## What goes wrong
    /// S3 replicates by assuming the role. Without an Allow of `sts:AssumeRole` for the service
    /// principal `s3.amazonaws.com`, nothing replicates (failure reason `AssumeRoleNotPermitted`).
    ///
    /// ## How to fix
    /// ```json
    /// {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}
    /// ```
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name               = "s3-replication"
    ///   assume_role_policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Effect    = "Allow"
    ///         Principal = { Service = "ec2.amazonaws.com" }
    ///         Action    = "sts:AssumeRole"
    ///       },
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
    ///       {
    ///         Effect    = "Allow"
    ///         Principal = { Service = "s3.amazonaws.com" }
    ///         Action    = "sts:AssumeRole"
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
    ///     AssumeRolePolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Effect: Allow
    ///           Principal:
    ///             Service: ec2.amazonaws.com
    ///           Action: sts:AssumeRole
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
    ///         - Effect: Allow
    ///           Principal:
    ///             Service: s3.amazonaws.com
    ///           Action: sts:AssumeRole
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication" (step 2); replication failure
    /// reasons.
    pub TrustMissingS3Principal { id: "trust-missing-s3-principal", code: "D1", group: "trust", severity: Error }
}

const FIX: &str = "{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"s3.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}";

impl Rule for TrustMissingS3Principal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (role, trust) in replication_trusts(g) {
            let origin = &g.model.roles[role].origin;
            let Some(id) = trust else {
                sink.report(
                    &origin.header,
                    format!("replication role `{}` has no trust policy", origin.address),
                )
                .help(format!("add an assume-role policy with:\n{FIX}"))
                .resource(origin.address.as_str());
                continue;
            };
            match &g.doc(id).state {
                DocState::Parsed { policy, .. } => {
                    if trusts_s3(policy) || !wrong_s3_forms(policy).is_empty() {
                        continue;
                    }
                    if maybe_s3(policy) {
                        sink.cannot_verify(
                            &g.doc(id).doc.loc,
                            format!("whether the service principal in the trust policy of `{}` is s3.amazonaws.com (it is computed)", origin.address),
                            "give the provider a region (its partition decides the DNS suffix), or write \"s3.amazonaws.com\"",
                        )
                        .resource(origin.address.as_str());
                        continue;
                    }
                    sink.report(&g.doc(id).doc.loc, format!("the trust policy of replication role `{}` does not let s3.amazonaws.com assume it", origin.address))
                        .label("S3 cannot assume this role")
                        .help(format!("add this statement to the trust policy:\n{FIX}"))
                        .resource(origin.address.as_str());
                }
                DocState::Unknown(why) => {
                    sink.cannot_verify(
                        &g.doc(id).doc.loc,
                        format!("whether S3 may assume role `{}`: {why}", origin.address),
                        "pass the Terraform sources or the stack that defines the trust policy",
                    )
                    .resource(origin.address.as_str());
                }
                DocState::Invalid { .. } => {}
            }
        }
    }
}
