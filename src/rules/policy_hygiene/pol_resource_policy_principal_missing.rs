use crate::graph::DocOwner;
use crate::rules::prelude::*;

declare_rule! {
    /// A bucket or key policy statement has no `Principal`.
    ///
    /// ## What goes wrong
    /// Resource policies must say whom they apply to: S3 and KMS reject a statement without
    /// `Principal` or `NotPrincipal` ("Each statement in the key policy must contain one or more
    /// principals"). AWS's own delete-marker snippet omits it.
    ///
    /// ## How to fix
    /// Add `"Principal": {"AWS": "<replication role ARN>"}`.
    ///
    /// ## Sources
    /// IAM User Guide, "Principal"; CloudFormation `AWS::KMS::Key` KeyPolicy.
    pub PolResourcePolicyPrincipalMissing { id: "pol-resource-policy-principal-missing", code: "A5", group: "policy", severity: Error }
}

impl Rule for PolResourcePolicyPrincipalMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (i, d) in g.docs.iter().enumerate() {
            if !matches!(d.owner, DocOwner::BucketPolicy | DocOwner::KeyPolicy) {
                continue;
            }
            let Some(policy) = g.policy(crate::graph::DocId(i)) else {
                continue;
            };
            for st in policy.statements.iter().filter(|st| st.principal.is_none()) {
                let kind = if d.owner == DocOwner::KeyPolicy {
                    "key"
                } else {
                    "bucket"
                };
                sink.report(&st.loc, format!("a statement of the {kind} policy of `{}` has no Principal; AWS rejects the policy", d.address))
                    .label("no Principal")
                    .help("add \"Principal\": {\"AWS\": \"<replication role ARN>\"} to the statement")
                    .resource(d.address.as_str())
                    .discriminator(st.index.to_string());
            }
        }
    }
}
