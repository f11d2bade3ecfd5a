use crate::iam::{Effect, Policy, PrincipalSpec, PrincipalType, Statement};
use crate::model::arn;
use crate::rules::grants::covers_action;
use crate::rules::prelude::*;

declare_rule! {
    /// Other accounts may upload into an ACL-based source bucket: their objects are not replicated.
    ///
    /// ## What goes wrong
    /// S3 "replicates only objects for which the source bucket owner has access permissions". In a
    /// source bucket with Object Ownership `ObjectWriter` or `BucketOwnerPreferred`, an object
    /// uploaded by another account belongs to the uploader; unless the upload grants the bucket
    /// owner READ and READ_ACP (`bucket-owner-full-control`), replication skips it with the failure
    /// reason `SrcGetAclNotPermitted`.
    ///
    /// repl-lint reports a source bucket whose ownership setting is `ObjectWriter` or
    /// `BucketOwnerPreferred` and whose bucket policy lets principals of other accounts
    /// `s3:PutObject`, unless some statement conditions uploads on `s3:x-amz-acl` =
    /// `bucket-owner-full-control`. Grants in the bucket ACL are not read.
    ///
    /// ## How to fix
    /// Set Object Ownership of the source bucket to `BucketOwnerEnforced` (ACLs off: the bucket
    /// owner owns every object), or require `s3:x-amz-acl = bucket-owner-full-control` on uploads
    /// in the bucket policy.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule {
    ///     object_ownership = "ObjectWriter"
    ///   }
    /// }
    /// resource "aws_s3_bucket_policy" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "arn:aws:iam::333333333333:root" }
    ///       Action    = "s3:PutObject"
    ///       Resource  = "${aws_s3_bucket.src.arn}/*"
    ///     }]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule {
    ///     object_ownership = "BucketOwnerEnforced"
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     OwnershipControls:
    ///       Rules:
    ///         - ObjectOwnership: ObjectWriter
    /// SrcPolicy:
    ///   Type: AWS::S3::BucketPolicy
    ///   Properties:
    ///     Bucket: !Ref Src
    ///     PolicyDocument:
    ///       Statement:
    ///         - Effect: Allow
    ///           Principal: {AWS: "arn:aws:iam::333333333333:root"}
    ///           Action: s3:PutObject
    ///           Resource: !Sub "${Src.Arn}/*"
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     OwnershipControls:
    ///       Rules:
    ///         - ObjectOwnership: BucketOwnerEnforced
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Requirements and considerations for replication"; "What does Amazon S3
    /// replicate?"; "Troubleshooting replication"; replication failure reasons
    /// (`SrcGetAclNotPermitted`); SEED-000 (Source object ownership).
    pub OwnSrcObjectsNotOwned { id: "own-src-objects-not-owned", code: "H7", group: "ownership", severity: Warning }
}

impl Rule for OwnSrcObjectsNotOwned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for r in g.each_rule() {
            let Some(src) = r.source() else { continue };
            if !r.is_active() || !seen.insert(src.index) {
                continue;
            }
            let Some(mode) = src
                .ownership
                .value
                .as_str()
                .filter(|m| matches!(*m, "ObjectWriter" | "BucketOwnerPreferred"))
            else {
                continue;
            };
            let account = r.source_account();
            let (Some(account), Some(policy)) =
                (account.concrete(), src.policy.and_then(|id| g.policy(id)))
            else {
                continue;
            };
            if requires_owner_full_control(policy) {
                continue;
            }
            let Some((st, other)) = policy
                .statements
                .iter()
                .find_map(|st| foreign_writer(st, account).map(|o| (st, o)))
            else {
                continue;
            };
            let name = g.bucket_text(src);
            sink.report(
                &st.loc,
                format!(
                    "source bucket `{name}` uses `{mode}` and lets {other} upload objects: objects it uploads without `bucket-owner-full-control` are not replicated (SrcGetAclNotPermitted)"
                ),
            )
            .label("uploads from another account")
            .related(src.ownership.loc(), format!("object ownership `{mode}`"))
            .help("set object ownership of the source bucket to \"BucketOwnerEnforced\", or require `s3:x-amz-acl` = \"bucket-owner-full-control\" on uploads in the bucket policy")
            .resource(r.address())
            .discriminator(src.address());
        }
    }
}

/// Some statement conditions uploads on the `bucket-owner-full-control` canned ACL.
fn requires_owner_full_control(policy: &Policy) -> bool {
    policy.statements.iter().any(|st| {
        st.conditions.iter().any(|c| {
            c.key.text.eq_ignore_ascii_case("s3:x-amz-acl")
                && c.values
                    .iter()
                    .any(|v| v.text == "bucket-owner-full-control")
        })
    })
}

/// The principal of another account (or everyone) this statement lets upload objects.
fn foreign_writer(st: &Statement, account: &str) -> Option<String> {
    if st.effect != Some(Effect::Allow) || !covers_action(st, "s3:PutObject") {
        return None;
    }
    let Some(PrincipalSpec::Principal(items)) = &st.principal else {
        return None;
    };
    // A conditioned `*` usually narrows the callers to the bucket's own account or network.
    let open = st.conditions.is_empty();
    items.iter().find_map(|p| {
        let text = p.value.text.as_str();
        match p.kind {
            PrincipalType::Wildcard => open.then(|| "everyone (`*`)".to_string()),
            PrincipalType::Aws if text == "*" => {
                open.then(|| "every AWS account (`*`)".to_string())
            }
            PrincipalType::Aws => {
                let other = if arn::is_account_id(text) {
                    Some(text)
                } else {
                    arn::account_of(text)
                }?;
                (other != account).then(|| format!("account {other}"))
            }
            _ => None,
        }
    })
}
