use crate::graph::DocState;
use crate::iam::{ActionSpec, Effect, PrincipalSpec, PrincipalType};
use crate::rules::grants::covers_action;
use crate::rules::prelude::*;

declare_rule! {
    /// A role that starts Batch Replication cannot be assumed by S3 Batch Operations.
    ///
    /// ## What goes wrong
    /// A role whose permissions grant `s3:InitiateReplication` is meant to run S3 Batch
    /// Replication jobs. Batch Operations assumes the job role as
    /// `batchoperations.s3.amazonaws.com`; without that service principal in the trust policy,
    /// creating the job fails and existing objects are never replicated.
    ///
    /// ## How to fix
    /// ```json
    /// "Principal": {"Service": ["s3.amazonaws.com", "batchoperations.s3.amazonaws.com"]}
    /// ```
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_iam_role" "batch" {
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
    ///       Principal = { Service = "s3.amazonaws.com" } }]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_iam_role" "batch" {
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
    ///       Principal = { Service = ["s3.amazonaws.com", "batchoperations.s3.amazonaws.com"] } }]
    ///   })
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// AssumeRolePolicyDocument:
    ///   Statement:
    ///     - {Effect: Allow, Action: sts:AssumeRole, Principal: {Service: s3.amazonaws.com}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// AssumeRolePolicyDocument:
    ///   Statement:
    ///     - Effect: Allow
    ///       Action: sts:AssumeRole
    ///       Principal: {Service: [s3.amazonaws.com, batchoperations.s3.amazonaws.com]}
    /// ```
    ///
    /// Neither format has a resource for a Batch Operations job, so a role is recognised as a
    /// job role only by its `s3:InitiateReplication` grant.
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication" (second trust example);
    /// "Configuring an IAM role for S3 Batch Replication".
    pub TrustBatchoperationsPrincipal { id: "trust-batchoperations-principal", code: "D4", group: "trust", severity: Error }
}

const BATCH_SERVICE: &str = "batchoperations.s3.amazonaws.com";
const INITIATE: &str = "s3:InitiateReplication";

/// Whether an Allow names `s3:InitiateReplication` itself (a wildcard grant does not mark a role
/// as a Batch Replication job role).
fn names_initiate(policy: &crate::iam::Policy) -> bool {
    policy.statements.iter().any(|st| {
        st.effect == Some(Effect::Allow)
            && matches!(&st.action, Some(ActionSpec::Action(items))
                if items.iter().any(|i| i.text.eq_ignore_ascii_case(INITIATE)))
    })
}

fn trusts_batch(policy: &crate::iam::Policy) -> bool {
    policy.statements.iter().any(|st| {
        st.effect == Some(Effect::Allow)
            && covers_action(st, "sts:AssumeRole")
            && matches!(&st.principal, Some(PrincipalSpec::Principal(items))
                if items.iter().any(|p| p.kind == PrincipalType::Service && p.value.text == BATCH_SERVICE))
    })
}

impl Rule for TrustBatchoperationsPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for role in &g.roles {
            let Some(trust) = role.trust else { continue };
            let is_job_role = role
                .identity
                .iter()
                .filter_map(|&id| g.policy(id))
                .any(names_initiate);
            if !is_job_role {
                continue;
            }
            let origin = &g.model.roles[role.index].origin;
            let doc = g.doc(trust);
            match &doc.state {
                DocState::Parsed { policy, .. } => {
                    if trusts_batch(policy) {
                        continue;
                    }
                    sink.report(
                        &doc.doc.loc,
                        format!(
                            "role `{}` is granted s3:InitiateReplication (a Batch Replication job role), but its trust policy does not let {BATCH_SERVICE} assume it",
                            origin.address
                        ),
                    )
                    .label("Batch Operations cannot assume this role")
                    .help(format!(
                        "add {BATCH_SERVICE} to the trust statement's service principals:\n\"Principal\": {{\"Service\": [\"s3.amazonaws.com\", \"{BATCH_SERVICE}\"]}}"
                    ))
                    .resource(origin.address.as_str());
                }
                DocState::Unknown(why) => {
                    sink.cannot_verify(
                        &doc.doc.loc,
                        format!(
                            "whether S3 Batch Operations may assume job role `{}`: {why}",
                            origin.address
                        ),
                        "pass the Terraform sources or the stack that defines the trust policy",
                    )
                    .resource(origin.address.as_str());
                }
                DocState::Invalid { .. } => {}
            }
        }
    }
}
