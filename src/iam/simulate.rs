//! `repl-lint simulate`: evaluates authorization cases in the format of the conformance cases
//! (`tests/data/iam-cases.json`) and prints one decision per case.
//!
//! Context keys the caller does not give are filled in exactly as the differential-test harness
//! (`iam-oracle/iamsim_oracle.mjs`) fills them, so that both sides answer the same question:
//! `aws:PrincipalArn` (the role ARN), `aws:PrincipalAccount`, `aws:userid` (`principal_id` or
//! `AIDAEXAMPLEID`), `aws:SecureTransport` = true, `aws:CurrentTime` / `aws:EpochTime` = now.
//!
//! The harness differs on one point: it takes a missing `resource_owner` to be the principal's
//! account, which makes a cross-account case without a bucket policy look allowed. Here a
//! missing owner is unknown. `decision` answers "is the request proven to be allowed?": an
//! [`Decision::Unknown`] prints as `"decision": "deny"` with `"reason": "unknown"` and a `why`.

use serde_json::{Value, json};

use crate::source::{FileId, Loc, SourceFile};
use crate::syntax::json;
use crate::syntax::node::{Node, NodeKind};

use super::eval::{Decision, PolicyContext, ResourceKind, Slot, StatementRef, evaluate};
use super::policy::{Policy, PolicyKind, Severity, lower_text};
use super::request::{Principal, Request, RequestContext, arn_parts};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SimulateError(pub String);

/// Evaluates one case object or a list of cases; returns a pretty JSON array of results.
pub fn simulate(input: &str) -> Result<String, SimulateError> {
    let file = SourceFile::new("input".into(), input.into());
    let at = |loc: &Loc| -> String {
        match loc {
            Loc::Span(s) => {
                let (line, col) = file.line_col(s.start);
                format!("line {line}, column {col}")
            }
            _ => "unknown position".to_string(),
        }
    };
    let root = json::parse(input, FileId(0)).map_err(|e| {
        SimulateError(format!(
            "input is not valid JSON: {} at {}",
            e.message,
            at(&e.loc)
        ))
    })?;
    let cases: Vec<&Node> = match &root.kind {
        NodeKind::List(items) => items.iter().collect(),
        NodeKind::Map(_) => vec![&root],
        _ => {
            return Err(SimulateError(
                "input must be a case object or a list of case objects".into(),
            ));
        }
    };
    let mut out = Vec::with_capacity(cases.len());
    for (i, case) in cases.into_iter().enumerate() {
        let result = run_case(case, i).map_err(|(path, message, loc)| {
            let name = case
                .get("name")
                .and_then(Node::as_str)
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            SimulateError(format!("case {i}{name}: {path}: {message} at {}", at(&loc)))
        })?;
        out.push(result);
    }
    serde_json::to_string_pretty(&Value::Array(out)).map_err(|e| SimulateError(e.to_string()))
}

type CaseError = (String, String, Loc);

fn string_field(case: &Node, key: &str, required: bool) -> Result<Option<String>, CaseError> {
    match case.get(key) {
        None => {
            if required {
                Err((key.to_string(), "missing".to_string(), case.loc.clone()))
            } else {
                Ok(None)
            }
        }
        Some(n) if matches!(n.kind, NodeKind::Null) && !required => Ok(None),
        Some(n) => match lower_text(n) {
            Some(s) => Ok(Some(s)),
            None => Err((
                key.to_string(),
                format!("must be a string, not {}", n.type_name()),
                n.loc.clone(),
            )),
        },
    }
}

fn read_policy(node: &Node, kind: PolicyKind, path: &str) -> Result<Policy, CaseError> {
    let (policy, issues) = Policy::from_node(node, kind);
    if let Some(issue) = issues
        .into_iter()
        .find(|i| i.kind.severity() == Severity::Error)
    {
        return Err((path.to_string(), issue.message, issue.loc));
    }
    Ok(policy)
}

fn list<'n>(node: &'n Node, path: &str) -> Result<&'n [Node], CaseError> {
    match &node.kind {
        NodeKind::List(items) => Ok(items),
        NodeKind::Null => Ok(&[]),
        _ => Err((
            path.to_string(),
            format!("must be a list, not {}", node.type_name()),
            node.loc.clone(),
        )),
    }
}

fn run_case(case: &Node, index: usize) -> Result<Value, CaseError> {
    if !matches!(case.kind, NodeKind::Map(_)) {
        return Err((
            format!("[{index}]"),
            "a case must be an object".into(),
            case.loc.clone(),
        ));
    }
    let name = string_field(case, "name", false)?.unwrap_or_else(|| format!("case {index}"));
    let principal_arn = string_field(case, "principal_arn", true)?.unwrap_or_default();
    let action = string_field(case, "action", true)?.unwrap_or_default();
    let resource = string_field(case, "resource", true)?.unwrap_or_default();
    let principal = Principal::from_arn(&principal_arn);
    // S3 ARNs do not name the owner: without `resource_owner` it is unknown, and an allow must
    // then hold under both the same-account and the cross-account rules.
    let owner = string_field(case, "resource_owner", false)?;

    let resource_kind = match arn_parts(&resource) {
        Some(p) if p[2] == "iam" && p[5].starts_with("role/") => ResourceKind::RoleTrust,
        _ => ResourceKind::from_arn(&resource),
    };
    let resource_policy_kind = match resource_kind {
        ResourceKind::Kms => PolicyKind::Key,
        ResourceKind::RoleTrust => PolicyKind::Trust,
        _ => PolicyKind::Bucket,
    };

    let mut identity = Vec::new();
    if let Some(n) = case.get("identity_policies") {
        for (i, p) in list(n, "identity_policies")?.iter().enumerate() {
            identity.push(read_policy(
                p,
                PolicyKind::Identity,
                &format!("identity_policies[{i}]"),
            )?);
        }
    }
    let optional_policy = |key: &str, kind: PolicyKind| -> Result<Option<Policy>, CaseError> {
        match case.get(key) {
            None => Ok(None),
            Some(n) if matches!(n.kind, NodeKind::Null) => Ok(None),
            Some(n) => read_policy(n, kind, key).map(Some),
        }
    };
    let resource_policy = optional_policy("resource_policy", resource_policy_kind)?;
    let boundary = optional_policy("permissions_boundary", PolicyKind::Boundary)?;
    let mut scps = Vec::new();
    if let Some(n) = case.get("scps") {
        for (level, l) in list(n, "scps")?.iter().enumerate() {
            let mut policies = Vec::new();
            for (i, p) in list(l, &format!("scps[{level}]"))?.iter().enumerate() {
                policies.push(read_policy(
                    p,
                    PolicyKind::Scp,
                    &format!("scps[{level}][{i}]"),
                )?);
            }
            scps.push(policies);
        }
    }

    let context = build_context(case, &principal_arn, &principal)?;
    let req = Request {
        principal: &principal,
        action: &action,
        resource: &resource,
        resource_owner: owner.as_deref(),
        context: &context,
    };
    let policies = PolicyContext {
        identity: identity.iter().collect(),
        boundary: boundary.as_ref(),
        resource_policy: resource_policy.as_ref(),
        resource_kind,
        scps: scps.iter().map(|l| l.iter().collect()).collect(),
        unknown: Vec::new(),
    };
    let decision = evaluate(&req, &policies);
    Ok(render(&name, &decision))
}

fn build_context(
    case: &Node,
    principal_arn: &str,
    principal: &Principal,
) -> Result<RequestContext, CaseError> {
    let mut ctx = RequestContext::new();
    if let Some(n) = case.get("context") {
        if !matches!(n.kind, NodeKind::Map(_) | NodeKind::Null) {
            return Err((
                "context".into(),
                format!("must be an object, not {}", n.type_name()),
                n.loc.clone(),
            ));
        }
        for (key, value) in n.entries() {
            let scalar = |v: &Node| -> Option<String> {
                match &v.kind {
                    NodeKind::Bool(b) => Some(b.to_string()),
                    NodeKind::Number(x) => Some(x.to_string()),
                    _ => lower_text(v),
                }
            };
            let values: Option<Vec<String>> = match &value.kind {
                NodeKind::List(items) => items.iter().map(scalar).collect(),
                _ => scalar(value).map(|v| vec![v]),
            };
            let Some(values) = values else {
                return Err((
                    format!("context.{}", key.text),
                    "values must be strings, numbers, booleans or lists of them".into(),
                    value.loc.clone(),
                ));
            };
            ctx.set(&key.text, values);
        }
    }
    let principal_id =
        string_field(case, "principal_id", false)?.unwrap_or_else(|| "AIDAEXAMPLEID".to_string());
    let (now_iso, now_epoch) = now();
    let inferred = [
        ("aws:PrincipalArn", principal_arn.to_string()),
        (
            "aws:PrincipalAccount",
            principal.account.clone().unwrap_or_default(),
        ),
        ("aws:userid", principal_id),
        ("aws:SecureTransport", "true".to_string()),
        ("aws:CurrentTime", now_iso),
        ("aws:EpochTime", now_epoch),
    ];
    for (k, v) in inferred {
        if !ctx.contains(k) {
            ctx.set_one(k, v);
        }
    }
    Ok(ctx)
}

fn now() -> (String, String) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let iso = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    (iso, secs.to_string())
}

/// Calendar date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn slot_name(r: &StatementRef) -> String {
    match r.slot {
        Slot::Identity => format!("identity[{}]", r.policy_index),
        Slot::Resource => "resource".to_string(),
        Slot::Boundary => "boundary".to_string(),
        Slot::Scp(level) => format!("scp[{level}][{}]", r.policy_index),
    }
}

fn describe(r: &StatementRef) -> Value {
    json!({ "policy": slot_name(r), "statement": r.statement, "sid": r.sid })
}

fn render(name: &str, decision: &Decision) -> Value {
    match decision {
        Decision::Allow { by } => json!({
            "name": name, "decision": "allow", "reason": "allowed",
            "statements": by.iter().map(describe).collect::<Vec<_>>(),
        }),
        Decision::ExplicitDeny { by } => json!({
            "name": name, "decision": "deny", "reason": "explicit-deny", "statements": [describe(by)],
        }),
        Decision::ImplicitDeny { missing } => json!({
            "name": name, "decision": "deny", "reason": "implicit-deny", "statements": [],
            "missing": missing.iter().map(|s| match s {
                Slot::Identity => "identity".to_string(),
                Slot::Resource => "resource".to_string(),
                Slot::Boundary => "boundary".to_string(),
                Slot::Scp(l) => format!("scp[{l}]"),
            }).collect::<Vec<_>>(),
        }),
        Decision::Unknown { why, by } => json!({
            "name": name, "decision": "deny", "reason": "unknown", "why": why,
            "statements": by.iter().map(describe).collect::<Vec<_>>(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(18_262), (2020, 1, 1));
        let (iso, _) = now();
        assert!(crate::iam::conditions::parse_date(&iso).is_some());
    }

    #[test]
    fn malformed_policy_is_an_error_with_a_path() {
        let input = r#"{"name": "x", "principal_arn": "arn:aws:iam::111111111111:role/r", "action": "s3:GetObject",
            "resource": "arn:aws:s3:::b/k", "identity_policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": 5, "Resource": "*"}]}]}"#;
        let err = simulate(input).unwrap_err().0;
        assert!(err.contains("identity_policies[0]"), "{err}");
        assert!(err.contains("line 2"), "{err}");
        assert!(simulate("[1,]").unwrap_err().0.contains("trailing comma"));
        assert!(simulate("[{}]").unwrap_err().0.contains("principal_arn"));
    }
}
