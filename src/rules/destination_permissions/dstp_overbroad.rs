use crate::graph::Link;
use crate::iam::matching::{Match, glob};
use crate::iam::{Effect, Item, ResourceSpec};
use crate::rules::grants::{covers_action, role_text};
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role is granted more than replication needs.
    ///
    /// ## What goes wrong
    /// Nothing breaks, but the role can do more than replicate: `s3:Replicate*` granted on `*`
    /// (every bucket), on the source bucket's objects (only needed for two-way replication), or
    /// source read actions (`s3:GetObjectVersionForReplication`, ...) granted on the destination
    /// (only needed when it replicates back). Anyone who can pass the role can use the surplus.
    ///
    /// ## How to fix
    /// Grant the source read actions on `arn:aws:s3:::SRC/*` and the replicate actions on
    /// `arn:aws:s3:::DST/*` only.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///   resources = ["*"]
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///   resources = ["${aws_s3_bucket.dst.arn}/*"]
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
    ///   Resource: "*"
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
    ///   Resource: !Sub "${Dst.Arn}/*"
    /// ```
    ///
    /// ## Sources
    /// Blog "Step-by-Step Guide: Setting Up Cross-Account S3 Bucket Replication in AWS" (grants
    /// Replicate* on the source objects and Get*/List on the destination); S3 User Guide,
    /// "Setting up permissions for live replication".
    pub DstpOverbroad { id: "dstp-overbroad", code: "F7", group: "destination-permissions", severity: Info }
}

fn everything(item: &Item) -> bool {
    let t = item.text.as_str();
    t == "*" || t.ends_with(":s3:::*") || t.ends_with(":s3:::*/*")
}

fn matches_objects_of(item: &Item, bucket_arn: &str) -> bool {
    glob(
        &item.text,
        &format!("{bucket_arn}/replicated-object"),
        false,
    ) == Match::Yes
}

impl Rule for DstpOverbroad {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        // Buckets that receive replicas and buckets that replicate, by index.
        let mut receivers = foldhash::HashSet::default();
        let mut senders = foldhash::HashSet::default();
        for view in &g.replications {
            if let Link::Found(s) = view.source {
                senders.insert(s);
            }
            for rv in &view.rules {
                if let Link::Found(d) = rv.destination {
                    receivers.insert(d);
                }
            }
        }
        // Source and destination buckets of every configuration using a role, by role, in
        // configuration order (a scan of all configurations per role was quadratic).
        let mut buckets_by_role: foldhash::HashMap<usize, (Vec<usize>, Vec<usize>)> =
            foldhash::HashMap::default();
        for other in &g.replications {
            let Link::Found(role_index) = other.role else {
                continue;
            };
            let (sources, destinations) = buckets_by_role.entry(role_index).or_default();
            if let Some(s) = other.source.found() {
                sources.push(s);
            }
            destinations.extend(other.rules.iter().filter_map(|rv| rv.destination.found()));
        }
        let no_buckets = (Vec::new(), Vec::new());
        let mut roles_done = foldhash::HashSet::default();
        let mut reported = foldhash::HashSet::default();
        for view in &g.replications {
            let Link::Found(role_index) = view.role else {
                continue;
            };
            if !roles_done.insert(role_index) {
                continue;
            }
            let role = &g.roles[role_index];
            let (sources, destinations) = buckets_by_role.get(&role_index).unwrap_or(&no_buckets);
            for &id in &role.identity {
                let Some(policy) = g.policy(id) else { continue };
                for st in &policy.statements {
                    if st.effect != Some(Effect::Allow) {
                        continue;
                    }
                    let Some(ResourceSpec::Resource(items)) = &st.resource else {
                        continue;
                    };
                    let replicates = covers_action(st, "s3:ReplicateObject");
                    let reads = covers_action(st, "s3:GetObjectVersionForReplication");
                    for item in items {
                        let surplus = if replicates && everything(item) {
                            Some("s3:Replicate* on every bucket".to_string())
                        } else if everything(item) {
                            None
                        } else if replicates
                            && let Some(&s) = sources.iter().find(|&&s| {
                                !receivers.contains(&s)
                                    && g.buckets[s]
                                        .arn
                                        .known()
                                        .is_some_and(|a| matches_objects_of(item, a))
                            })
                        {
                            Some(format!(
                                "s3:Replicate* on the objects of source bucket `{}`, which receives no replicas",
                                g.bucket_text(&g.buckets[s])
                            ))
                        } else if reads
                            && let Some(&d) = destinations.iter().find(|&&d| {
                                !senders.contains(&d)
                                    && g.buckets[d]
                                        .arn
                                        .known()
                                        .is_some_and(|a| matches_objects_of(item, a))
                            })
                        {
                            Some(format!(
                                "source read actions on the objects of destination bucket `{}`, which replicates nothing",
                                g.bucket_text(&g.buckets[d])
                            ))
                        } else {
                            None
                        };
                        let Some(surplus) = surplus else { continue };
                        if !reported.insert(item.loc.clone()) {
                            continue;
                        }
                        sink.report(
                            &item.loc,
                            format!(
                                "replication role `{}` is granted {surplus}; replication does not need it",
                                role_text(g, role)
                            ),
                        )
                        .label("broader than replication needs")
                        .help("grant the source read actions on arn:aws:s3:::SRC/* and the replicate actions on arn:aws:s3:::DST/* only")
                        .resource(g.doc(id).address.as_str());
                    }
                }
            }
        }
    }
}
