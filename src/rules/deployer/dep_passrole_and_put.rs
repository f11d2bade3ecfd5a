use crate::rules::prelude::*;

declare_rule! {
    /// The identity that applies the configuration needs `s3:PutReplicationConfiguration` and `iam:PassRole`.
    ///
    /// ## What goes wrong
    /// `PutBucketReplication` is called by whoever runs `terraform apply` or deploys the stack.
    /// That identity needs `s3:PutReplicationConfiguration` on the source bucket ARN and
    /// `iam:PassRole` on the replication role ("you must have the iam:PassRole permission");
    /// without them the call fails with `AccessDenied`. If its PassRole statement uses
    /// `iam:PassedToService`, the value must be `s3.amazonaws.com` (for Batch Replication job
    /// roles, `batchoperations.s3.amazonaws.com`).
    ///
    /// The deploying identity and its policies are not part of the inputs: a Terraform provider
    /// may name a role to assume, but that role's policies live elsewhere, and a CloudFormation
    /// stack's deployer or service role is chosen at deploy time. repl-lint therefore reports
    /// nothing for this rule; the docs state the requirement.
    ///
    /// ## How to fix
    /// Grant the deploying identity:
    /// `{"Effect": "Allow", "Action": "s3:PutReplicationConfiguration", "Resource": "arn:aws:s3:::SRC"}`
    /// and `{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "<replication role ARN>",
    /// "Condition": {"StringEquals": {"iam:PassedToService": "s3.amazonaws.com"}}}`.
    ///
    /// ## Example
    /// Terraform does not declare the identity that runs it; this rule reports nothing for
    /// Terraform.
    ///
    /// CloudFormation does not declare the identity that deploys a stack; this rule reports
    /// nothing for templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements" (iam:PassRole); "Setting up
    /// permissions for live replication" (step 1); IAM User Guide, "Granting a user permissions
    /// to pass a role to an AWS service"; "Granting permissions for Batch Operations".
    pub DepPassroleAndPut { id: "dep-passrole-and-put", code: "S1", group: "deployer", severity: Error }
}

impl Rule for DepPassroleAndPut {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// The deploying identity is in no input; see the docs.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
