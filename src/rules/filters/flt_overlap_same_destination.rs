use super::{configurations, effective_priority, is_v2};
use crate::graph::{Resolved, RuleRef};
use crate::model::{ReplicationRule, Value};
use crate::rules::prelude::*;

declare_rule! {
    /// A broader rule with a higher priority shadows a more specific rule to the same destination.
    ///
    /// ## What goes wrong
    /// "If there are two or more rules with the same destination bucket, then objects are
    /// replicated according to the rule with the highest priority." For keys both rules match
    /// (one prefix starts with the other, and their tags do not contradict), the lower rule's
    /// storage class, replica key, owner override, RTC, metrics and delete marker setting do not
    /// apply. repl-lint reports a rule whose keys are all selected by a higher-priority rule to
    /// the same destination (its settings never apply) when those settings differ. A specific
    /// rule that wins over a broader one is the intended use of priorities and is not reported.
    ///
    /// ## How to fix
    /// Give the more specific rule the higher priority, or make the scopes disjoint, or remove
    /// the shadowed rule.
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// rule {
    ///   id       = "all"
    ///   priority = 2
    ///   filter {}
    ///   destination {
    ///     bucket        = aws_s3_bucket.dst.arn
    ///     storage_class = "STANDARD"
    ///   }
    ///   # ...
    /// }
    /// rule {
    ///   id       = "archive"
    ///   priority = 1
    ///   filter {
    ///     prefix = "archive/"
    ///   }
    ///   destination {
    ///     bucket        = aws_s3_bucket.dst.arn
    ///     storage_class = "GLACIER"
    ///   }
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed (the specific rule wins):
    /// ```hcl
    /// rule {
    ///   id       = "archive"
    ///   priority = 3
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, reported:
    /// ```yaml
    /// Rules:
    ///   - {Id: all, Priority: 2, Filter: {Prefix: ""}, Destination: {Bucket: !GetAtt Dst.Arn, StorageClass: STANDARD}, ...}
    ///   - {Id: archive, Priority: 1, Filter: {Prefix: archive/}, Destination: {Bucket: !GetAtt Dst.Arn, StorageClass: GLACIER}, ...}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///   - {Id: archive, Priority: 3, Filter: {Prefix: archive/}, Destination: {Bucket: !GetAtt Dst.Arn, StorageClass: GLACIER}, ...}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements" (Example 3, `star` / `starship`).
    pub FltOverlapSameDestination { id: "flt-overlap-same-destination", code: "J9", group: "filters", severity: Warning }
}

impl Rule for FltOverlapSameDestination {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for rules in configurations(cx.graph) {
            let candidates: Vec<_> = rules
                .iter()
                .filter(|r| r.is_active() && is_v2(r.rule))
                .filter(|r| matches!(r.rule_view.destination_arn, Resolved::Known(_)))
                .filter_map(|r| Some((r, effective_priority(r.rule)?, scope(r.rule)?)))
                .collect();
            for (i, (a, pa, sa)) in candidates.iter().enumerate() {
                for (b, pb, sb) in candidates.iter().skip(i + 1) {
                    if pa == pb || a.rule_view.destination_arn != b.rule_view.destination_arn {
                        continue;
                    }
                    let ((winner, won), (loser, lost)) = if pa > pb {
                        ((a, sa), (b, sb))
                    } else {
                        ((b, sb), (a, sa))
                    };
                    // A more specific rule winning over a broader one is the intended use of
                    // priorities; a broader rule winning shadows the specific one entirely.
                    if !won.covers(lost) {
                        continue;
                    }
                    let Some(setting) = differing_setting(winner.rule, loser.rule) else {
                        continue;
                    };
                    report(sink, winner, loser, setting);
                }
            }
        }
    }
}

fn report(sink: &mut Sink<'_>, winner: &RuleRef<'_, '_>, loser: &RuleRef<'_, '_>, setting: &str) {
    sink.report(
        &loser.rule.loc,
        format!(
            "every key {} selects is also selected by {}, which has the higher priority and the same destination {}: {}'s {setting} never applies",
            loser.label(),
            winner.label(),
            loser.destination_text(),
            loser.label()
        ),
    )
    .label(format!("{setting} never applies"))
    .related(&winner.rule.loc, "higher-priority rule")
    .help("give the more specific rule the higher priority, make the scopes disjoint, or remove the shadowed rule")
    .resource(loser.address())
    .discriminator(loser.key());
}

/// The keys a rule selects: a prefix and the tags every object must carry.
struct Scope {
    prefix: String,
    tags: Vec<(String, String)>,
}

impl Scope {
    /// Every key `other` selects is selected here too.
    fn covers(&self, other: &Scope) -> bool {
        other.prefix.starts_with(&self.prefix) && self.tags.iter().all(|t| other.tags.contains(t))
    }
}

/// `None` when part of the scope is not known.
fn scope(rule: &ReplicationRule) -> Option<Scope> {
    let filter = rule.filter.as_ref()?;
    let prefix = match &filter.prefix {
        Value::Known(p, _) => p.clone(),
        Value::Absent(_) => String::new(),
        _ => return None,
    };
    let tags = filter
        .tags
        .iter()
        .map(|t| Some((t.key.as_str()?.to_string(), t.value.as_str()?.to_string())))
        .collect::<Option<Vec<_>>>()?;
    Some(Scope { prefix, tags })
}

/// The first setting that differs between two rules, when all are known.
fn differing_setting(a: &ReplicationRule, b: &ReplicationRule) -> Option<&'static str> {
    let (da, db) = (&a.destination, &b.destination);
    let toggle = |t: &Option<crate::model::Toggle>| match t {
        Some(t) => t.status.clone(),
        None => Value::Absent(crate::source::Loc::None),
    };
    let ssc = |r: &ReplicationRule, sse: bool| match &r.source_selection {
        Some(s) if sse => s.sse_kms.clone(),
        Some(s) => s.replica_modifications.clone(),
        None => Value::Absent(crate::source::Loc::None),
    };
    let mut pairs = vec![
        (
            "storage class",
            da.storage_class.clone(),
            db.storage_class.clone(),
        ),
        (
            "replica KMS key",
            da.replica_kms_key.clone(),
            db.replica_kms_key.clone(),
        ),
        (
            "owner override",
            da.owner_override.clone(),
            db.owner_override.clone(),
        ),
        (
            "Replication Time Control",
            toggle(&da.replication_time),
            toggle(&db.replication_time),
        ),
        (
            "replication metrics",
            toggle(&da.metrics),
            toggle(&db.metrics),
        ),
        ("SSE-KMS object selection", ssc(a, true), ssc(b, true)),
        ("replica modification sync", ssc(a, false), ssc(b, false)),
    ];
    // Delete markers carry no tags: a tag-based rule never decides them.
    let tagged = |r: &ReplicationRule| r.filter.as_ref().is_some_and(|f| !f.tags.is_empty());
    if !tagged(a) && !tagged(b) {
        pairs.push((
            "delete marker replication",
            a.delete_marker_replication.clone(),
            b.delete_marker_replication.clone(),
        ));
    }
    let mut differing = None;
    for (name, x, y) in pairs {
        match (comparable(&x)?, comparable(&y)?) {
            (p, q) if p != q => {
                differing.get_or_insert(name);
            }
            _ => {}
        }
    }
    differing
}

/// A value that can be compared across rules: its text, or `None` (outer) when unknown.
fn comparable(v: &Value<String>) -> Option<Option<String>> {
    match v {
        Value::Known(s, _) => Some(Some(s.to_ascii_lowercase())),
        Value::Absent(_) => Some(None),
        Value::Ref(r, _) => Some(Some(format!("{}.{}", r.target, r.attr))),
        _ => None,
    }
}
