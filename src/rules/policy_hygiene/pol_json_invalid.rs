use crate::graph::DocState;
use crate::rules::prelude::*;

declare_rule! {
    /// A policy document is not valid JSON.
    ///
    /// ## What goes wrong
    /// IAM, S3 and KMS reject malformed documents (`MalformedPolicyDocument`, `MalformedPolicy`).
    /// Common causes: trailing commas, typographic quotes (“ ”), comments, fragments that end in
    /// `},` without an enclosing document.
    ///
    /// ## How to fix
    /// Write valid JSON. In Terraform prefer `jsonencode()` or `data "aws_iam_policy_document"`
    /// over heredoc strings; in CloudFormation write the document as YAML/JSON objects.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_iam_role_policy" "replication" {
    ///   name   = "s3-replication"
    ///   role   = aws_iam_role.replication.name
    ///   policy = <<-EOT
    ///   {
    ///     "Version": "2012-10-17",
    ///     "Statement": [
    ///       {
    ///         "Effect": "Allow",
    ///         "Action": ["s3:ReplicateObject", "s3:ReplicateDelete"],
    ///         "Resource": "arn:aws:s3:::acme-data-replica/*"
    ///       },
    ///     ]
    ///   }
    ///   EOT
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_iam_role_policy" "replication" {
    ///   name   = "s3-replication"
    ///   role   = aws_iam_role.replication.name
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Effect   = "Allow"
    ///         Action   = ["s3:ReplicateObject", "s3:ReplicateDelete"]
    ///         Resource = "${aws_s3_bucket.replica.arn}/*"
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
    ///     # ...
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument: >-
    ///           {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///           "Action": ["s3:ReplicateObject", "s3:ReplicateDelete"],
    ///           "Resource": "arn:aws:s3:::acme-data-replica/*"},]}
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
    ///             - Effect: Allow
    ///               Action:
    ///                 - s3:ReplicateObject
    ///                 - s3:ReplicateDelete
    ///               Resource: !Sub "${ReplicaBucket.Arn}/*"
    /// ```
    ///
    /// ## Sources
    /// AWS blog on cross-region replication of KMS-encrypted objects (its example policies have
    /// trailing commas); IAM User Guide, policy grammar.
    pub PolJsonInvalid { id: "pol-json-invalid", code: "A1", group: "policy", severity: Error }
}

impl Rule for PolJsonInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for d in &cx.graph.docs {
            if let DocState::Invalid { message, loc } = &d.state {
                sink.report(loc, format!("the policy of `{}` is not valid JSON: {message}", d.address))
                    .label(message.clone())
                    .related(&d.doc.loc, "policy document")
                    .help("write valid JSON; in Terraform, jsonencode() or data \"aws_iam_policy_document\" avoid hand-written JSON")
                    .resource(d.address.as_str());
            }
        }
    }
}
