use crate::rules::prelude::*;

declare_rule! {
    /// An owner override on a rule whose source and destination are in the same account.
    ///
    /// ## What goes wrong
    /// "Amazon S3 doesn't check if the buckets are owned by same or different accounts": it
    /// applies the owner override anyway, and then "doesn't replicate subsequent updates to the
    /// source object ACL". The override buys nothing in one account and silently stops ACL
    /// changes from replicating.
    ///
    /// ## How to fix
    /// Remove `access_control_translation` (and `account`, if it is only there for the override)
    /// from same-account rules.
    ///
    /// ## Example
    /// Terraform, failing (both buckets under one provider):
    /// ```hcl
    /// provider "aws" {
    ///   allowed_account_ids = ["111111111111"]
    /// }
    /// # in the replication rule
    /// destination {
    ///   bucket  = aws_s3_bucket.dst.arn
    ///   account = "111111111111"
    ///   access_control_translation {
    ///     owner = "Destination"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket = aws_s3_bucket.dst.arn
    /// }
    /// ```
    /// CloudFormation, failing (one stack, one account):
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    ///   Account: !Ref AWS::AccountId
    ///   AccessControlTranslation:
    ///     Owner: Destination
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Changing the replica owner" (Warning box).
    pub OwnActSameAccount { id: "own-act-same-account", code: "H4", group: "ownership", severity: Warning }
}

impl Rule for OwnActSameAccount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            let dest = &r.rule.destination;
            if dest.owner_override.is_absent() {
                continue;
            }
            let source = r.source_account();
            let Some(source) = source.concrete() else {
                continue;
            };
            // Every account the input states for the destination must be the source's: a
            // differing one is `own-account-mismatch` or a real cross-account setup.
            let written = g.resolver.resolve(&dest.account);
            let bucket = r.destination().map(|d| d.account.clone());
            let known: Vec<String> = [Some(written), bucket]
                .into_iter()
                .flatten()
                .filter_map(|a| a.concrete().map(str::to_string))
                .collect();
            if known.is_empty() || known.iter().any(|a| a != source) {
                continue;
            }
            sink.report(
                dest.owner_override.loc(),
                format!(
                    "{} overrides the replica owner, but source and destination are both in account {source}: S3 applies the override anyway and stops replicating ACL updates",
                    r.label()
                ),
            )
            .label("owner override in a same-account rule")
            .help("remove the access control translation from this same-account rule")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
