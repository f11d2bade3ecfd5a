//! Composes identity policies, permissions boundary, resource policy and SCPs into a decision
//! (iam-semantics.md "Composition"), in three-valued logic.
//!
//! Unknown inputs. An input that exists but whose content is not known (an [`Unknowable`], or
//! the opaque parts of a policy) is treated as *possibly allowing* and *never as denying*:
//! * identity and resource policies are sources of grants: an unknown one can turn an implicit
//!   deny into `Unknown`, but a certain Allow stays Allow;
//! * boundaries and SCPs are filters that must allow: an unknown one makes the allow it filters
//!   `Maybe`, since that is exactly what it decides;
//! * no unknown input is assumed to hold a Deny. Assuming so would make every decision touching
//!   a computed policy `Unknown`, and the project reports no deny it cannot prove. Denies in known
//!   documents are always applied, so a certain explicit deny stays ExplicitDeny.

use crate::source::Loc;

use super::atom;
use super::conditions;
use super::matching::{self, Match};
use super::policy::{
    ActionSpec, Effect, Policy, PolicyKind, PrincipalSpec, PrincipalType, ResourceSpec, Statement,
};
use super::request::{Principal, Request, arn_parts};
use super::variables;

/// What kind of resource the request is on; it decides how the resource policy composes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ResourceKind {
    /// Union of identity and resource policy in the same account.
    #[default]
    S3,
    /// The key policy must allow, directly or by delegating to IAM.
    Kms,
    /// Same rules as S3 (most AWS resources).
    Other,
    /// An IAM role's trust policy: like a key policy, the resource policy must allow.
    RoleTrust,
}

impl ResourceKind {
    pub fn from_arn(arn: &str) -> ResourceKind {
        match arn_parts(arn).map(|p| p[2]) {
            Some("s3") => ResourceKind::S3,
            Some("kms") => ResourceKind::Kms,
            _ => ResourceKind::Other,
        }
    }
}

/// Where a policy sits in the evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    Identity,
    Resource,
    Boundary,
    /// One level of the organization chain, root first.
    Scp(usize),
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Slot::Identity => f.write_str("identity policy"),
            Slot::Resource => f.write_str("resource policy"),
            Slot::Boundary => f.write_str("permissions boundary"),
            Slot::Scp(level) => write!(f, "SCP level {level}"),
        }
    }
}

/// An input that exists but whose content is not known (computed at apply, outside the input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknowable {
    pub slot: Slot,
    pub why: String,
}

#[derive(Clone, Debug, Default)]
pub struct PolicyContext<'a> {
    pub identity: Vec<&'a Policy>,
    pub boundary: Option<&'a Policy>,
    pub resource_policy: Option<&'a Policy>,
    pub resource_kind: ResourceKind,
    /// One list per level of the organization chain, root first. Empty: no SCPs apply.
    pub scps: Vec<Vec<&'a Policy>>,
    pub unknown: Vec<Unknowable>,
}

/// Points at one statement so that diagnostics can show it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StatementRef {
    pub slot: Slot,
    /// Index within the slot: identity policy number, or policy number within an SCP level.
    pub policy_index: usize,
    pub statement: usize,
    pub sid: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow {
        by: Vec<StatementRef>,
    },
    /// No Allow where one was needed; `missing` lists the sides that lacked it.
    ImplicitDeny {
        missing: Vec<Slot>,
    },
    ExplicitDeny {
        /// Boxed: the rare case, and every check of a large input holds a decision.
        by: Box<StatementRef>,
    },
    /// The outcome depends on values or documents not known before apply.
    Unknown {
        why: String,
        by: Vec<StatementRef>,
    },
}

impl Decision {
    pub fn is_allow(&self) -> bool {
        matches!(self, Decision::Allow { .. })
    }

    pub fn is_deny(&self) -> bool {
        matches!(
            self,
            Decision::ImplicitDeny { .. } | Decision::ExplicitDeny { .. }
        )
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Decision::Unknown { .. })
    }
}

/// A three-valued fact with the statements and reasons behind it.
#[derive(Clone, Debug)]
struct Side {
    m: Match,
    by: Vec<StatementRef>,
    why: Vec<String>,
}

impl Side {
    fn new(m: Match) -> Side {
        Side {
            m,
            by: Vec::new(),
            why: Vec::new(),
        }
    }

    fn maybe(why: String) -> Side {
        Side {
            m: Match::Maybe,
            by: Vec::new(),
            why: vec![why],
        }
    }

    fn or(self, other: Side) -> Side {
        match self.m.cmp(&other.m) {
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Equal if self.m == Match::No => self,
            std::cmp::Ordering::Equal => self.merge(other),
        }
    }

    fn and(self, other: Side) -> Side {
        let m = self.m.and(other.m);
        if m == Match::No {
            return Side::new(Match::No);
        }
        let mut s = self.merge(other);
        s.m = m;
        s
    }

    fn merge(mut self, other: Side) -> Side {
        for b in other.by {
            if !self.by.contains(&b) {
                self.by.push(b);
            }
        }
        for w in other.why {
            if !self.why.contains(&w) {
                self.why.push(w);
            }
        }
        self
    }
}

/// Resource-policy grants, by the form of principal that matched: the forms compose differently.
#[derive(Clone, Debug)]
struct Grants {
    /// The session ARN, a user ARN or a service principal: not limited by the boundary.
    direct: Side,
    /// The role ARN of the session: limited by the boundary.
    role: Side,
    /// `"*"` or `{"AWS": "*"}`: matches the session, so composes like `direct`.
    any: Side,
    /// The principal's account (`…:root` or the 12-digit id): delegates to identity policies.
    account: Side,
}

impl Grants {
    fn none() -> Grants {
        Grants {
            direct: Side::new(Match::No),
            role: Side::new(Match::No),
            any: Side::new(Match::No),
            account: Side::new(Match::No),
        }
    }

    fn all(&self) -> Side {
        self.direct
            .clone()
            .or(self.role.clone())
            .or(self.any.clone())
            .or(self.account.clone())
    }
}

/// How a principal element entry relates to the caller.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Direct,
    Role,
    Any,
    Account,
}

pub fn evaluate(req: &Request<'_>, policies: &PolicyContext<'_>) -> Decision {
    let has_boundary = if policies.boundary.is_some() {
        Match::Yes
    } else if policies.unknown.iter().any(|u| u.slot == Slot::Boundary) {
        Match::Maybe
    } else {
        Match::No
    };
    let mut ev = Evaluator {
        req,
        deny: Side::new(Match::No),
        has_boundary,
    };

    let mut identity = Side::new(Match::No);
    for (i, p) in policies.identity.iter().enumerate() {
        identity = identity.or(ev.scan(p, Slot::Identity, i));
    }
    for u in policies.unknown.iter().filter(|u| u.slot == Slot::Identity) {
        identity = identity.or(Side::maybe(format!(
            "an identity policy is not known: {}",
            u.why
        )));
    }

    let unknown_boundary: Vec<&Unknowable> = policies
        .unknown
        .iter()
        .filter(|u| u.slot == Slot::Boundary)
        .collect();
    let boundary_present = policies.boundary.is_some() || !unknown_boundary.is_empty();
    let mut boundary = Side::new(if boundary_present {
        Match::No
    } else {
        Match::Yes
    });
    if let Some(b) = policies.boundary {
        boundary = boundary.or(ev.scan(b, Slot::Boundary, 0));
    }
    for u in unknown_boundary {
        boundary = boundary.or(Side::maybe(format!(
            "the permissions boundary is not known: {}",
            u.why
        )));
    }

    let levels = policies.scps.len().max(
        policies
            .unknown
            .iter()
            .filter_map(|u| {
                if let Slot::Scp(l) = u.slot {
                    Some(l + 1)
                } else {
                    None
                }
            })
            .max()
            .unwrap_or(0),
    );
    let mut scp_levels = Vec::with_capacity(levels);
    for level in 0..levels {
        let mut allow = Side::new(Match::No);
        for (i, p) in policies
            .scps
            .get(level)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            allow = allow.or(ev.scan(p, Slot::Scp(level), i));
        }
        for u in policies
            .unknown
            .iter()
            .filter(|u| u.slot == Slot::Scp(level))
        {
            allow = allow.or(Side::maybe(format!(
                "SCPs at level {level} are not known: {}",
                u.why
            )));
        }
        scp_levels.push(allow);
    }

    let mut grants = Grants::none();
    if let Some(rp) = policies.resource_policy {
        grants = ev.scan_resource(rp);
    }
    for u in policies.unknown.iter().filter(|u| u.slot == Slot::Resource) {
        let why = format!("the resource policy is not known: {}", u.why);
        for side in [
            &mut grants.direct,
            &mut grants.role,
            &mut grants.any,
            &mut grants.account,
        ] {
            *side = side.clone().or(Side::maybe(why.clone()));
        }
    }

    let scp = scp_levels
        .iter()
        .cloned()
        .fold(Side::new(Match::Yes), Side::and);
    let allowed = compose(req, policies.resource_kind, &identity, &boundary, &grants).and(scp);

    let deny = ev.deny;
    if deny.m == Match::Yes
        && let Some(by) = deny.by.first()
    {
        return Decision::ExplicitDeny {
            by: Box::new(by.clone()),
        };
    }
    match (deny.m, allowed.m) {
        (_, Match::No) => {
            let mut missing = Vec::new();
            if identity.m == Match::No {
                missing.push(Slot::Identity);
            }
            if grants.all().m == Match::No {
                missing.push(Slot::Resource);
            }
            if boundary.m == Match::No {
                missing.push(Slot::Boundary);
            }
            for (level, s) in scp_levels.iter().enumerate() {
                if s.m == Match::No {
                    missing.push(Slot::Scp(level));
                }
            }
            Decision::ImplicitDeny { missing }
        }
        (Match::No, Match::Yes) => Decision::Allow { by: allowed.by },
        (Match::No, _) => Decision::Unknown {
            why: join(&allowed.why),
            by: allowed.by,
        },
        _ => {
            let mut why = deny.why.clone();
            why.extend(allowed.why.iter().cloned());
            let mut by = deny.by.clone();
            by.extend(allowed.by.iter().cloned());
            Decision::Unknown {
                why: join(&why),
                by,
            }
        }
    }
}

fn join(why: &[String]) -> String {
    if why.is_empty() {
        "the decision depends on values not known before apply".to_string()
    } else {
        why.join("; ")
    }
}

/// The allow side of the decision, before SCPs.
fn compose(
    req: &Request<'_>,
    kind: ResourceKind,
    identity: &Side,
    boundary: &Side,
    g: &Grants,
) -> Side {
    let p = req.principal;
    if p.service.is_some() {
        // Service principals are not subject to identity policies, boundaries or SCPs.
        return g.direct.clone().or(g.any.clone());
    }
    let cross = || identity.clone().and(boundary.clone()).and(g.all());
    let same = || {
        // "*" matches the calling session itself, so like a grant to the session ARN it is not
        // limited by the boundary; only a grant naming the role ARN is (IAM User Guide,
        // permissions boundaries; the independent simulator agrees).
        let resource_side = g
            .direct
            .clone()
            .or(g.any.clone())
            .or(g.role.clone().and(boundary.clone()));
        match kind {
            ResourceKind::S3 | ResourceKind::Other => {
                identity.clone().and(boundary.clone()).or(resource_side)
            }
            ResourceKind::Kms | ResourceKind::RoleTrust => resource_side.or(g
                .account
                .clone()
                .and(identity.clone())
                .and(boundary.clone())),
        }
    };
    let owner_is_principal = match (req.resource_owner, p.account.as_deref()) {
        (Some(owner), Some(account)) => matching::literal(owner, account, false),
        _ => Match::Maybe,
    };
    match owner_is_principal {
        Match::Yes => same(),
        Match::No => cross(),
        Match::Maybe => {
            let (s, c) = (same(), cross());
            if s.m == c.m {
                s.merge(c)
            } else {
                let mut m = s.merge(c);
                m.m = Match::Maybe;
                m.why.push("the account owning the resource is not known, and same- and cross-account rules differ here".to_string());
                m
            }
        }
    }
}

struct Evaluator<'r, 'a> {
    req: &'r Request<'a>,
    /// Explicit denies from every policy seen so far.
    deny: Side,
    /// Whether the caller has a permissions boundary (it disables `NotPrincipal` exclusions).
    has_boundary: Match,
}

impl Evaluator<'_, '_> {
    /// Scans a policy without principals: returns its allow side and records its denies.
    fn scan(&mut self, policy: &Policy, slot: Slot, index: usize) -> Side {
        let mut allow = opaque_side(policy, slot, index);
        for st in &policy.statements {
            let Some(effect) = st.effect else { continue };
            let m = self.applies(policy, st, Match::Yes);
            if m == Match::No {
                continue;
            }
            let side = self.statement_side(m, policy, st, slot, index, Match::Yes);
            match effect {
                Effect::Allow => allow = allow.or(side),
                Effect::Deny => {
                    self.deny = std::mem::replace(&mut self.deny, Side::new(Match::No)).or(side)
                }
            }
        }
        allow
    }

    fn scan_resource(&mut self, policy: &Policy) -> Grants {
        let slot = Slot::Resource;
        let mut g = Grants::none();
        let opaque = opaque_side(policy, slot, 0);
        if opaque.m != Match::No {
            for side in [&mut g.direct, &mut g.role, &mut g.any, &mut g.account] {
                *side = opaque.clone();
            }
        }
        for st in &policy.statements {
            let Some(effect) = st.effect else { continue };
            let base = self.applies(policy, st, Match::Yes);
            if base == Match::No {
                continue;
            }
            match effect {
                Effect::Deny => {
                    let who = match &st.principal {
                        Some(spec) => principal_match(spec, self.req.principal, self.has_boundary)
                            .into_iter()
                            .fold(Match::No, |a, (_, m)| a.or(m)),
                        None => Match::No,
                    };
                    let m = base.and(who);
                    if m != Match::No {
                        let side = self.statement_side(m, policy, st, slot, 0, who);
                        self.deny =
                            std::mem::replace(&mut self.deny, Side::new(Match::No)).or(side);
                    }
                }
                Effect::Allow => {
                    let Some(spec) = &st.principal else { continue };
                    for (form, who) in principal_match(spec, self.req.principal, Match::No) {
                        let m = base.and(who);
                        if m == Match::No {
                            continue;
                        }
                        let side = self.statement_side(m, policy, st, slot, 0, who);
                        let target = match form {
                            Form::Direct => &mut g.direct,
                            Form::Role => &mut g.role,
                            Form::Any => &mut g.any,
                            Form::Account => &mut g.account,
                        };
                        *target = std::mem::replace(target, Side::new(Match::No)).or(side);
                    }
                }
            }
        }
        g
    }

    fn action_part(&self, st: &Statement) -> Match {
        let action = self.req.action;
        match &st.action {
            Some(ActionSpec::Action(items)) => {
                best(items.iter(), |i| matching::glob(&i.text, action, true))
            }
            Some(ActionSpec::NotAction(items)) => {
                !best(items.iter(), |i| matching::glob(&i.text, action, true))
            }
            None => Match::No,
        }
    }

    fn resource_part(&self, policy: &Policy, st: &Statement) -> Match {
        let req = self.req;
        let vars = policy.variables_enabled();
        let resource_item = |text: &str| -> Match {
            if vars && variables::has_variables(text) {
                match variables::expand(text, req.context, true) {
                    Some(units) => matching::glob_units(&units, req.resource, false),
                    None => Match::No,
                }
            } else {
                matching::glob(text, req.resource, false)
            }
        };
        match &st.resource {
            Some(ResourceSpec::Resource(items)) => best(items.iter(), |i| resource_item(&i.text)),
            Some(ResourceSpec::NotResource(items)) => {
                let listed = best(items.iter(), |i| resource_item(&i.text));
                // An item whose variable has no value cannot be compared. Whether NotResource
                // then spares the request is undocumented (the independent simulator answers
                // differently by service), so unless another item decides, we cannot tell.
                let unresolved = || {
                    vars && items.iter().any(|i| {
                        variables::has_variables(&i.text)
                            && variables::expand(&i.text, req.context, true).is_none()
                    })
                };
                if listed != Match::Yes && unresolved() {
                    Match::Maybe
                } else {
                    !listed
                }
            }
            None if policy.kind == PolicyKind::Trust => Match::Yes,
            None => Match::No,
        }
    }

    /// Action, resource and conditions of one statement (principals are the caller's business).
    fn applies(&self, policy: &Policy, st: &Statement, start: Match) -> Match {
        let mut m = start.and(self.action_part(st));
        if m == Match::No {
            return m;
        }
        m = m.and(self.resource_part(policy, st));
        if m == Match::No {
            return m;
        }
        m.and(conditions::evaluate_all(
            &st.conditions,
            self.req.context,
            policy.variables_enabled(),
        ))
    }

    /// A statement's contribution; for `Maybe`, says which of its parts could not be decided.
    fn statement_side(
        &self,
        m: Match,
        policy: &Policy,
        st: &Statement,
        slot: Slot,
        index: usize,
        principal: Match,
    ) -> Side {
        let mut side = Side {
            m,
            by: vec![statement_ref(st, slot, index)],
            why: Vec::new(),
        };
        if m != Match::Maybe {
            return side;
        }
        let name = match &st.sid {
            Some(sid) => format!("statement \"{}\" of the {slot}", sid.text),
            None => format!("statement {} of the {slot}", st.index),
        };
        let req = self.req;
        let mut parts = Vec::new();
        if self.action_part(st) == Match::Maybe {
            parts.push(format!(
                "the action {} is not known before apply",
                atom::display(req.action)
            ));
        }
        if self.resource_part(policy, st) == Match::Maybe {
            let items = match &st.resource {
                Some(ResourceSpec::Resource(i)) | Some(ResourceSpec::NotResource(i)) => i
                    .iter()
                    .map(|i| atom::display(&i.text))
                    .collect::<Vec<_>>()
                    .join(", "),
                None => String::new(),
            };
            parts.push(format!(
                "resource {} against {items}",
                atom::display(req.resource)
            ));
        }
        if principal == Match::Maybe {
            parts.push(format!(
                "caller {} against its principals",
                atom::display(&req.principal.arn)
            ));
        }
        let vars = policy.variables_enabled();
        parts.extend(
            st.conditions
                .iter()
                .filter_map(|c| conditions::explain(c, req.context, vars)),
        );
        side.why.push(if parts.is_empty() {
            format!("whether {name} applies cannot be decided")
        } else {
            format!(
                "whether {name} applies cannot be decided: {}",
                parts.join("; ")
            )
        });
        side
    }
}

fn best<T>(items: impl Iterator<Item = T>, mut f: impl FnMut(T) -> Match) -> Match {
    let mut m = Match::No;
    for item in items {
        m = m.or(f(item));
        if m == Match::Yes {
            break;
        }
    }
    m
}

fn statement_ref(st: &Statement, slot: Slot, index: usize) -> StatementRef {
    StatementRef {
        slot,
        policy_index: index,
        statement: st.index,
        sid: st.sid.as_ref().map(|s| s.text.clone()),
        loc: st.loc.clone(),
    }
}

fn opaque_side(policy: &Policy, slot: Slot, index: usize) -> Side {
    if policy.opaque.is_empty() {
        return Side::new(Match::No);
    }
    let _ = index;
    Side::maybe(format!(
        "part of the {slot} is not known: {}",
        policy.opaque.join("; ")
    ))
}

/// How each entry of a Principal element matches the caller, by the form of the entry.
/// For `NotPrincipal` the statement applies to everyone the list does not name, except that a
/// Deny with `NotPrincipal` always applies to principals with a permissions boundary (IAM User
/// Guide, NotPrincipal); `boundary` is whether the caller has one (pass `No` for Allows).
fn principal_match(spec: &PrincipalSpec, p: &Principal, boundary: Match) -> Vec<(Form, Match)> {
    match spec {
        PrincipalSpec::Principal(items) => items
            .iter()
            .map(|i| entry_match(&i.kind, &i.value.text, p))
            .filter(|(_, m)| *m != Match::No)
            .collect(),
        PrincipalSpec::NotPrincipal(items) => {
            let named = items
                .iter()
                .map(|i| entry_match(&i.kind, &i.value.text, p).1)
                .fold(Match::No, Match::or);
            vec![(Form::Any, !named.and(!boundary))]
        }
    }
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

fn entry_match(kind: &PrincipalType, value: &str, p: &Principal) -> (Form, Match) {
    let exact = |a: &str, b: Option<&str>| b.map_or(Match::No, |b| matching::literal(a, b, false));
    match kind {
        PrincipalType::Wildcard => (Form::Any, Match::Yes),
        PrincipalType::Service => (Form::Direct, exact(value, p.service.as_deref())),
        PrincipalType::Federated | PrincipalType::CanonicalUser | PrincipalType::Other(_) => {
            (Form::Direct, Match::No)
        }
        PrincipalType::Aws => {
            if value == "*" {
                return (Form::Any, Match::from_bool(p.service.is_none()));
            }
            if is_account_id(value) {
                return (Form::Account, exact(value, p.account.as_deref()));
            }
            if let Some(parts) = arn_parts(value)
                && parts[2] == "iam"
                && parts[5] == "root"
            {
                return (Form::Account, exact(parts[4], p.account.as_deref()));
            }
            if value.contains(['*', '?']) {
                // Wildcards are not allowed in principal ARNs; AWS rejects the policy.
                return (Form::Direct, Match::No);
            }
            let role = exact(value, p.role_arn.as_deref());
            if role != Match::No {
                return (Form::Role, role);
            }
            (Form::Direct, exact(value, Some(&p.arn)))
        }
    }
}
