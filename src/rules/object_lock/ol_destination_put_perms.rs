use crate::rules::access::{self, Gap, allow_statement, gaps};
use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// Replicating from an Object Lock bucket, the role may not set retention and legal holds on replicas.
    ///
    /// ## What goes wrong
    /// The replication failure reasons list `DstPutRetentionNotPermitted` and
    /// `DstPutLegalHoldNotPermitted`: replicas of locked objects carry their retention and legal
    /// hold, which S3 writes with `s3:PutObjectRetention` and `s3:PutObjectLegalHold` on the
    /// destination objects. AWS's permission examples show only `s3:ReplicateObject`; the sources
    /// disagree (catalogue §7), hence a warning.
    ///
    /// ## How to fix
    /// Allow `s3:PutObjectRetention` and `s3:PutObjectLegalHold` on `arn:aws:s3:::DST/*` in the
    /// role's policy and, cross-account, in the destination bucket policy.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket" "src" {
    ///   bucket = "src"
    ///   object_lock_enabled = true
    /// }
    /// # the role policy's statement for the destination:
    /// #   { Effect = "Allow", Action = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
    /// #     Resource = "${aws_s3_bucket.dst.arn}/*" }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// { Effect = "Allow", Action = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
    ///   "s3:PutObjectRetention", "s3:PutObjectLegalHold"], Resource = "${aws_s3_bucket.dst.arn}/*" }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
    ///   Resource: !Sub "${Dst.Arn}/*"
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags, s3:PutObjectRetention, s3:PutObjectLegalHold]
    ///   Resource: !Sub "${Dst.Arn}/*"
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, replication failure reasons; catalogue §7.
    pub OlDestinationPutPerms { id: "ol-destination-put-perms", code: "L3", group: "object-lock", severity: Warning }
}

const ACTIONS: [&str; 2] = ["s3:PutObjectRetention", "s3:PutObjectLegalHold"];

impl Rule for OlDestinationPutPerms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = std::collections::BTreeSet::new();
        for c in cx.checked().filter(|c| {
            c.need.action == "s3:ReplicateObject" && c.need.side == access::Side::DestinationObjects
        }) {
            let Some(r) = g.rule_ref(c.replication, c.rule) else {
                continue;
            };
            if !r.source().is_some_and(|s| s.object_lock.value.is_true()) {
                continue;
            }
            let mut identity = Vec::new();
            let mut bucket_policy = Vec::new();
            for action in ACTIONS {
                let decision = access::decide_with_action(g, c, action);
                for gap in gaps(g, &decision) {
                    match gap {
                        Gap::Identity => identity.push(action),
                        Gap::ResourcePolicy => bucket_policy.push(action),
                        _ => {}
                    }
                }
            }
            let role = &g.roles[c.role];
            if !identity.is_empty() && seen.insert((c.replication, c.need.grant.clone(), "id")) {
                let (anchor, address) = access::identity_anchor(g, role);
                sink.report(
                    &anchor,
                    format!(
                        "the source has Object Lock but replication role `{}` is not allowed {} on `{}`: replicas of locked objects may fail with DstPutRetentionNotPermitted / DstPutLegalHoldNotPermitted",
                        grants::role_text(g, role),
                        identity.join(", "),
                        g.display(&c.need.grant)
                    ),
                )
                .label("no statement grants this")
                .related(r.source().map(|s| s.object_lock.loc()).unwrap_or(&r.rule.loc), "Object Lock enabled on the source")
                .help(format!("add this statement to the role's permissions policy:\n{}", allow_statement(g, None, &identity, &c.need.grant)))
                .resource(address)
                .discriminator(format!("{}|identity", c.need.grant));
            }
            if !bucket_policy.is_empty()
                && let Some(loc) = grants::resource_policy_loc(g, c)
                && seen.insert((c.replication, c.need.grant.clone(), "bp"))
            {
                sink.report(
                    &loc,
                    format!(
                        "the source has Object Lock but the destination bucket policy does not allow the replication role {} on `{}`",
                        bucket_policy.join(", "),
                        g.display(&c.need.grant)
                    ),
                )
                .label("no statement grants this to the role")
                .help(format!("add this statement to the bucket policy:\n{}", allow_statement(g, role.arn.known(), &bucket_policy, &c.need.grant)))
                .resource(r.address())
                .discriminator(format!("{}|bucket-policy", c.need.grant));
            }
        }
    }
}
