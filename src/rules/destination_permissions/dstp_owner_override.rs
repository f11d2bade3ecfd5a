use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The rule changes the replica owner but the role may not.
    ///
    /// ## What goes wrong
    /// With access control translation (owner `Destination`), S3 needs
    /// `s3:ObjectOwnerOverrideToBucketOwner` on the destination **object** ARN; otherwise replicas
    /// fail with `DstPutObjectNotPermitted`.
    ///
    /// ## How to fix
    /// Add `s3:ObjectOwnerOverrideToBucketOwner` on `arn:aws:s3:::DST/*` to the role's policy (and,
    /// cross-account, to the destination bucket policy).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// # the rule's destination has access_control_translation { owner = "Destination" }
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "DestinationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// # the rule's destination has access_control_translation { owner = "Destination" }
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid     = "DestinationObjects"
    ///     actions = [
    ///       "s3:ReplicateObject",
    ///       "s3:ReplicateDelete",
    ///       "s3:ReplicateTags",
    ///       "s3:ObjectOwnerOverrideToBucketOwner",
    ///     ]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// # the rule's Destination has AccessControlTranslation: {Owner: Destination}
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: DestinationObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:ReplicateObject
    ///                 - s3:ReplicateDelete
    ///                 - s3:ReplicateTags
    ///               Resource: arn:aws:s3:::acme-data-replica/*
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// # the rule's Destination has AccessControlTranslation: {Owner: Destination}
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: DestinationObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:ReplicateObject
    ///                 - s3:ReplicateDelete
    ///                 - s3:ReplicateTags
    ///                 - s3:ObjectOwnerOverrideToBucketOwner
    ///               Resource: arn:aws:s3:::acme-data-replica/*
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Changing the replica owner"; "Troubleshooting replication".
    pub DstpOwnerOverride { id: "dstp-owner-override", code: "F4", group: "destination-permissions", severity: Error }
}

impl Rule for DstpOwnerOverride {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:ObjectOwnerOverrideToBucketOwner"],
            "the replica owner cannot be changed (DstPutObjectNotPermitted)",
        );
    }
}
