use super::*;
use crate::source::{FileId, Span};
use crate::syntax::{Reference, Why};

fn at(start: usize) -> Loc {
    Loc::Span(Span {
        file: FileId(0),
        start: start as u32,
        end: start as u32 + 1,
    })
}

fn known(s: &str, loc: Loc) -> Value<String> {
    Value::Known(s.to_string(), loc)
}

fn reference(target: &str, loc: Loc) -> Value<String> {
    Value::Ref(Reference::new(target, "arn"), loc)
}

fn unknown(loc: Loc) -> Value<String> {
    Value::Unknown(Why::new("known only after apply"), loc)
}

#[test]
fn a_known_plan_value_wins_at_the_source_location() {
    let fused = unknown(at(1)).fuse(known("Enabled", at(9)));
    assert_eq!(fused, known("Enabled", at(1)));
    let fused = known("Suspended", at(1)).fuse(known("Enabled", at(9)));
    assert_eq!(fused, known("Enabled", at(1)));
}

#[test]
fn the_sources_fill_what_the_plan_does_not_know() {
    assert_eq!(known("a", at(1)).fuse(unknown(at(9))), known("a", at(1)));
    assert_eq!(
        reference("aws_s3_bucket.dst", at(1)).fuse(unknown(at(9))),
        reference("aws_s3_bucket.dst", at(1))
    );
    // The plan's reference is read from a list of references: the sources' expression is exact.
    assert_eq!(
        reference("aws_s3_bucket.dst", at(1)).fuse(reference("aws_s3_bucket.src", at(9))),
        reference("aws_s3_bucket.dst", at(1))
    );
    assert_eq!(
        unknown(at(1)).fuse(reference("aws_s3_bucket.src", at(9))),
        reference("aws_s3_bucket.src", at(1))
    );
}

#[test]
fn an_absent_side_takes_the_other_and_a_missing_location_the_plans() {
    assert_eq!(
        Value::Absent(at(1)).fuse(known("x", at(9))),
        known("x", at(1))
    );
    assert_eq!(
        known("x", at(1)).fuse(Value::Absent(at(9))),
        known("x", at(1))
    );
    assert_eq!(unknown(at(1)).fuse(Value::Absent(at(9))), unknown(at(1)));
    assert_eq!(
        Value::Absent(Loc::None).fuse(known("x", at(9))),
        known("x", at(9))
    );
}

fn rule(id: &str, status: &str, loc: usize) -> ReplicationRule {
    ReplicationRule {
        loc: at(loc),
        id: known(id, at(loc)),
        status: known(status, at(loc)),
        ..ReplicationRule::default()
    }
}

#[test]
fn rules_pair_by_id_whatever_their_order() {
    let source = vec![rule("a", "Enabled", 1), rule("b", "Enabled", 2)];
    let plan = vec![rule("b", "Disabled", 9), rule("a", "Enabled", 8)];
    let fused = source.fuse(plan);
    assert_eq!(fused[0].status, known("Enabled", at(1)));
    assert_eq!(fused[1].status, known("Disabled", at(2)));
}

#[test]
fn lists_of_other_lengths_come_from_the_plan() {
    let source = vec![rule("a", "Enabled", 1)];
    let plan = vec![rule("a", "Enabled", 8), rule("b", "Enabled", 9)];
    let fused = source.fuse(plan);
    assert_eq!(fused.len(), 2);
    assert_eq!(fused[1].loc, at(9));
}

fn doc(content: PolicyContent, loc: Loc) -> PolicyDoc {
    PolicyDoc { loc, content }
}

fn json_doc(text: &str, loc: Loc) -> PolicyDoc {
    doc(
        PolicyContent::Json {
            text: text.into(),
            origin: std::sync::Arc::new(crate::source::StringOrigin::JsonLiteral(loc.clone())),
        },
        loc,
    )
}

#[test]
fn the_same_document_keeps_the_source_spans_and_a_different_one_is_the_plans() {
    let source = json_doc(r#"{"Version": "2012-10-17", "Statement": []}"#, at(1));
    let plan = json_doc(r#"{"Statement":[],"Version":"2012-10-17"}"#, at(9));
    let fused = source.clone().fuse(plan);
    assert!(
        matches!(&fused.content, PolicyContent::Json { text, .. } if text.starts_with("{\"Version\": "))
    );
    let other = json_doc(r#"{"Version":"2008-10-17","Statement":[]}"#, at(9));
    let fused = source.fuse(other);
    assert!(matches!(&fused.content, PolicyContent::Json { text, .. } if text.contains("2008")));
    assert_eq!(fused.loc, at(1));
}

#[test]
fn an_unknown_plan_document_comes_from_the_sources() {
    let source = json_doc(r#"{"Statement": []}"#, at(1));
    let plan = doc(
        PolicyContent::Unknown(Why::new("known only after apply")),
        at(9),
    );
    let fused = source.fuse(plan);
    assert!(matches!(fused.content, PolicyContent::Json { .. }));
    let source = doc(
        PolicyContent::Unknown(Why::new("variable `p` is not set")),
        at(1),
    );
    let plan = doc(
        PolicyContent::Unknown(Why::new("known only after apply")),
        at(9),
    );
    let fused = source.fuse(plan);
    assert!(matches!(&fused.content, PolicyContent::Unknown(w) if w.0.contains("after apply")));
}

#[test]
fn addresses_lose_their_instance_keys_whatever_the_keys_hold() {
    assert_eq!(
        without_instance_keys(r#"module.m["a.b]"].aws_s3_bucket.b[0]"#),
        "module.m.aws_s3_bucket.b"
    );
    assert_eq!(without_instance_keys("aws_s3_bucket.b"), "aws_s3_bucket.b");
    assert!(stands_for(
        "module.m.aws_s3_bucket.b",
        r#"module.m["x"].aws_s3_bucket.b[0]"#
    ));
    assert!(stands_for(
        r#"module.m["x"].aws_s3_bucket.b"#,
        r#"module.m["x"].aws_s3_bucket.b[0]"#
    ));
    assert!(!stands_for(
        r#"module.m["y"].aws_s3_bucket.b"#,
        r#"module.m["x"].aws_s3_bucket.b[0]"#
    ));
    assert!(!stands_for("aws_s3_bucket.b", "aws_s3_bucket.b"));
    assert!(!stands_for("aws_s3_bucket.b", "aws_s3_bucket.c[0]"));
    assert!(crate::load::plan::address::steps(r#"aws_s3_bucket.b["unclosed]"#).is_none());
}

fn bucket(address: &str, name: Value<String>) -> Bucket {
    Bucket {
        origin: Origin {
            address: address.to_string(),
            file: FileId(0),
            header: at(0),
            format: crate::model::Format::Terraform,
        },
        name,
        arn: Value::default(),
        account: Value::default(),
        region: Value::default(),
        settings: BucketSettings::default(),
    }
}

#[test]
fn a_resource_the_sources_could_not_expand_becomes_each_planned_instance() {
    let mut source = vec![
        bucket("module.m.aws_s3_bucket.b", unknown(at(1))),
        bucket("aws_s3_bucket.other", known("other", at(2))),
    ];
    let mut plan = vec![
        bucket(r#"module.m["a"].aws_s3_bucket.b[0]"#, known("a", at(8))),
        bucket(r#"module.m["b"].aws_s3_bucket.b[0]"#, known("b", at(9))),
        bucket("aws_s3_bucket.plan_only", known("p", at(7))),
    ];
    fuse_collection(&mut source, &mut plan);
    let names: Vec<(&str, Option<&str>)> = source
        .iter()
        .map(|b| (b.origin.address.as_str(), b.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (r#"module.m["a"].aws_s3_bucket.b[0]"#, Some("a")),
            (r#"module.m["b"].aws_s3_bucket.b[0]"#, Some("b")),
            ("aws_s3_bucket.other", Some("other")),
        ]
    );
    assert_eq!(source[0].name.loc(), &at(1));
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].origin.address, "aws_s3_bucket.plan_only");
}

fn unit(kind: UnitKind, buckets: &[(&str, &str)]) -> Loaded {
    let mut model = Model::default();
    for (address, name) in buckets {
        model.buckets.push(bucket(address, known(name, at(0))));
    }
    Loaded { kind, model }
}

#[test]
fn a_plan_pairs_with_the_folder_of_its_environment() {
    let units = [
        unit(
            UnitKind::TerraformRoot,
            &[
                ("aws_s3_bucket.a", "staging-a"),
                ("aws_s3_bucket.b", "staging-b"),
            ],
        ),
        unit(
            UnitKind::Plan,
            &[("aws_s3_bucket.a", "prod-a"), ("aws_s3_bucket.b", "prod-b")],
        ),
        unit(
            UnitKind::TerraformRoot,
            &[("aws_s3_bucket.a", "prod-a"), ("aws_s3_bucket.b", "prod-b")],
        ),
    ];
    assert_eq!(pairs(&units), [(1, 2)]);
    // Alone with the other environment's folder, the plan is not fused.
    assert_eq!(pairs(&units[..2]), []);
}

#[test]
fn a_plan_pairs_only_when_most_addresses_are_shared() {
    let root = unit(
        UnitKind::TerraformRoot,
        &[
            ("aws_s3_bucket.a", "a"),
            ("aws_s3_bucket.b", "b"),
            ("aws_s3_bucket.c", "c"),
        ],
    );
    let registry = unit(
        UnitKind::Plan,
        &[
            ("aws_s3_bucket.a", "a"),
            ("aws_s3_bucket.b", "b"),
            ("module.m.aws_s3_bucket.x", "x"),
            ("module.m.aws_s3_bucket.y", "y"),
        ],
    );
    let unrelated = unit(
        UnitKind::Plan,
        &[
            ("aws_s3_bucket.a", "a"),
            ("aws_s3_bucket.q", "q"),
            ("aws_s3_bucket.r", "r"),
            ("aws_s3_bucket.s", "s"),
        ],
    );
    assert_eq!(pairs(&[root, unrelated, registry]), [(2, 0)]);
}
