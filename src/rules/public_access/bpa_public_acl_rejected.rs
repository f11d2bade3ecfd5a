use crate::rules::prelude::*;

declare_rule! {
    /// The destination blocks public ACLs that replicated objects of the source may carry.
    ///
    /// ## What goes wrong
    /// Replication copies each object's ACL unless the rule changes the replica owner. "If the
    /// object includes an ACL that allows public access but the destination bucket is using block
    /// public access, then replication fails": with `BlockPublicAcls` on the destination, a PUT
    /// carrying a public ACL is rejected. The source can hold such objects when its Object
    /// Ownership is not `BucketOwnerEnforced` and its own `BlockPublicAcls` is off.
    ///
    /// Only the bucket-level settings are read: account-level Block Public Access
    /// (`aws_s3_account_public_access_block`) is not in the model. A destination without a
    /// public access block resource is read with AWS's default for new buckets (all four
    /// settings on). `bpa-restrict-public-buckets` (Q2) is reported as
    /// `xdst-restrict-public-buckets`.
    ///
    /// ## How to fix
    /// Set the source's Object Ownership to `BucketOwnerEnforced` (ACLs disabled), or change the
    /// replica owner with `AccessControlTranslation` (owner override), or use `IgnorePublicAcls`
    /// instead of `BlockPublicAcls` on the destination.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule { object_ownership = "ObjectWriter" }
    /// }
    /// resource "aws_s3_bucket_public_access_block" "src" {
    ///   bucket            = aws_s3_bucket.src.id
    ///   block_public_acls = false
    /// }
    /// resource "aws_s3_bucket_public_access_block" "dst" {
    ///   bucket            = aws_s3_bucket.dst.id
    ///   block_public_acls = true
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule { object_ownership = "BucketOwnerEnforced" }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}
    ///     PublicAccessBlockConfiguration: {BlockPublicAcls: false}
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     PublicAccessBlockConfiguration: {BlockPublicAcls: true}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     PublicAccessBlockConfiguration: {BlockPublicAcls: false, IgnorePublicAcls: true}
    /// ```
    ///
    /// ## Sources
    /// AWS Knowledge Center, "Why aren't my Amazon S3 objects replicating"; S3 User Guide,
    /// "Blocking public access to your Amazon S3 storage" (BlockPublicAcls, IgnorePublicAcls);
    /// "Changing the replica owner".
    pub BpaPublicAclRejected { id: "bpa-public-acl-rejected", code: "Q1", group: "public-access", severity: Error }
}

impl Rule for BpaPublicAclRejected {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for r in g.each_rule() {
            if !r.is_active() || r.rule.destination.owner_override.is_present() {
                continue;
            }
            let (Some(src), Some(dst)) = (r.source(), r.destination()) else {
                continue;
            };
            if src.index == dst.index {
                continue;
            }
            // Since April 2023 new buckets disable ACLs and block public ACLs by default, so
            // only explicit settings let source objects carry public ACLs.
            let acls_enabled =
                matches!(src.ownership.value.as_str(), Some(o) if o != "BucketOwnerEnforced");
            let Some((src_pab, _)) = src.public_access_block else {
                continue;
            };
            if !acls_enabled || !matches!(src_pab.block_public_acls, Value::Known(false, _)) {
                continue;
            }
            if !seen.insert((src.index, dst.index)) {
                continue;
            }
            let (src_name, dst_name) = (g.bucket_text(src), g.bucket_text(dst));
            let (loc, label) = match dst.public_access_block {
                Some((pab, _)) => match &pab.block_public_acls {
                    Value::Known(true, l) => (l.clone(), "blocks public ACLs"),
                    Value::Known(false, _) | Value::Absent(_) => continue,
                    other => {
                        sink.cannot_verify(
                            other.loc(),
                            format!("whether `{dst_name}` blocks the public ACLs that objects replicated from `{src_name}` may carry (known only after apply)"),
                            "set block_public_acls to a literal value",
                        )
                        .resource(r.address())
                        .discriminator(r.key());
                        continue;
                    }
                },
                None => (
                    dst.bucket.origin.header.clone(),
                    "blocks public ACLs by default (no public access block resource)",
                ),
            };
            sink.report(
                &loc,
                format!(
                    "`{src_name}` keeps object ACLs (Object Ownership `{}`) and allows public ones, but destination `{dst_name}` blocks public ACLs: objects with a public ACL fail to replicate",
                    src.ownership.value.as_str().unwrap_or_default()
                ),
            )
            .label(label)
            .related(src.ownership.loc(), "source keeps object ACLs")
            .related(src_pab.block_public_acls.loc(), "source allows public ACLs")
            .help("set the source's Object Ownership to BucketOwnerEnforced, add an owner override (AccessControlTranslation) to the rule, or use IgnorePublicAcls instead of BlockPublicAcls on the destination")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
