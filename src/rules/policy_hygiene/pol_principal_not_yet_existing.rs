use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::graph::{DocId, DocOwner, RoleView};
use crate::iam::{PrincipalSpec, PrincipalType, atom};
use crate::model::{Format, Ordering, Origin, PolicyContent};
use crate::rules::prelude::*;
use crate::source::Loc;
use crate::syntax::{Node, NodeKind, Part};

declare_rule! {
    /// A bucket or key policy names a role created in the same deployment by its literal ARN, without waiting for it.
    ///
    /// ## What goes wrong
    /// S3 and KMS check that the principals of a policy exist when the policy is saved: S3
    /// rejects it with `MalformedPolicy: Invalid principal in policy`, KMS with
    /// `MalformedPolicyDocumentException` ("principals must exist and be visible to AWS KMS").
    /// A policy that writes the replication role's ARN as text (rather than referencing the
    /// role) and has no `depends_on` / `DependsOn` on it can be saved before the role exists:
    /// the first deploy fails, or succeeds only by luck of ordering. The rule looks at roles and
    /// policies in the same CloudFormation template, the same plan, or the same Terraform
    /// sources; policies in another stack or account name roles that must already exist (deploy
    /// the source side first), which no single input can order.
    ///
    /// ## How to fix
    /// Reference the role (`aws_iam_role.replication.arn`, `!GetAtt ReplicationRole.Arn`),
    /// which orders the policy after the role, or add `depends_on = [aws_iam_role.replication]`
    /// / `DependsOn: ReplicationRole`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name = "s3-replication"
    /// }
    /// resource "aws_s3_bucket_policy" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "arn:aws:iam::111111111111:role/s3-replication" }
    ///       Action    = ["s3:ReplicateObject", "s3:ReplicateDelete"]
    ///       Resource  = "${aws_s3_bucket.dst.arn}/*"
    ///     }]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///       Principal = { AWS = aws_iam_role.replication.arn }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// DstPolicy:
    ///   Type: AWS::S3::BucketPolicy
    ///   Properties:
    ///     Bucket: !Ref DstBucket
    ///     PolicyDocument:
    ///       Statement:
    ///         - Effect: Allow
    ///           Principal: {AWS: arn:aws:iam::111111111111:role/s3-replication}
    ///           Action: [s3:ReplicateObject, s3:ReplicateDelete]
    ///           Resource: arn:aws:s3:::dst-bucket/*
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///           Principal: {AWS: !GetAtt ReplicationRole.Arn}
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `AWS::KMS::Key` `KeyPolicy` (principals must exist); IAM User Guide,
    /// "AWS JSON policy elements: Principal".
    pub PolPrincipalNotYetExisting { id: "pol-principal-not-yet-existing", code: "A9", group: "policy", severity: Warning }
}

impl Rule for PolPrincipalNotYetExisting {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let model = g.model;
        let lookups = Lookups::new(g);
        for (i, d) in g.docs.iter().enumerate() {
            if !matches!(d.owner, DocOwner::BucketPolicy | DocOwner::KeyPolicy) {
                continue;
            }
            // Only resources whose ordering the loader recorded.
            let Some(ordering) = lookups.orderings.get(d.address.as_str()) else {
                continue;
            };
            let Some(holder) = lookups.holders.get(d.address.as_str()) else {
                continue;
            };
            let Some(policy) = g.policy(DocId(i)) else {
                continue;
            };
            let references = reference_locs(&lookups.documents, &d.doc.content, 0);
            for st in &policy.statements {
                let Some(PrincipalSpec::Principal(items)) = &st.principal else {
                    continue;
                };
                for p in items.iter().filter(|p| p.kind == PrincipalType::Aws) {
                    if atom::contains_atoms(&p.value.text) || references.contains(&p.value.loc) {
                        continue;
                    }
                    let Some(role) = lookups.roles_by_arn.get(p.value.text.as_str()) else {
                        continue;
                    };
                    let declared = &model.roles[role.index];
                    // Templates and Terraform sources declare what they create; a plan shows an
                    // existing role with its ARN, a role it creates without.
                    let created_here = match declared.origin.format {
                        Format::Plan => !declared.arn.is_known(),
                        _ => true,
                    };
                    let same_deployment = declared.origin.format == holder.format
                        && (holder.format == Format::Terraform
                            || declared.origin.file == holder.file);
                    if !created_here
                        || !same_deployment
                        || ordering.depends_on.contains(&declared.origin.address)
                    {
                        continue;
                    }
                    sink.report(
                        &p.value.loc,
                        format!(
                            "`{}` names role `{}` by its ARN without waiting for it: the policy may be saved before the role exists, and AWS rejects a principal that does not exist",
                            d.address, declared.origin.address
                        ),
                    )
                    .label("the role is created in the same deployment")
                    .related(&declared.origin.header, "the role")
                    .help(if declared.origin.format == Format::CloudFormation {
                        "write `!GetAtt <Role>.Arn`, or add `DependsOn: <Role>` to the policy resource"
                    } else {
                        "reference the role (`aws_iam_role.<name>.arn`), or add `depends_on = [aws_iam_role.<name>]`"
                    })
                    .resource(d.address.as_str())
                    .discriminator(format!("{}|{}", st.index, p.value.text));
                }
            }
        }
    }
}

/// The origin of the resource holding a bucket or key policy.
/// What the check looks up by name, indexed once: scanning every ordering, holder and role per
/// policy made the rule quadratic on large plans. Each map keeps the first entry of a name, as
/// the linear searches did.
struct Lookups<'g, 'm> {
    orderings: HashMap<&'m str, &'m Ordering>,
    holders: HashMap<&'m str, &'m Origin>,
    roles_by_arn: HashMap<&'g str, &'g RoleView>,
    documents: HashMap<&'m str, &'m PolicyContent>,
}

impl<'g, 'm> Lookups<'g, 'm> {
    fn new(g: &'g Graph<'m>) -> Self {
        let m = g.model;
        let mut orderings = HashMap::with_capacity(m.orderings.len());
        for o in &m.orderings {
            orderings.entry(o.address.as_str()).or_insert(o);
        }
        let mut holders =
            HashMap::with_capacity(m.bucket_settings.len() + m.keys.len() + m.key_policies.len());
        let origins = m
            .bucket_settings
            .iter()
            .map(|s| &s.origin)
            .chain(m.keys.iter().map(|k| &k.origin))
            .chain(m.key_policies.iter().map(|k| &k.origin));
        for o in origins {
            holders.entry(o.address.as_str()).or_insert(o);
        }
        let mut roles_by_arn = HashMap::with_capacity(g.roles.len());
        for r in &g.roles {
            if let Some(arn) = r.arn.concrete() {
                roles_by_arn.entry(arn).or_insert(r);
            }
        }
        let mut documents = HashMap::with_capacity(m.documents.len());
        for d in &m.documents {
            documents
                .entry(d.origin.address.as_str())
                .or_insert(&d.document.content);
        }
        Lookups {
            orderings,
            holders,
            roles_by_arn,
            documents,
        }
    }
}

fn reference_locs(
    documents: &HashMap<&str, &PolicyContent>,
    content: &PolicyContent,
    depth: usize,
) -> HashSet<Loc> {
    fn walk(node: &Node, out: &mut HashSet<Loc>) {
        match &node.kind {
            NodeKind::Template(parts) if parts.iter().any(|p| matches!(p, Part::Ref(_))) => {
                out.insert(node.loc.clone());
            }
            NodeKind::List(items) => items.iter().for_each(|n| walk(n, out)),
            NodeKind::Map(entries) => entries.iter().for_each(|(_, n)| walk(n, out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    match content {
        PolicyContent::Parsed(node) => walk(node, &mut out),
        PolicyContent::Ref(r) if depth < 8 => {
            if let Some(named) = documents.get(&*r.target) {
                out = reference_locs(documents, named, depth + 1);
            }
        }
        _ => {}
    }
    out
}
