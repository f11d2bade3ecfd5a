use foldhash::{HashSet, HashSetExt};

use crate::graph::Tri;
use crate::rules::grants::role_text;
use crate::rules::prelude::*;

declare_rule! {
    /// The plan replaces the replication role while policies outside the plan name it by ARN.
    ///
    /// ## What goes wrong
    /// Bucket and key policies store a role principal as the role's unique id. When the role is
    /// deleted and created again (a Terraform plan with `delete` and `create` for it, e.g. after
    /// a name or path change), a policy that named the old role no longer matches the new one,
    /// even under the same ARN, until that policy is saved again. Policies in the same plan that
    /// reference the role are rewritten with it; a destination bucket policy or key policy in
    /// another account or stack is not, so replication fails with `DstPutObjectNotPermitted` or
    /// KMS access errors. Only plans say what an apply replaces: for Terraform sources and
    /// CloudFormation templates (where a `RoleName` or `Path` change also replaces the role)
    /// this rule reports nothing.
    ///
    /// ## How to fix
    /// Avoid replacing the role (keep its name and path), or save the dependent bucket and key
    /// policies in the other accounts or stacks again right after the replacement.
    ///
    /// ## Example
    /// Terraform, failing (the plan replaces the role because its name changes; the
    /// destination bucket policy lives in another account's configuration):
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name = "s3-replication-v2"   # was "s3-replication": forces replacement
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name = "s3-replication"
    /// }
    /// ```
    /// CloudFormation templates do not say what a deploy replaces; this rule reports nothing
    /// for templates.
    ///
    /// ## Sources
    /// IAM User Guide, "AWS JSON policy elements: Principal" ("if you delete and recreate a
    /// role ... the policy no longer applies").
    pub PolRoleReplacementBreaksGrants { id: "pol-role-replacement-breaks-grants", code: "A10", group: "policy", severity: Warning }
}

impl Rule for PolRoleReplacementBreaksGrants {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut reported = HashSet::new();
        for r in g.each_rule() {
            let Some(role_index) = r.view.role.found() else {
                continue;
            };
            let role = &g.roles[role_index];
            let Some(replaced) = &g.model.roles[role.index].replaced else {
                continue;
            };
            // A destination in another account (or not in the input) has its bucket policy
            // outside this plan.
            let outside = r.destination().is_none() || r.cross_account() != Tri::No;
            if !outside || !reported.insert(role_index) {
                continue;
            }
            let whose = if r.destination().is_none() {
                "destination bucket not in this plan"
            } else {
                "destination bucket in another account"
            };
            sink.report(
                replaced,
                format!(
                    "the plan replaces replication role `{}`: policies that name it and that this apply does not save again (the bucket policy of `{}`, a {whose}) stop matching the new role",
                    role_text(g, role),
                    r.destination_text()
                ),
            )
            .label("delete and create")
            .related(&g.model.roles[role.index].origin.header, "the role")
            .help("keep the role's name and path so it is updated in place, or save the destination bucket policy and the key policies that name the role again after this apply")
            .resource(g.model.roles[role.index].origin.address.as_str());
        }
    }
}
