use crate::graph::Link;
use crate::model::Format;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role's inline policy references the bucket that references the role.
    ///
    /// ## What goes wrong
    /// In CloudFormation, a bucket whose `ReplicationConfiguration.Role` is `!GetAtt Role.Arn`
    /// depends on the role; if the role's inline `Policies` reference the bucket (`!Ref Bucket`,
    /// `!GetAtt Bucket.Arn`, `!Sub "${Bucket.Arn}/*"`), the role depends on the bucket too, and
    /// the stack fails with "Circular dependency between resources". AWS's own example declares
    /// the policy as a separate resource for this reason. With a separate policy, objects written
    /// before the policy is attached are not replicated.
    ///
    /// ## How to fix
    /// Move the statements that reference the bucket into a separate `AWS::IAM::Policy` (or
    /// `AWS::IAM::RolePolicy`) attached to the role, or build the bucket ARN from its name
    /// (`!Sub "arn:${AWS::Partition}:s3:::${BucketName}"` with a parameter).
    ///
    /// ## Example
    /// Terraform resolves these references without a cycle (the replication configuration is a
    /// separate resource); this rule reports nothing for Terraform.
    ///
    /// CloudFormation, failing:
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       Rules: [...]
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     Policies:
    ///       - PolicyName: replication
    ///         PolicyDocument:
    ///           Statement:
    ///             - {Effect: Allow, Action: s3:ListBucket, Resource: !GetAtt Src.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicationPolicy:
    ///   Type: AWS::IAM::Policy
    ///   Properties:
    ///     PolicyName: replication
    ///     Roles: [!Ref ReplicationRole]
    ///     PolicyDocument:
    ///       Statement:
    ///         - {Effect: Allow, Action: s3:ListBucket, Resource: !GetAtt Src.Arn}
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `AWS::S3::Bucket` ReplicationConfiguration example ("To avoid a circular
    /// dependency, the role's policy is declared as a separate resource").
    pub DepCfnCircularity { id: "dep-cfn-circularity", code: "S2", group: "deployer", severity: Info }
}

impl Rule for DepCfnCircularity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for view in &g.replications {
            let config = &g.model.replications[view.index];
            let (Link::Found(b), Link::Found(ri)) = (&view.source, &view.role) else {
                continue;
            };
            let role = &g.model.roles[*ri];
            if role.origin.format != Format::CloudFormation
                || !config.depends_on.contains(&role.origin.address)
            {
                continue;
            }
            let bucket = &g.buckets[*b];
            let target = bucket.address();
            let Some((_, loc)) = role.policy_references.iter().find(|(t, _)| t == target) else {
                continue;
            };
            sink.report(
                loc,
                format!(
                    "the inline policy of `{}` references bucket `{target}`, whose replication configuration references the role: CloudFormation rejects the circular dependency",
                    role.origin.address
                ),
            )
            .label("the role depends on the bucket here")
            .related(config.role.loc(), "the bucket depends on the role here")
            .help("move the statements that reference the bucket into a separate AWS::IAM::Policy attached to the role")
            .resource(role.origin.address.as_str());
        }
    }
}
