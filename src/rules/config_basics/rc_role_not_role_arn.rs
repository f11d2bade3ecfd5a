use crate::graph::{Entity, atoms};
use crate::model::arn;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role is not an IAM role ARN.
    ///
    /// ## What goes wrong
    /// `Role` must be the full ARN of an IAM role (`arn:aws:iam::123456789012:role/path/name`).
    /// A role name, an instance-profile or user ARN, or Terraform's `aws_iam_role.x.name` / `.id`
    /// instead of `.arn` is rejected or names no role S3 can assume.
    ///
    /// ## How to fix
    /// Terraform: `role = aws_iam_role.replication.arn`. CloudFormation: `Role: !GetAtt Role.Arn`.
    /// Keep the role's path (`role/service-role/...`) in a literal ARN.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.name
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.arn
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ReplicationConfiguration:
    ///       Role: !Ref ReplicationRole
    ///       # ...
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements"; CloudFormation
    /// `AWS::S3::Bucket ReplicationConfiguration.Role`.
    pub RcRoleNotRoleArn { id: "rc-role-not-role-arn", code: "C1", group: "config", severity: Error }
}

impl Rule for RcRoleNotRoleArn {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for view in &g.replications {
            let config = &g.model.replications[view.index];
            let role = &config.role;
            if let Value::Ref(r, loc) = role
                && let Some(Entity::Role(_)) = g.resolver.entity(&r.target)
            {
                if !r.attr.eq_ignore_ascii_case("arn") {
                    sink.report(
                        loc,
                        format!(
                            "the replication role is `{r}`, the role's {}, not its ARN",
                            r.attr
                        ),
                    )
                    .label("must be a role ARN")
                    .help(format!("use `{}.arn`", r.target))
                    .resource(config.origin.address.as_str());
                }
                continue;
            }
            match g.resolver.resolve(role) {
                Resolved::Known(text) => {
                    let plausible = if atoms::contains_atoms(&text) {
                        !text.starts_with("arn:") || text.contains(":role/")
                    } else {
                        arn::is_role_arn(&text)
                    };
                    if !plausible {
                        sink.report(
                            role.loc(),
                            format!("the replication role `{}` is not an IAM role ARN", g.display(&text)),
                        )
                        .label("must be arn:aws:iam::ACCOUNT:role/NAME")
                        .help("give the full role ARN, including its path (for example `arn:aws:iam::123456789012:role/service-role/s3-replication`)")
                        .resource(config.origin.address.as_str());
                    }
                }
                Resolved::Unknown(why) => {
                    sink.cannot_verify(
                        role.loc(),
                        format!("the replication role is not known ({why}), so its permissions cannot be checked"),
                        "pass the Terraform sources or the stack that defines the role",
                    )
                    .resource(config.origin.address.as_str());
                }
                Resolved::Absent => {
                    sink.report(
                        &config.origin.header,
                        "the replication configuration has no role",
                    )
                    .help("set `role` to the ARN of a role that s3.amazonaws.com can assume")
                    .resource(config.origin.address.as_str());
                }
            }
        }
    }
}
