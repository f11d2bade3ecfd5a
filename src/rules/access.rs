//! What replication needs from IAM, asked of the engine once per need.
//!
//! Each permission rule takes the requirements that belong to it (`s3:ReplicateObject` on the
//! destination objects for `dstp-replicate-object`, ...) and reads the engine's decision:
//! an implicit deny on the identity side belongs to the `srcp-`/`dstp-`/`kms-` rule, on the
//! destination bucket policy to the `xdst-` rule, on the key policy to the key-policy rules; an
//! explicit deny or a boundary/SCP gap belongs to the `deny-` rules. That way one problem is
//! reported once, by the most specific rule.

use crate::graph::{
    DocId, DocOwner, DocState, Graph, KeyLink, Link, ReplicationView, Resolved, RoleView, RuleRef,
    Tri,
};
use crate::iam::{
    self, Decision, PolicyContext, Principal, Request, RequestContext, ResourceKind, Slot,
    Unknowable,
};
use crate::source::Loc;

use rayon::prelude::*;
use std::sync::Arc;

/// Text shared by the needs of one replication rule (the same ARN, owner and context serve
/// several actions): a check holds a counted reference, not its own copy.
pub type Shared = Arc<str>;

/// Where a requirement applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    SourceBucket,
    SourceObjects,
    DestinationObjects,
    SourceKey,
    DestinationKey,
}

/// One permission replication needs.
#[derive(Clone, Debug)]
pub struct Need {
    pub action: &'static str,
    pub side: Side,
    /// The resource of the request (an object ARN under the rule's prefix, a bucket or key ARN).
    pub resource: Shared,
    /// The pattern to grant in a fix (`arn:aws:s3:::dst/*`).
    pub grant: Shared,
    /// The account owning the resource, when known.
    pub owner: Option<Shared>,
    /// The resource policy that also decides (bucket policy, key policy).
    pub resource_policy: ResourcePolicy,
    pub kind: ResourceKind,
    pub context: Context,
}

/// Request context keys a need adds to the role session's.
pub type Context = Arc<[(&'static str, String)]>;

impl Need {
    /// Sets one context key (replacing its value), for "what if" questions.
    pub fn set_context(&mut self, key: &'static str, value: String) {
        let mut context: Vec<(&'static str, String)> = self
            .context
            .iter()
            .filter(|(k, _)| *k != key)
            .cloned()
            .collect();
        context.push((key, value));
        self.context = context.into();
    }
}

#[derive(Clone, Debug)]
pub enum ResourcePolicy {
    None,
    Doc(DocId),
    /// The resource exists but its policy is not in the input (or not known before apply).
    Unknown(Shared),
    /// A KMS key without an explicit policy: AWS's default (root "Enable IAM policies").
    DefaultKeyPolicy {
        account: Option<String>,
    },
}

/// The role's side of every request: principal, identity policies, boundary, SCPs.
pub struct RoleAccess<'g> {
    pub principal: Principal,
    /// The request context of the principal's session, built once for all of its needs.
    session: RequestContext,
    identity: Vec<&'g iam::Policy>,
    boundary: Option<&'g iam::Policy>,
    scps: Vec<Vec<&'g iam::Policy>>,
    unknown: Vec<Unknowable>,
}

fn parsed<'g>(g: &'g Graph<'_>, id: DocId) -> Result<&'g iam::Policy, String> {
    match &g.doc(id).state {
        DocState::Parsed { policy, .. } => Ok(policy),
        DocState::Invalid { message, .. } => Err(format!(
            "the policy of `{}` is not valid JSON ({message})",
            g.doc(id).address
        )),
        DocState::Unknown(why) => Err(format!(
            "the policy of `{}` is not known: {why}",
            g.doc(id).address
        )),
    }
}

impl<'g> RoleAccess<'g> {
    pub fn new(g: &'g Graph<'_>, role: &RoleView) -> RoleAccess<'g> {
        let mut unknown = Vec::new();
        let mut identity = Vec::new();
        for &id in &role.identity {
            match parsed(g, id) {
                Ok(p) => identity.push(p),
                Err(why) => unknown.push(Unknowable {
                    slot: Slot::Identity,
                    why,
                }),
            }
        }
        for (why, _) in &role.identity_unknown {
            unknown.push(Unknowable {
                slot: Slot::Identity,
                why: why.to_string(),
            });
        }
        let boundary = match &role.boundary {
            Link::Found(id) => match parsed(g, *id) {
                Ok(p) => Some(p),
                Err(why) => {
                    unknown.push(Unknowable {
                        slot: Slot::Boundary,
                        why,
                    });
                    None
                }
            },
            Link::External(arn) => {
                unknown.push(Unknowable {
                    slot: Slot::Boundary,
                    why: format!(
                        "the permissions boundary `{}` is not in the input",
                        g.display(arn)
                    ),
                });
                None
            }
            Link::Unknown(why) => {
                unknown.push(Unknowable {
                    slot: Slot::Boundary,
                    why: why.to_string(),
                });
                None
            }
            Link::Absent => None,
        };
        let role_arn = role.arn.known().unwrap_or_default().to_string();
        let mut principal = Principal::role_session(&role_arn);
        if let Some(account) = role.account.known() {
            principal.account = Some(account.to_string());
        }
        let scps = g
            .scps_for(role.account.concrete())
            .into_iter()
            .map(|level| {
                let mut policies: Vec<&iam::Policy> =
                    level.iter().filter_map(|id| parsed(g, *id).ok()).collect();
                if g.scp_level_allows_nothing(&level) {
                    policies.push(g.full_aws_access());
                }
                policies
            })
            .collect();
        RoleAccess {
            session: RequestContext::for_role_session(&principal),
            principal,
            identity,
            boundary,
            scps,
            unknown,
        }
    }

    /// The engine's answer for one need.
    pub fn decide(&self, g: &Graph<'_>, need: &Need) -> Decision {
        self.decide_in(g, need, &self.context_for(&need.context))
    }

    /// The session's request context with the keys a need adds.
    fn context_for(&self, added: &Context) -> RequestContext {
        let mut context = self.session.clone();
        for (k, v) in added.iter() {
            context.set_one(k, v.clone());
        }
        context
    }

    /// The engine's answer for one need, asked in `context` (built by
    /// [`RoleAccess::context_for`] from the need's context).
    fn decide_in(&self, g: &Graph<'_>, need: &Need, context: &RequestContext) -> Decision {
        let mut unknown = self.unknown.clone();
        let resource_policy = match &need.resource_policy {
            ResourcePolicy::None => None,
            ResourcePolicy::Doc(id) => match parsed(g, *id) {
                Ok(p) => Some(p),
                Err(why) => {
                    unknown.push(Unknowable {
                        slot: Slot::Resource,
                        why,
                    });
                    None
                }
            },
            ResourcePolicy::Unknown(why) => {
                unknown.push(Unknowable {
                    slot: Slot::Resource,
                    why: why.to_string(),
                });
                None
            }
            ResourcePolicy::DefaultKeyPolicy { account } => {
                Some(default_key_policy(g, account.as_deref()))
            }
        };
        let request = Request {
            principal: &self.principal,
            action: need.action,
            resource: &need.resource,
            resource_owner: need.owner.as_deref(),
            context,
        };
        let policies = PolicyContext {
            identity: self.identity.clone(),
            boundary: self.boundary,
            resource_policy,
            resource_kind: need.kind,
            scps: self.scps.clone(),
            unknown,
        };
        iam::evaluate(&request, &policies)
    }
}

/// AWS's default key policy: the key's account root may use the key, enabling IAM policies.
fn default_key_policy<'g>(g: &'g Graph<'_>, account: Option<&str>) -> &'g iam::Policy {
    g.default_key_policy(account)
}

/// The object ARN a rule replicates (a representative key under its prefix).
fn object_arn(bucket_arn: &str, prefix: &str) -> String {
    format!("{bucket_arn}/{prefix}replicated-object")
}

fn object_grant(bucket_arn: &str, prefix: &str) -> Shared {
    format!("{bucket_arn}/{prefix}*").into()
}

/// The prefix a rule selects (V2 filter prefix, `And` prefix, or V1 rule prefix); "" when it
/// selects everything or when the prefix is not known.
pub fn scope_prefix(r: &RuleRef<'_, '_>) -> String {
    let from_filter = r.rule.filter.as_ref().and_then(|f| f.prefix.as_str());
    from_filter
        .or(r.rule.prefix.as_str())
        .unwrap_or("")
        .to_string()
}

fn bucket_policy(
    g: &Graph<'_>,
    bucket: Option<usize>,
    external_why: impl FnOnce() -> String,
) -> ResourcePolicy {
    match bucket {
        Some(b) => match g.buckets[b].policy {
            Some(id) => ResourcePolicy::Doc(id),
            None => ResourcePolicy::None,
        },
        None => ResourcePolicy::Unknown(external_why().into()),
    }
}

/// Everything one replication rule needs, with requests filled in.
pub fn needs(r: &RuleRef<'_, '_>) -> Vec<Need> {
    let g = r.graph;
    let mut out = Vec::new();
    let prefix = scope_prefix(r);
    let src = r.source();
    let src_arn: Option<Shared> = src.and_then(|s| s.arn.known().map(Shared::from));
    let src_owner: Option<Shared> = r.source_account().known().map(Shared::from);
    let src_context: Context = Arc::new([requested_region(
        src.and_then(|s| s.region.concrete()),
        "source bucket",
    )]);
    if let Some(src_arn) = &src_arn {
        let policy = bucket_policy(g, src.map(|s| s.index), String::new);
        for action in ["s3:GetReplicationConfiguration", "s3:ListBucket"] {
            out.push(Need {
                action,
                side: Side::SourceBucket,
                resource: src_arn.clone(),
                grant: src_arn.clone(),
                owner: src_owner.clone(),
                resource_policy: policy.clone(),
                kind: ResourceKind::S3,
                context: src_context.clone(),
            });
        }
        let mut object_actions = vec![
            "s3:GetObjectVersionForReplication",
            "s3:GetObjectVersionAcl",
            "s3:GetObjectVersionTagging",
        ];
        if src.is_some_and(|s| s.object_lock.value.is_true()) {
            object_actions.extend(["s3:GetObjectRetention", "s3:GetObjectLegalHold"]);
        }
        let objects: Shared = object_arn(src_arn, &prefix).into();
        let grant = object_grant(src_arn, &prefix);
        for action in object_actions {
            out.push(Need {
                action,
                side: Side::SourceObjects,
                resource: objects.clone(),
                grant: grant.clone(),
                owner: src_owner.clone(),
                resource_policy: policy.clone(),
                kind: ResourceKind::S3,
                context: src_context.clone(),
            });
        }
    }
    let dst_arn = match &r.rule_view.destination_arn {
        Resolved::Known(a) if crate::model::arn::bucket_name_of(a).is_some() => Some(a.clone()),
        _ => r
            .destination()
            .and_then(|d| d.arn.known().map(str::to_string)),
    };
    if let Some(dst_arn) = &dst_arn {
        let dst_owner: Option<Shared> = r.destination_account().known().map(Shared::from);
        let policy = bucket_policy(g, r.destination().map(|d| d.index), || {
            format!(
                "the destination bucket `{}` and its bucket policy are not in the input",
                g.display(dst_arn)
            )
        });
        let mut actions = vec!["s3:ReplicateObject", "s3:ReplicateTags"];
        let v1 = r.rule.filter.is_none();
        if r.rule.delete_marker_replication.is("Enabled") || v1 {
            actions.push("s3:ReplicateDelete");
        }
        if r.rule.destination.owner_override.is_present() {
            actions.push("s3:ObjectOwnerOverrideToBucketOwner");
        }
        let sse = src
            .and_then(|s| {
                s.sse
                    .and_then(|(sse, _)| sse.algorithm.as_str().map(str::to_string))
            })
            .unwrap_or_else(|| "AES256".to_string());
        let dst_region = requested_region(
            r.destination().and_then(|d| d.region.concrete()),
            "destination bucket",
        );
        let objects: Shared = object_arn(dst_arn, &prefix).into();
        let grant = object_grant(dst_arn, &prefix);
        let plain_context: Context = Arc::new([dst_region.clone()]);
        for action in actions {
            let context = if action == "s3:ReplicateObject" {
                let mut context = vec![dst_region.clone()];
                context.push(("s3:x-amz-server-side-encryption", sse.clone()));
                // A KMS replica is written with the rule's replica key.
                if let Some(key) = replica_key_arn(r).filter(|_| sse.starts_with("aws:kms")) {
                    context.push(("s3:x-amz-server-side-encryption-aws-kms-key-id", key));
                }
                context.into()
            } else {
                plain_context.clone()
            };
            out.push(Need {
                action,
                side: Side::DestinationObjects,
                resource: objects.clone(),
                grant: grant.clone(),
                owner: dst_owner.clone(),
                resource_policy: policy.clone(),
                kind: ResourceKind::S3,
                context,
            });
        }
    }
    out.extend(kms_needs(
        r,
        src_arn.as_deref(),
        dst_arn.as_deref(),
        &prefix,
    ));
    out
}

/// `aws:RequestedRegion` of a replication request: the region of the resource it goes to
/// (catalogue §2.5), unknown when the input does not state it.
fn requested_region(region: Option<&str>, of: &str) -> (&'static str, String) {
    let value = match region {
        Some(r) => r.to_string(),
        None => iam::atom::unknown(&format!("region of the {of}")),
    };
    ("aws:RequestedRegion", value)
}

/// The ARN (or id, as written) of the key a rule encrypts replicas with.
fn replica_key_arn(r: &RuleRef<'_, '_>) -> Option<String> {
    match &r.rule_view.replica_key {
        KeyLink::Found(k) => r.graph.keys[*k].arn.known().map(str::to_string),
        KeyLink::External(text) => Some(text.clone()),
        _ => None,
    }
}

fn key_need(
    r: &RuleRef<'_, '_>,
    action: &'static str,
    side: Side,
    key: usize,
    bucket_arn: &str,
    prefix: &str,
) -> Need {
    let g = r.graph;
    let view = &g.keys[key];
    let arn: Shared = view.arn.known().unwrap_or_default().into();
    let region = view.region.concrete().unwrap_or("us-east-1").to_string();
    let resource_policy = match view.policy {
        Some(id) => ResourcePolicy::Doc(id),
        None => ResourcePolicy::DefaultKeyPolicy {
            account: view.account.concrete().map(str::to_string),
        },
    };
    Need {
        action,
        side,
        resource: arn.clone(),
        grant: arn,
        owner: view.account.known().map(Shared::from),
        resource_policy,
        kind: ResourceKind::Kms,
        context: {
            let mut context = vec![
                requested_region(view.region.concrete(), "key"),
                ("kms:ViaService", format!("s3.{region}.amazonaws.com")),
                (
                    "kms:EncryptionContext:aws:s3:arn",
                    object_arn(bucket_arn, prefix),
                ),
            ];
            // The replication role's account calls KMS (catalogue §2, inferred).
            if let Some(account) = r.source_account().known() {
                context.push(("kms:CallerAccount", account.to_string()));
            }
            context.into()
        },
    }
}

fn kms_needs(
    r: &RuleRef<'_, '_>,
    src_arn: Option<&str>,
    dst_arn: Option<&str>,
    prefix: &str,
) -> Vec<Need> {
    let mut out = Vec::new();
    let opted_in = r
        .rule
        .source_selection
        .as_ref()
        .is_some_and(|s| s.sse_kms.is("Enabled"));
    if !opted_in {
        return out;
    }
    if let (Some(src_arn), Some(KeyLink::Found(k))) = (src_arn, r.source_key()) {
        out.push(key_need(
            r,
            "kms:Decrypt",
            Side::SourceKey,
            k,
            src_arn,
            prefix,
        ));
    }
    if let (Some(dst_arn), KeyLink::Found(k)) = (dst_arn, &r.rule_view.replica_key) {
        out.push(key_need(
            r,
            "kms:Encrypt",
            Side::DestinationKey,
            *k,
            dst_arn,
            prefix,
        ));
        out.push(key_need(
            r,
            "kms:GenerateDataKey",
            Side::DestinationKey,
            *k,
            dst_arn,
            prefix,
        ));
    }
    out
}

/// Why a need is not met, by who is responsible.
#[derive(Clone, Debug)]
pub enum Gap {
    /// The role's identity policies grant nothing for it.
    Identity,
    /// The resource policy (destination bucket policy, key policy) grants nothing to the role.
    ResourcePolicy,
    Boundary,
    Scp(usize),
    /// A Deny statement decides, at this statement.
    Denied(iam::StatementRef),
    /// Not decidable from the input.
    CannotTell(String),
}

/// Keys whose value on replication requests cannot be known from configuration: a deny that
/// depends on them is not certain.
const UNKNOWABLE_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
    "aws:principaltag",
    "aws:resourcetag",
    "s3:existingobjecttag",
    "aws:calledvia",
];

/// The gaps a decision reveals; empty when the need is met.
pub fn gaps(g: &Graph<'_>, decision: &Decision) -> Vec<Gap> {
    match decision {
        Decision::Allow { .. } => Vec::new(),
        Decision::ExplicitDeny { by } => {
            if deny_depends_on_unknowable(g, by) {
                vec![Gap::CannotTell("a Deny statement depends on condition keys whose values on replication requests are not known".into())]
            } else {
                vec![Gap::Denied((**by).clone())]
            }
        }
        Decision::ImplicitDeny { missing } => missing
            .iter()
            .map(|s| match s {
                Slot::Identity => Gap::Identity,
                Slot::Resource => Gap::ResourcePolicy,
                Slot::Boundary => Gap::Boundary,
                Slot::Scp(level) => Gap::Scp(*level),
            })
            .collect(),
        Decision::Unknown { why, .. } => vec![Gap::CannotTell(g.display(why))],
    }
}

fn deny_depends_on_unknowable(g: &Graph<'_>, by: &iam::StatementRef) -> bool {
    let Some(statement) = g.statement_at(&by.loc) else {
        return false;
    };
    statement.conditions.iter().any(|c| {
        let key = c.key.text.to_ascii_lowercase();
        UNKNOWABLE_KEYS
            .iter()
            .any(|k| key == *k || key.starts_with(&format!("{k}/")))
    })
}

/// Whether the role side of a replication can be evaluated, and the role.
pub fn role_of<'g>(r: &RuleRef<'g, '_>) -> Option<&'g RoleView> {
    r.view.role.found().map(|i| &r.graph.roles[i])
}

/// Same-account or cross-account for the destination side of a need.
pub fn cross_account(r: &RuleRef<'_, '_>) -> Tri {
    r.cross_account()
}

/// Where to add a grant to the role: its first identity policy (and the resource holding it),
/// else the role.
pub fn identity_anchor(g: &Graph<'_>, role: &RoleView) -> (Loc, String) {
    role.identity
        .iter()
        .find(|id| g.doc(**id).owner == DocOwner::Identity)
        .map(|id| (g.doc(*id).doc.loc.clone(), g.doc(*id).address.clone()))
        .unwrap_or_else(|| {
            let origin = &g.model.roles[role.index].origin;
            (origin.header.clone(), origin.address.clone())
        })
}

/// An Allow statement to add, as JSON.
pub fn allow_statement(
    g: &Graph<'_>,
    principal: Option<&str>,
    actions: &[&str],
    resource: &str,
) -> String {
    let actions = if actions.len() == 1 {
        format!("\"{}\"", actions[0])
    } else {
        format!(
            "[{}]",
            actions
                .iter()
                .map(|a| format!("\"{a}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let principal = principal
        .map(|p| format!("\"Principal\": {{\"AWS\": \"{}\"}}, ", g.display(p)))
        .unwrap_or_default();
    format!(
        "{{\"Effect\": \"Allow\", {principal}\"Action\": {actions}, \"Resource\": \"{}\"}}",
        g.display(resource)
    )
}

/// One need of one replication rule, with the engine's decision.
pub struct Checked {
    pub replication: usize,
    pub rule: usize,
    pub role: usize,
    pub need: Need,
    pub decision: Decision,
}

/// The decision for the same request with another action (for documented substitutes such as
/// `s3:GetObjectVersion` for `s3:GetObjectVersionForReplication`).
pub fn decide_with_action(g: &Graph<'_>, c: &Checked, action: &'static str) -> Decision {
    let access = RoleAccess::new(g, &g.roles[c.role]);
    let mut need = c.need.clone();
    need.action = action;
    access.decide(g, &need)
}

/// How many replication configurations one worker decides in a row: a role's side of the
/// requests is built once per run of configurations, and large inputs have a role per
/// configuration, so a short run rebuilds little.
const CHECK_CHUNK: usize = 64;

/// The permission checks of a run, ordered by replication configuration, in runs of
/// [`CHECK_CHUNK`] configurations (decided on all cores, kept as they came: joined, they were
/// a large copy after the last decision).
pub struct Checks {
    runs: Vec<CheckRun>,
}

struct CheckRun {
    checks: Vec<Checked>,
    /// Where each configuration's checks start in `checks`.
    starts: Vec<usize>,
}

impl Checks {
    pub fn iter(&self) -> impl Iterator<Item = &Checked> + Clone {
        self.runs.iter().flat_map(|run| &run.checks)
    }

    /// The checks of configuration `replication`.
    pub fn of(&self, replication: usize) -> &[Checked] {
        let Some(run) = self.runs.get(replication / CHECK_CHUNK) else {
            return &[];
        };
        let at = replication % CHECK_CHUNK;
        let start = run.starts.get(at).copied().unwrap_or(0);
        let end = run.starts.get(at + 1).copied().unwrap_or(run.checks.len());
        run.checks.get(start..end).unwrap_or_default()
    }
}

/// Every need of every active rule whose role is in the input, decided once per run.
///
/// Runs of configurations are decided on all cores. The caller must not hold the pool's other
/// workers waiting on the result (a `OnceLock` initialised from a pool worker would), or the
/// runs are decided one after the other.
pub fn check_all(g: &Graph<'_>) -> Checks {
    let runs = g
        .replications
        .par_chunks(CHECK_CHUNK)
        .enumerate()
        .map(|(n, views)| check_run(g, n * CHECK_CHUNK, views))
        .collect();
    Checks { runs }
}

/// The needs of the configurations `views`, the first of which is configuration `first`.
fn check_run(g: &Graph<'_>, first: usize, views: &[ReplicationView]) -> CheckRun {
    // At most 14 needs per rule (bucket, object reads with Object Lock, four writes, three key
    // uses): reserved once, where growing moved every check several times.
    let rules: usize = views.iter().map(|v| v.rules.len()).sum();
    let mut out = Vec::with_capacity(rules * 14);
    let mut accesses: foldhash::HashMap<usize, RoleAccess<'_>> = foldhash::HashMap::default();
    let mut starts = Vec::with_capacity(views.len());
    for (ri, view) in (first..).zip(views) {
        starts.push(out.len());
        let Some(role) = view.role.found() else {
            continue;
        };
        for rule in 0..view.rules.len() {
            let Some(r) = g.rule_ref(ri, rule) else {
                continue;
            };
            if !r.is_active() {
                continue;
            }
            let access = accesses
                .entry(role)
                .or_insert_with(|| RoleAccess::new(g, &g.roles[role]));
            // The needs of one rule share a few context lists: each is built into a request
            // context once, not once per need.
            let mut last: Option<(Context, RequestContext)> = None;
            for need in needs(&r) {
                let (added, context) = match last.take() {
                    Some((added, built)) if Arc::ptr_eq(&added, &need.context) => (added, built),
                    _ => (need.context.clone(), access.context_for(&need.context)),
                };
                let decision = access.decide_in(g, &need, &context);
                last = Some((added, context));
                out.push(Checked {
                    replication: ri,
                    rule,
                    role,
                    need,
                    decision,
                });
            }
        }
    }
    CheckRun {
        checks: out,
        starts,
    }
}
