use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule sets `existing_object_replication`, which S3 accepts only when AWS Support enabled it.
    ///
    /// ## What goes wrong
    /// `ExistingObjectReplication` is accepted only for accounts that AWS Support enabled for it;
    /// everywhere else `PutBucketReplication` fails with `MalformedXML`. Existing objects are
    /// replicated with S3 Batch Replication instead.
    ///
    /// ## How to fix
    /// Remove the `existing_object_replication` block and run a Batch Replication job for the
    /// objects that existed before replication was configured.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   existing_object_replication {
    ///     status = "Enabled"
    ///   }
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// ```
    /// CloudFormation has no `ExistingObjectReplication` property; this rule reports nothing for
    /// templates.
    ///
    /// ## Sources
    /// Terraform `aws_s3_bucket_replication_configuration` docs (note on
    /// `existing_object_replication`); hashicorp/terraform-provider-aws#21961 (`MalformedXML` with
    /// `existing_object_replication`).
    pub RcExistingObjectReplication { id: "rc-existing-object-replication", code: "C12", group: "config-basics", severity: Error }
}

impl Rule for RcExistingObjectReplication {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let value = &r.rule.existing_object_replication;
            if value.is_absent() || matches!(value, Value::Unknown(..)) {
                continue;
            }
            sink.report(
                value.loc(),
                format!(
                    "{} sets existing object replication: unless AWS Support enabled it for this account, S3 rejects the configuration with MalformedXML",
                    r.label()
                ),
            )
            .label("needs AWS Support")
            .help("remove existing_object_replication and replicate existing objects with S3 Batch Replication")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
