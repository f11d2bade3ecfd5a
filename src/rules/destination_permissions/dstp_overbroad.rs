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
        // Flags by bucket index: sets of thousands of indices were mostly rehashing.
        let mut receivers = vec![false; g.buckets.len()];
        let mut senders = vec![false; g.buckets.len()];
        let mark = |flags: &mut Vec<bool>, i: usize| {
            if let Some(flag) = flags.get_mut(i) {
                *flag = true;
            }
        };
        for view in &g.replications {
            if let Link::Found(s) = view.source {
                mark(&mut senders, s);
            }
            for rv in &view.rules {
                if let Link::Found(d) = rv.destination {
                    mark(&mut receivers, d);
                }
            }
        }
        let flagged = |flags: &[bool], i: usize| flags.get(i).copied().unwrap_or(false);
        // Source and destination buckets of every configuration using a role, by role, in
        // configuration order (a scan of all configurations per role was quadratic).
        let mut buckets_by_role: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        buckets_by_role.resize_with(g.roles.len(), Default::default);
        for other in &g.replications {
            let Link::Found(role_index) = other.role else {
                continue;
            };
            let Some((sources, destinations)) = buckets_by_role.get_mut(role_index) else {
                continue;
            };
            if let Some(s) = other.source.found() {
                sources.push(s);
            }
            destinations.extend(other.rules.iter().filter_map(|rv| rv.destination.found()));
        }
        let no_buckets = (Vec::new(), Vec::new());
        let mut roles_done = vec![false; g.roles.len()];
        let mut reported = foldhash::HashSet::default();
        for view in &g.replications {
            let Link::Found(role_index) = view.role else {
                continue;
            };
            match roles_done.get_mut(role_index) {
                Some(done) if !*done => *done = true,
                _ => continue,
            }
            let role = &g.roles[role_index];
            let (sources, destinations) = buckets_by_role.get(role_index).unwrap_or(&no_buckets);
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
                                !flagged(&receivers, s)
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
                                !flagged(&senders, d)
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
