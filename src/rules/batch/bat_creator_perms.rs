use crate::rules::prelude::*;

declare_rule! {
    /// Whoever creates the Batch Replication job needs `s3:CreateJob` and `iam:PassRole`.
    ///
    /// ## What goes wrong
    /// Nothing in the configuration. Creating the job (console or `s3control create-job`) needs
    /// `s3:CreateJob` (resource `*`) and `iam:PassRole` on the job role for the principal that
    /// creates it; without them the job is never created. That principal is not part of any
    /// Terraform or CloudFormation input, so repl-lint reports this once per job role as a reminder.
    ///
    /// ## How to fix
    /// Grant the job creator `s3:CreateJob` and `iam:PassRole` on the job role (with
    /// `iam:PassedToService = batchoperations.s3.amazonaws.com` if you condition it).
    ///
    /// ## Example
    /// Terraform (reported, informational): a job role.
    /// ```hcl
    /// resource "aws_iam_role" "batch" {
    ///   assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{
    ///     Effect = "Allow", Action = "sts:AssumeRole"
    ///     Principal = { Service = "batchoperations.s3.amazonaws.com" }
    ///   }] })
    /// }
    /// ```
    /// Terraform, the creator's policy:
    /// ```hcl
    /// statement {
    ///   actions   = ["iam:PassRole"]
    ///   resources = [aws_iam_role.batch.arn]
    /// }
    /// statement {
    ///   actions   = ["s3:CreateJob"]
    ///   resources = ["*"]
    /// }
    /// ```
    /// CloudFormation (reported, informational):
    /// ```yaml
    /// BatchRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     AssumeRolePolicyDocument:
    ///       Statement: [{Effect: Allow, Action: sts:AssumeRole,
    ///                    Principal: {Service: batchoperations.s3.amazonaws.com}}]
    /// ```
    /// CloudFormation, the creator's policy:
    /// ```yaml
    /// - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt BatchRole.Arn}
    /// - {Effect: Allow, Action: s3:CreateJob, Resource: "*"}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Granting permissions for Batch Operations".
    pub BatCreatorPerms { id: "bat-creator-perms", code: "O9", group: "batch", severity: Info }
}

impl Rule for BatCreatorPerms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for job in super::job_roles(g) {
            let origin = &g.model.roles[job.role].origin;
            sink.report(
                &origin.header,
                format!("`{}` is a Batch Replication job role: whoever creates the job needs s3:CreateJob and iam:PassRole on it", origin.address),
            )
            .label("Batch Replication job role")
            .help("grant the job creator {\"Action\": \"s3:CreateJob\", \"Resource\": \"*\"} and {\"Action\": \"iam:PassRole\", \"Resource\": \"<this role's ARN>\"}")
            .resource(origin.address.as_str());
        }
    }
}
