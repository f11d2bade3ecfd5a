//! Evaluation through the public API: atoms, unknown inputs and the composition rules.

use repl_lint::iam::atom;
use repl_lint::iam::{
    Decision, Policy, PolicyContext, PolicyKind, Principal, Request, RequestContext, ResourceKind,
    Slot, Unknowable, evaluate,
};
use repl_lint::source::FileId;

const ROLE: &str = "arn:aws:iam::111111111111:role/repl";
const SESSION: &str = "arn:aws:sts::111111111111:assumed-role/repl/repl-lint";
const OBJ: &str = "arn:aws:s3:::dst/k";

fn policy(kind: PolicyKind, statements: &str) -> Policy {
    let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#);
    let (p, issues) = Policy::parse(&text, FileId(0), kind).expect("valid JSON");
    assert!(
        issues
            .iter()
            .all(|i| i.kind == repl_lint::iam::IssueKind::UnknownOperator),
        "{issues:?}"
    );
    p
}

fn allow(action: &str, resource: &str) -> String {
    format!(r#"{{"Effect": "Allow", "Action": "{action}", "Resource": "{resource}"}}"#)
}

fn grant(principal: &str, action: &str, resource: &str) -> String {
    format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": "{action}", "Resource": "{resource}"}}"#
    )
}

struct Case<'a> {
    principal: Principal,
    action: &'a str,
    resource: String,
    owner: Option<&'a str>,
    ctx: RequestContext,
}

impl<'a> Case<'a> {
    fn new(action: &'a str, resource: &str, owner: Option<&'a str>) -> Case<'a> {
        let principal = Principal::role_session(ROLE);
        let ctx = RequestContext::for_role_session(&principal);
        Case {
            principal,
            action,
            resource: resource.to_string(),
            owner,
            ctx,
        }
    }

    fn run(&self, pc: &PolicyContext<'_>) -> Decision {
        let req = Request {
            principal: &self.principal,
            action: self.action,
            resource: &self.resource,
            resource_owner: self.owner,
            context: &self.ctx,
        };
        evaluate(&req, pc)
    }
}

#[test]
fn atoms_in_resources() {
    let dst = atom::identity("aws_s3_bucket.dst.arn");
    let src = atom::identity("aws_s3_bucket.src.arn");
    let id = policy(
        PolicyKind::Identity,
        &allow("s3:ReplicateObject", &format!("{dst}/*")),
    );
    let pc = PolicyContext {
        identity: vec![&id],
        ..Default::default()
    };
    let same = Some("111111111111");
    assert!(
        Case::new("s3:ReplicateObject", &format!("{dst}/k"), same)
            .run(&pc)
            .is_allow()
    );
    assert!(matches!(
        Case::new("s3:ReplicateObject", &format!("{src}/k"), same).run(&pc),
        Decision::ImplicitDeny { .. }
    ));
    let d = Case::new("s3:ReplicateObject", OBJ, same).run(&pc);
    assert!(d.is_unknown(), "{d:?}");
    let Decision::Unknown { by, .. } = d else {
        unreachable!()
    };
    assert_eq!(by[0].slot, Slot::Identity);
}

#[test]
fn unknown_inputs_only_weaken_implicit_denies() {
    let same = Some("111111111111");
    let id = policy(PolicyKind::Identity, &allow("s3:*", "*"));
    let deny = policy(
        PolicyKind::Identity,
        r#"{"Effect": "Deny", "Action": "s3:ReplicateObject", "Resource": "*"}"#,
    );
    let unknown_identity = vec![Unknowable {
        slot: Slot::Identity,
        why: "aws_iam_policy.x is computed".into(),
    }];
    let c = Case::new("s3:ReplicateObject", OBJ, same);

    let pc = PolicyContext {
        unknown: unknown_identity.clone(),
        ..Default::default()
    };
    let d = c.run(&pc);
    let Decision::Unknown { why, .. } = &d else {
        panic!("{d:?}")
    };
    assert!(why.contains("aws_iam_policy.x"), "{why}");

    let pc = PolicyContext {
        identity: vec![&id],
        unknown: unknown_identity.clone(),
        ..Default::default()
    };
    assert!(c.run(&pc).is_allow(), "a certain allow stays allow");

    let pc = PolicyContext {
        identity: vec![&id, &deny],
        unknown: unknown_identity,
        ..Default::default()
    };
    assert!(
        matches!(c.run(&pc), Decision::ExplicitDeny { .. }),
        "a certain deny stays"
    );

    let unknown_boundary = vec![Unknowable {
        slot: Slot::Boundary,
        why: "boundary ARN from a variable".into(),
    }];
    let pc = PolicyContext {
        identity: vec![&id],
        unknown: unknown_boundary,
        ..Default::default()
    };
    assert!(
        c.run(&pc).is_unknown(),
        "a boundary filters: unknown boundary, unknown allow"
    );

    let unknown_rp = vec![Unknowable {
        slot: Slot::Resource,
        why: "bucket policy in another stack".into(),
    }];
    let cross = Case::new("s3:ReplicateObject", OBJ, Some("222222222222"));
    let pc = PolicyContext {
        identity: vec![&id],
        unknown: unknown_rp.clone(),
        ..Default::default()
    };
    assert!(cross.run(&pc).is_unknown());
    let pc = PolicyContext {
        unknown: unknown_rp,
        ..Default::default()
    };
    assert!(
        matches!(cross.run(&pc), Decision::ImplicitDeny { .. }),
        "no identity allow: certain deny"
    );
}

#[test]
fn maybe_deny() {
    let same = Some("111111111111");
    let id = policy(PolicyKind::Identity, &allow("s3:*", "*"));
    let maybe_deny = policy(
        PolicyKind::Identity,
        r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-123"}}}"#,
    );
    let c = Case::new("s3:ReplicateObject", OBJ, same);
    let pc = PolicyContext {
        identity: vec![&id, &maybe_deny],
        ..Default::default()
    };
    assert!(c.run(&pc).is_unknown());
    let pc = PolicyContext {
        identity: vec![&maybe_deny],
        ..Default::default()
    };
    assert!(
        matches!(c.run(&pc), Decision::ImplicitDeny { .. }),
        "denied either way"
    );
    let invalid = policy(
        PolicyKind::Identity,
        r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqualz": {"k": "v"}}}"#,
    );
    let pc = PolicyContext {
        identity: vec![&id, &invalid],
        ..Default::default()
    };
    let d = c.run(&pc);
    let Decision::Unknown { why, .. } = &d else {
        panic!("{d:?}")
    };
    assert!(why.contains("unknown condition operator"), "{why}");
}

#[test]
fn unknown_owner() {
    let id = policy(PolicyKind::Identity, &allow("s3:*", "*"));
    let pc = PolicyContext {
        identity: vec![&id],
        ..Default::default()
    };
    assert!(
        Case::new("s3:ReplicateObject", OBJ, None)
            .run(&pc)
            .is_unknown()
    );
    let rp = policy(PolicyKind::Bucket, &grant(ROLE, "s3:*", "*"));
    let pc = PolicyContext {
        identity: vec![&id],
        resource_policy: Some(&rp),
        ..Default::default()
    };
    assert!(
        Case::new("s3:ReplicateObject", OBJ, None)
            .run(&pc)
            .is_allow(),
        "allowed under both rules"
    );
}

#[test]
fn boundary_limits_role_arn_grants_but_not_session_grants() {
    let same = Some("111111111111");
    let boundary = policy(PolicyKind::Boundary, &allow("sts:GetCallerIdentity", "*"));
    let by_role = policy(PolicyKind::Bucket, &grant(ROLE, "s3:ReplicateObject", "*"));
    let by_session = policy(
        PolicyKind::Bucket,
        &grant(SESSION, "s3:ReplicateObject", "*"),
    );
    let c = Case::new("s3:ReplicateObject", OBJ, same);
    let pc = PolicyContext {
        boundary: Some(&boundary),
        resource_policy: Some(&by_role),
        ..Default::default()
    };
    let d = c.run(&pc);
    assert_eq!(
        d,
        Decision::ImplicitDeny {
            missing: vec![Slot::Identity, Slot::Boundary]
        }
    );
    let pc = PolicyContext {
        boundary: Some(&boundary),
        resource_policy: Some(&by_session),
        ..Default::default()
    };
    assert!(c.run(&pc).is_allow());
}

#[test]
fn kms_key_policy_must_allow() {
    let key = "arn:aws:kms:us-east-1:111111111111:key/k";
    let same = Some("111111111111");
    let id = policy(PolicyKind::Identity, &allow("kms:*", "*"));
    let admin_only = policy(
        PolicyKind::Key,
        &grant("arn:aws:iam::111111111111:role/admin", "kms:*", "*"),
    );
    let root = policy(
        PolicyKind::Key,
        &grant("arn:aws:iam::111111111111:root", "kms:*", "*"),
    );
    let c = Case::new("kms:Decrypt", key, same);
    let pc = PolicyContext {
        identity: vec![&id],
        resource_policy: Some(&admin_only),
        resource_kind: ResourceKind::Kms,
        ..Default::default()
    };
    assert!(c.run(&pc).is_deny());
    let pc = PolicyContext {
        identity: vec![&id],
        resource_policy: Some(&root),
        resource_kind: ResourceKind::Kms,
        ..Default::default()
    };
    assert!(c.run(&pc).is_allow());
    let pc = PolicyContext {
        resource_policy: Some(&root),
        resource_kind: ResourceKind::Kms,
        ..Default::default()
    };
    assert!(c.run(&pc).is_deny());
}

#[test]
fn trust_policy_and_service_principal() {
    let trust = policy(
        PolicyKind::Trust,
        r#"{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    );
    let s3 = Principal::service("s3.amazonaws.com");
    let ctx = RequestContext::new();
    let pc = PolicyContext {
        resource_policy: Some(&trust),
        resource_kind: ResourceKind::RoleTrust,
        ..Default::default()
    };
    let req = Request {
        principal: &s3,
        action: "sts:AssumeRole",
        resource: ROLE,
        resource_owner: Some("111111111111"),
        context: &ctx,
    };
    assert!(evaluate(&req, &pc).is_allow());
    let ec2 = Principal::service("ec2.amazonaws.com");
    let req = Request {
        principal: &ec2,
        ..req
    };
    assert!(evaluate(&req, &pc).is_deny());
}

#[test]
fn principal_atoms() {
    let role = atom::identity("aws_iam_role.repl.arn");
    let other = atom::identity("aws_iam_role.other.arn");
    let id = policy(PolicyKind::Identity, &allow("s3:*", "*"));
    let rp = policy(PolicyKind::Bucket, &grant(&role, "s3:*", "*"));
    let p = Principal::role_session(&role);
    let ctx = RequestContext::for_role_session(&p);
    let pc = PolicyContext {
        identity: vec![&id],
        resource_policy: Some(&rp),
        ..Default::default()
    };
    let req = Request {
        principal: &p,
        action: "s3:ReplicateObject",
        resource: OBJ,
        resource_owner: Some("222222222222"),
        context: &ctx,
    };
    assert!(evaluate(&req, &pc).is_allow(), "same reference, same role");
    let q = Principal::role_session(&other);
    let ctx = RequestContext::for_role_session(&q);
    let req = Request {
        principal: &q,
        context: &ctx,
        ..req
    };
    // The other role's account is unknown, so the identity policy alone might do (same account):
    let d = evaluate(&req, &pc);
    assert!(d.is_unknown(), "{d:?}");
    let pc = PolicyContext {
        resource_policy: Some(&rp),
        ..Default::default()
    };
    assert!(
        evaluate(&req, &pc).is_deny(),
        "different references, different roles"
    );
}
