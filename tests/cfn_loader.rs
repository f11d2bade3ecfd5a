//! The CloudFormation loader: spans, YAML reading, intrinsics, resources, several stacks.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use repl_lint::load::{self, Input, LoadOptions};
use repl_lint::model::{Model, PolicyContent, Value, Versioning};
use repl_lint::source::{FileKind, Loc, SourceDb, StringOrigin};
use repl_lint::syntax::{Node, NodeKind, Part, Reference};

/// Loads templates given as (file name, text), each sniffed by content as the CLI does.
fn load_texts(files: &[(&str, &str)], options: &LoadOptions) -> (Model, SourceDb) {
    let mut db = SourceDb::new();
    let mut model = Model::default();
    let ids: Vec<_> = files.iter().map(|(n, t)| (db.add(*n, *t), *n)).collect();
    for (file, name) in ids {
        let kind = load::text::sniff(Path::new(name), db.text(file));
        load::load_text(file, kind, options, &db, &mut model);
    }
    (model, db)
}

fn load_one(name: &str, text: &str) -> (Model, SourceDb) {
    load_texts(&[(name, text)], &LoadOptions::default())
}

/// The source text a location stands for.
fn src(db: &SourceDb, loc: &Loc) -> String {
    let span = db.resolve(loc).expect("location resolves");
    db.text(span.file)[span.start as usize..span.end as usize].to_string()
}

fn no_errors(model: &Model) {
    let errors: Vec<_> = model.input_errors.iter().filter(|e| !e.warning).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

fn known<T: Clone + std::fmt::Debug>(v: &Value<T>) -> T {
    match v {
        Value::Known(t, _) => t.clone(),
        other => panic!("expected a known value, got {other:?}"),
    }
}

fn unknown_why<T: std::fmt::Debug>(v: &Value<T>) -> String {
    match v {
        Value::Unknown(why, _) => why.to_string(),
        other => panic!("expected an unknown value, got {other:?}"),
    }
}

const JSON_TEMPLATE: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Src": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": "src-bucket",
        "VersioningConfiguration": {"Status": "Enabled"},
        "ReplicationConfiguration": {
          "Role": {"Fn::GetAtt": ["Role", "Arn"]},
          "Rules": [
            {
              "Id": "all",
              "Status": "Enabled",
              "Priority": 1,
              "Filter": {"Prefix": "logs/"},
              "DeleteMarkerReplication": {"Status": "Disabled"},
              "Destination": {"Bucket": {"Fn::GetAtt": ["Dst", "Arn"]}, "StorageClass": "STANDARD_IA"}
            }
          ]
        }
      }
    },
    "Dst": {"Type": "AWS::S3::Bucket"},
    "Role": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        },
        "Policies": [{"PolicyName": "p", "PolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}]
      }
    }
  }
}
"#;

#[test]
fn json_spans_point_at_the_exact_nodes() {
    let (model, db) = load_one("stack.json", JSON_TEMPLATE);
    no_errors(&model);
    let src_bucket = model
        .buckets
        .iter()
        .find(|b| b.origin.address == "stack:Src")
        .unwrap();
    assert_eq!(src(&db, &src_bucket.origin.header), "\"Src\"");
    assert_eq!(src(&db, src_bucket.name.loc()), "\"src-bucket\"");
    assert_eq!(known(&src_bucket.settings.versioning), Versioning::Enabled);
    assert_eq!(
        src(&db, src_bucket.settings.versioning.loc()),
        "\"Enabled\""
    );
    assert_eq!(known(&src_bucket.arn), "arn:aws:s3:::src-bucket");

    let rc = &model.replications[0];
    assert_eq!(
        rc.role,
        Value::Ref(Reference::new("stack:Role", "Arn"), rc.role.loc().clone())
    );
    assert_eq!(
        src(&db, rc.role.loc()),
        r#"{"Fn::GetAtt": ["Role", "Arn"]}"#
    );
    assert_eq!(
        rc.source,
        Value::Ref(Reference::new("stack:Src", ""), rc.source.loc().clone())
    );
    let rule = &rc.rules[0];
    assert_eq!(known(&rule.priority), 1);
    assert_eq!(src(&db, rule.priority.loc()), "1");
    assert_eq!(known(&rule.delete_marker_replication), "Disabled");
    let filter = rule.filter.as_ref().unwrap();
    assert_eq!(known(&filter.prefix), "logs/");
    assert_eq!(filter.top_level_children, 1);
    // Dst has no BucketName: its ARN is a reference the graph resolves.
    assert_eq!(
        rule.destination.bucket,
        Value::Ref(
            Reference::new("stack:Dst", "Arn"),
            rule.destination.bucket.loc().clone()
        )
    );
    assert_eq!(
        src(&db, rule.destination.bucket.loc()),
        r#"{"Fn::GetAtt": ["Dst", "Arn"]}"#
    );
    assert_eq!(
        src(&db, rule.destination.storage_class.loc()),
        "\"STANDARD_IA\""
    );

    let role = &model.roles[0];
    let trust = role.trust.as_ref().unwrap();
    assert!(src(&db, &trust.loc).starts_with("{\n          \"Version\""));
    // A policy in a JSON string maps back into the literal, escapes included.
    let doc = &role.inline_policies[0];
    let PolicyContent::Json { text, origin } = &doc.content else {
        panic!("{:?}", doc.content)
    };
    assert!(matches!(**origin, StringOrigin::JsonLiteral(_)));
    let at = text.find("Statement").unwrap() as u32;
    let loc = Loc::InString {
        string: origin.clone(),
        start: at,
        end: at + 9,
    };
    assert_eq!(src(&db, &loc), "Statement");
}

const YAML_TEMPLATE: &str = "\
AWSTemplateFormatVersion: 2010-09-09
Resources:
  Src:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: src-bucket
      VersioningConfiguration: {Status: Enabled}
      ReplicationConfiguration:
        Role: !GetAtt Role.Arn
        Rules:
          - Status: Enabled
            Priority: 2
            Filter:
              And:
                Prefix: docs/
                TagFilters:
                  - {Key: team, Value: data}
            Destination: {Bucket: !Sub 'arn:aws:s3:::${Dst}', StorageClass: GLACIER}
  Dst:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: dst-bucket
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal: {Service: s3.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument: |
            {\"Version\": \"2012-10-17\", \"Statement\": []}
";

#[test]
fn yaml_spans_point_at_the_exact_nodes_in_block_and_flow_style() {
    let (model, db) = load_one("stack.yaml", YAML_TEMPLATE);
    no_errors(&model);
    let b = &model.buckets[0];
    assert_eq!(src(&db, &b.origin.header), "Src");
    assert_eq!(src(&db, b.name.loc()), "src-bucket");
    assert_eq!(src(&db, b.settings.versioning.loc()), "Enabled");
    let rc = &model.replications[0];
    assert_eq!(src(&db, &rc.origin.header), "ReplicationConfiguration");
    assert_eq!(src(&db, rc.role.loc()), "!GetAtt Role.Arn");
    let rule = &rc.rules[0];
    assert_eq!(src(&db, &rule.loc), {
        let start = YAML_TEMPLATE
            .find("Status: Enabled\n            Priority")
            .unwrap();
        let end = YAML_TEMPLATE.find("GLACIER}").unwrap() + "GLACIER}".len();
        &YAML_TEMPLATE[start..end]
    });
    assert_eq!(src(&db, rule.priority.loc()), "2");
    let filter = rule.filter.as_ref().unwrap();
    assert_eq!(known(&filter.prefix), "docs/");
    assert_eq!(src(&db, filter.and.as_ref().unwrap()), "And");
    assert_eq!(filter.tags.len(), 1);
    assert_eq!(src(&db, &filter.tags[0].loc), "{Key: team, Value: data}");
    assert_eq!(src(&db, filter.tags[0].value.loc()), "data");
    // Flow mapping inside block style; the Sub resolves through Dst's literal name.
    let dest = &rule.destination;
    assert_eq!(known(&dest.bucket), "arn:aws:s3:::dst-bucket");
    assert_eq!(src(&db, dest.bucket.loc()), "!Sub 'arn:aws:s3:::${Dst}'");
    assert_eq!(src(&db, dest.storage_class.loc()), "GLACIER");
    assert_eq!(
        src(&db, &dest.loc),
        "{Bucket: !Sub 'arn:aws:s3:::${Dst}', StorageClass: GLACIER}"
    );

    // `Version: 2012-10-17` unquoted stays the string.
    let trust = model.roles[0].trust.as_ref().unwrap();
    let PolicyContent::Parsed(node) = &trust.content else {
        panic!()
    };
    assert_eq!(
        node.get("Version").and_then(Node::as_str),
        Some("2012-10-17")
    );
    assert_eq!(src(&db, &node.get("Version").unwrap().loc), "2012-10-17");

    // A policy in a YAML block scalar maps back through checkpoints.
    let doc = &model.roles[0].inline_policies[0];
    let PolicyContent::Json { text, origin } = &doc.content else {
        panic!("{:?}", doc.content)
    };
    assert!(matches!(**origin, StringOrigin::Mapped { .. }));
    let at = text.find("Statement").unwrap() as u32;
    let loc = Loc::InString {
        string: origin.clone(),
        start: at,
        end: at + 9,
    };
    assert_eq!(src(&db, &loc), "Statement");
}

#[test]
fn every_short_form_reads_as_its_long_form() {
    let tags = [
        ("!Ref", "Ref"),
        ("!Condition", "Condition"),
        ("!GetAtt", "Fn::GetAtt"),
        ("!Sub", "Fn::Sub"),
        ("!Join", "Fn::Join"),
        ("!If", "Fn::If"),
        ("!Select", "Fn::Select"),
        ("!Split", "Fn::Split"),
        ("!FindInMap", "Fn::FindInMap"),
        ("!ImportValue", "Fn::ImportValue"),
        ("!Base64", "Fn::Base64"),
        ("!Cidr", "Fn::Cidr"),
        ("!GetAZs", "Fn::GetAZs"),
        ("!Equals", "Fn::Equals"),
        ("!Not", "Fn::Not"),
        ("!And", "Fn::And"),
        ("!Or", "Fn::Or"),
    ];
    let mut text = String::from("Resources:\n  X:\n    Type: AWS::S3::Bucket\n    Properties:\n");
    for (i, (tag, _)) in tags.iter().enumerate() {
        text.push_str(&format!("      P{i}: {tag} [a, b]\n"));
    }
    let mut db = SourceDb::new();
    let file = db.add("t.yaml", text.as_str());
    let (root, warnings) =
        load::cfn::parse(file, db.text(file), FileKind::CloudFormationYaml).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let props = root
        .get("Resources")
        .unwrap()
        .get("X")
        .unwrap()
        .get("Properties")
        .unwrap();
    for (i, (tag, long)) in tags.iter().enumerate() {
        let node = props.get(&format!("P{i}")).unwrap();
        let NodeKind::Map(entries) = &node.kind else {
            panic!("{tag}: {node:?}")
        };
        assert_eq!(&*entries[0].0.text, *long);
        assert_eq!(src(&db, &entries[0].0.loc), *tag);
        assert_eq!(src(&db, &node.loc), format!("{tag} [a, b]"));
        assert_eq!(src(&db, &entries[0].1.loc), "[a, b]");
    }
}

#[test]
fn short_and_long_forms_evaluate_alike() {
    let short = "\
Parameters:
  Env: {Type: String, Default: prod}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ['-', [!Ref Env, !Select [1, !Split [',', 'a,b,c']]]]
";
    let long = "\
Parameters:
  Env: {Type: String, Default: prod}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: {'Fn::Join': ['-', [{Ref: Env}, {'Fn::Select': [1, {'Fn::Split': [',', 'a,b,c']}]}]]}
";
    for text in [short, long] {
        let (model, _) = load_one("t.yaml", text);
        no_errors(&model);
        assert_eq!(known(&model.buckets[0].name), "prod-b");
    }
}

#[test]
fn unknown_tag_is_a_warning_on_its_node() {
    let text = "\
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Rain::Module ./name.yaml
      VersioningConfiguration: {Status: Enabled}
";
    let (model, db) = load_one("t.yaml", text);
    assert_eq!(model.input_errors.len(), 1, "{:?}", model.input_errors);
    let w = &model.input_errors[0];
    assert!(w.warning);
    assert_eq!(src(&db, &w.loc), "!Rain::Module");
    assert!(w.message.contains("!Rain::Module"), "{}", w.message);
    let b = &model.buckets[0];
    assert!(unknown_why(&b.name).contains("!Rain::Module"));
    assert_eq!(src(&db, b.name.loc()), "!Rain::Module ./name.yaml");
    assert_eq!(known(&b.settings.versioning), Versioning::Enabled);
}

#[test]
fn alias_bomb_is_rejected_quickly() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    text.push_str("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {Tags: *a9}\n");
    let started = Instant::now();
    let (model, _) = load_one("bomb.yaml", &text);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    let error = model.input_errors.iter().find(|e| !e.warning).unwrap();
    assert!(
        error.message.contains("billion-laughs"),
        "{}",
        error.message
    );
    assert!(model.buckets.is_empty());
}

#[test]
fn small_aliases_expand_with_a_warning() {
    let text = "\
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: &n shared-name
  C:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: *n
      PolicyDocument: {Statement: []}
";
    let (model, _) = load_one("t.yaml", text);
    no_errors(&model);
    assert!(
        model
            .input_errors
            .iter()
            .any(|e| e.message.contains("alias"))
    );
    assert_eq!(known(&model.bucket_settings[0].bucket), "shared-name");
}

#[test]
fn deep_nesting_is_an_input_error() {
    let depth = 2000;
    let flow = format!(
        "Resources: {{B: {{Type: AWS::S3::Bucket, Properties: {{Tags: {}{}}}}}}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let block: String = std::iter::once("# AWS::S3::Bucket\nResources:\n".to_string())
        .chain((1..depth).map(|i| format!("{}k:\n", " ".repeat(i))))
        .collect();
    let json = format!(
        "{{\"Resources\": {{\"B\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"Tags\": {}{}}}}}}}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    for (name, text) in [
        ("flow.yaml", flow),
        ("block.yaml", block),
        ("deep.json", json),
    ] {
        let (model, _) = load_one(name, &text);
        let error = model.input_errors.iter().find(|e| !e.warning);
        assert!(
            error.is_some_and(|e| e.message.contains("nest")),
            "{name}: {:?}",
            model.input_errors
        );
    }
}

const PARAMS_TEMPLATE: &str = "\
Parameters:
  Env:
    Type: String
    Default: dev
  DstAccount:
    Type: String
  Zones:
    Type: CommaDelimitedList
    Default: 'a, b'
Mappings:
  Classes:
    prod: {Storage: GLACIER}
    dev: {Storage: STANDARD_IA}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Deploy: !Or [!Condition IsProd, !Equals [!Ref DstAccount, '123']]
Resources:
  Src:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${AWS::AccountId}-${Env}-src'
      ObjectLockEnabled: !If [IsProd, true, !Ref AWS::NoValue]
      ReplicationConfiguration:
        Role: !Sub
          - 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Name}'
          - Name: !Join ['-', [repl, !Select [1, !Ref Zones]]]
        Rules:
          - Status: !If [NotProd, Disabled, Enabled]
            Destination:
              Bucket: !Sub 'arn:aws:s3:::${Dst.Arn}-and-${!Literal}'
              Account: !Ref DstAccount
              StorageClass: !FindInMap [Classes, !Ref Env, Storage]
              EncryptionConfiguration:
                ReplicaKmsKeyID: !ImportValue shared-replica-key
  Dst:
    Type: AWS::S3::Bucket
  Only:
    Type: AWS::S3::Bucket
    Condition: IsProd
  Maybe:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !If [Deploy, a, b]
";

#[test]
fn parameters_conditions_mappings_and_functions_resolve() {
    let mut options = LoadOptions::default();
    options
        .accounts
        .insert("params.yaml".into(), "111111111111".into());
    let (model, db) = load_texts(&[("params.yaml", PARAMS_TEMPLATE)], &options);
    no_errors(&model);
    assert!(model.input_errors.is_empty(), "{:?}", model.input_errors);
    // `Only` is skipped: IsProd is false with the default Env.
    assert_eq!(model.buckets.len(), 2);
    let b = &model.buckets[0];
    assert_eq!(known(&b.name), "111111111111-dev-src");
    assert_eq!(
        src(&db, b.name.loc()),
        "!Sub '${AWS::AccountId}-${Env}-src'"
    );
    assert_eq!(known(&b.account), "111111111111");
    // AWS::NoValue removed the key.
    assert!(b.settings.object_lock.is_absent());
    let rc = &model.replications[0];
    assert_eq!(known(&rc.role), "arn:aws:iam::111111111111:role/repl-b");
    let rule = &rc.rules[0];
    assert_eq!(known(&rule.status), "Disabled");
    let d = &rule.destination;
    assert_eq!(known(&d.storage_class), "STANDARD_IA");
    assert_eq!(
        d.bucket,
        Value::Template(
            vec![
                Part::Lit("arn:aws:s3:::".into()),
                Part::Ref(Reference::new("params:Dst", "Arn")),
                Part::Lit("-and-${Literal}".into()),
            ],
            d.bucket.loc().clone()
        )
    );
    assert!(unknown_why(&d.account).contains("--param DstAccount=VALUE"));
    assert!(unknown_why(&d.replica_kms_key).contains("shared-replica-key"));
    // Deploy cannot be decided: IsProd is false and DstAccount has no value.
    let role = &model.roles[0];
    assert!(unknown_why(&role.name).contains("condition Deploy"));

    // Values given on the command line decide the conditions the other way.
    options.params.push(("Env".into(), "prod".into()));
    options
        .params
        .push(("DstAccount".into(), "222222222222".into()));
    let (model, _) = load_texts(&[("params.yaml", PARAMS_TEMPLATE)], &options);
    no_errors(&model);
    assert_eq!(model.buckets.len(), 3);
    let b = &model.buckets[0];
    assert_eq!(known(&b.name), "111111111111-prod-src");
    assert!(known(&b.settings.object_lock));
    // Object Lock implies versioning.
    assert_eq!(known(&b.settings.versioning), Versioning::Enabled);
    let rule = &model.replications[0].rules[0];
    assert_eq!(known(&rule.status), "Enabled");
    assert_eq!(known(&rule.destination.storage_class), "GLACIER");
    assert_eq!(known(&rule.destination.account), "222222222222");
    assert_eq!(known(&model.roles[0].name), "a");
}

#[test]
fn parameter_files_are_read() {
    let dir = temp_dir("params");
    let file = dir.join("params.json");
    std::fs::write(
        &file,
        r#"[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "DstAccount", "ParameterValue": "333333333333"}]"#,
    )
    .unwrap();
    let options = LoadOptions {
        parameter_files: vec![file],
        ..LoadOptions::default()
    };
    let (model, _) = load_texts(&[("params.yaml", PARAMS_TEMPLATE)], &options);
    no_errors(&model);
    let rule = &model.replications[0].rules[0];
    assert_eq!(known(&rule.destination.account), "333333333333");
    assert_eq!(known(&rule.destination.storage_class), "GLACIER");
    // Without --account the account is unknown, with the hint to pass it.
    assert!(unknown_why(&model.buckets[0].account).contains("--account params=ID"));
    let _ = std::fs::remove_dir_all(dir);
}

const SOURCE_STACK: &str = "\
Parameters:
  DestinationAccount: {Type: String}
Resources:
  Source:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub 'src-${AWS::AccountId}'
      VersioningConfiguration: {Status: Enabled}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt Key.Arn
            BucketKeyEnabled: true
      ReplicationConfiguration:
        Role: !GetAtt Role.Arn
        Rules:
          - Status: Enabled
            Filter: {Prefix: ''}
            DeleteMarkerReplication: {Status: Enabled}
            SourceSelectionCriteria:
              SseKmsEncryptedObjects: {Status: Enabled}
              ReplicaModifications: {Status: Enabled}
            Destination:
              Bucket: arn:aws:s3:::dst-bucket
              Account: !Ref DestinationAccount
              AccessControlTranslation: {Owner: Destination}
              Metrics: {Status: Enabled, EventThreshold: {Minutes: 15}}
              ReplicationTime: {Status: Enabled, Time: {Minutes: 15}}
              EncryptionConfiguration:
                ReplicaKmsKeyID: !Sub 'arn:aws:kms:us-east-1:${DestinationAccount}:alias/dst'
  Key:
    Type: AWS::KMS::Key
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: repl
      Path: /service/
      AssumeRolePolicyDocument: {Statement: []}
      ManagedPolicyArns: [!Ref Managed]
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: repl-policy
      PolicyDocument: {Statement: []}
  Attach:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref Role]
      PolicyDocument: {Statement: []}
";

const DESTINATION_STACK: &str = r#"{
  "Resources": {
    "Dst": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": "dst-bucket",
        "VersioningConfiguration": {"Status": "Enabled"},
        "ObjectLockEnabled": true,
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": "true", "BlockPublicPolicy": false, "RestrictPublicBuckets": true}
      }
    },
    "DstPolicy": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {
        "Bucket": {"Ref": "Dst"},
        "PolicyDocument": {"Statement": []}
      }
    },
    "DstKey": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": []}}},
    "DstAlias": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/dst", "TargetKeyId": {"Ref": "DstKey"}}}
  }
}"#;

#[test]
fn two_stacks_with_accounts() {
    let mut options = LoadOptions::default();
    options
        .accounts
        .insert("source".into(), "111111111111".into());
    options
        .accounts
        .insert("destination.json".into(), "222222222222".into());
    options.regions.insert("source".into(), "eu-west-1".into());
    options
        .params
        .push(("DestinationAccount".into(), "222222222222".into()));
    let (model, db) = load_texts(
        &[
            ("source.yaml", SOURCE_STACK),
            ("destination.json", DESTINATION_STACK),
        ],
        &options,
    );
    no_errors(&model);
    assert!(model.input_errors.is_empty(), "{:?}", model.input_errors);
    let src_bucket = &model.buckets[0];
    assert_eq!(src_bucket.origin.address, "source:Source");
    assert_eq!(known(&src_bucket.name), "src-111111111111");
    assert_eq!(known(&src_bucket.account), "111111111111");
    assert_eq!(known(&src_bucket.region), "eu-west-1");
    let sse = src_bucket.settings.sse.as_ref().unwrap();
    assert_eq!(known(&sse.algorithm), "aws:kms");
    assert_eq!(
        sse.kms_key,
        Value::Ref(
            Reference::new("source:Key", "Arn"),
            sse.kms_key.loc().clone()
        )
    );
    assert!(known(&sse.bucket_key));

    let dst = &model.buckets[1];
    assert_eq!(dst.origin.address, "destination:Dst");
    assert_eq!(known(&dst.account), "222222222222");
    assert!(unknown_why(&dst.region).contains("--region destination=REGION"));
    assert!(known(&dst.settings.object_lock));
    assert_eq!(known(&dst.settings.ownership), "BucketOwnerEnforced");
    let bpa = dst.settings.public_access_block.as_ref().unwrap();
    assert!(known(&bpa.ignore_public_acls));
    assert!(!known(&bpa.block_public_policy));

    let rc = &model.replications[0];
    // The role ARN is derived from the stack account, path and name.
    assert_eq!(
        known(&rc.role),
        "arn:aws:iam::111111111111:role/service/repl"
    );
    assert_eq!(
        known(&model.roles[0].arn),
        "arn:aws:iam::111111111111:role/service/repl"
    );
    assert_eq!(src(&db, rc.role.loc()), "!GetAtt Role.Arn");
    let rule = &rc.rules[0];
    let ssc = rule.source_selection.as_ref().unwrap();
    assert_eq!(known(&ssc.sse_kms), "Enabled");
    assert_eq!(known(&ssc.replica_modifications), "Enabled");
    let d = &rule.destination;
    assert_eq!(known(&d.bucket), "arn:aws:s3:::dst-bucket");
    assert_eq!(known(&d.account), "222222222222");
    assert_eq!(known(&d.owner_override), "Destination");
    assert_eq!(
        known(&d.replica_kms_key),
        "arn:aws:kms:us-east-1:222222222222:alias/dst"
    );
    let metrics = d.metrics.as_ref().unwrap();
    assert_eq!(known(&metrics.minutes), 15);
    assert_eq!(
        known(&d.replication_time.as_ref().unwrap().status),
        "Enabled"
    );

    // Managed policy Ref is its ARN; IAM::Policy attaches by role name.
    assert_eq!(
        known(&model.roles[0].managed_policy_arns[0]),
        "arn:aws:iam::111111111111:policy/repl-policy"
    );
    assert_eq!(known(&model.role_policy_attachments[0].roles[0]), "repl");
    // A bucket policy names its bucket by Ref: the name.
    assert_eq!(known(&model.bucket_settings[0].bucket), "dst-bucket");
    assert!(model.bucket_settings[0].settings.policy.is_some());
    // Keys: ids and ARNs are assigned by AWS; the alias targets the key by reference.
    let key = model
        .keys
        .iter()
        .find(|k| k.origin.address == "destination:DstKey")
        .unwrap();
    assert!(key.policy.is_some());
    assert!(model.keys.iter().any(|k| k.policy.is_none()));
    assert_eq!(
        model.aliases[0].target,
        Value::Ref(
            Reference::new("destination:DstKey", ""),
            model.aliases[0].target.loc().clone()
        )
    );
}

#[test]
fn invalid_templates_are_input_errors_and_other_files_still_load() {
    let (model, db) = load_texts(
        &[
            (
                "bad.yaml",
                "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {a: [1, 2}\n",
            ),
            (
                "bad.json",
                "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\",}}}",
            ),
            ("good.yaml", YAML_TEMPLATE),
        ],
        &LoadOptions::default(),
    );
    let errors: Vec<_> = model.input_errors.iter().filter(|e| !e.warning).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    for e in &errors {
        let span = db.resolve(&e.loc).expect("error has a span");
        assert!(span.end > span.start || span.start > 0, "{e:?}");
    }
    assert!(errors[0].message.contains("YAML"), "{}", errors[0].message);
    assert!(errors[1].message.contains("JSON"), "{}", errors[1].message);
    assert_eq!(model.buckets.len(), 2);
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "repl-lint-cfn-{tag}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn cdk_assembly_gives_accounts_and_regions() {
    let dir = temp_dir("cdk");
    std::fs::write(
        dir.join("manifest.json"),
        r#"{
          "version": "36.0.0",
          "artifacts": {
            "SrcStack": {
              "type": "aws:cloudformation:stack",
              "environment": "aws://111111111111/eu-west-1",
              "properties": {"templateFile": "SrcStack.template.json"}
            },
            "Agnostic": {
              "type": "aws:cloudformation:stack",
              "environment": "aws://unknown-account/unknown-region",
              "properties": {"templateFile": "Agnostic.template.json", "stackName": "agnostic-stack"}
            },
            "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}
          }
        }"#,
    )
    .unwrap();
    let template = r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": "b-${AWS::Region}-${AWS::StackName}"}}}}}"#;
    std::fs::write(dir.join("SrcStack.template.json"), template).unwrap();
    std::fs::write(dir.join("Agnostic.template.json"), template).unwrap();
    // Asset files beside the templates are not inputs.
    std::fs::write(dir.join("asset.policy.json"), r#"{"Statement": []}"#).unwrap();
    std::fs::write(dir.join("tree.json"), r#"{"tree": {}}"#).unwrap();

    let mut db = SourceDb::new();
    let model = load::load(
        &[Input::Path(dir.clone())],
        &LoadOptions::default(),
        &mut db,
    );
    assert!(model.input_errors.is_empty(), "{:?}", model.input_errors);
    assert!(model.standalone_policies.is_empty());
    assert_eq!(model.buckets.len(), 2);
    let src_bucket = model
        .buckets
        .iter()
        .find(|b| b.origin.address == "SrcStack:B")
        .unwrap();
    assert_eq!(known(&src_bucket.account), "111111111111");
    assert_eq!(known(&src_bucket.region), "eu-west-1");
    assert_eq!(known(&src_bucket.name), "b-eu-west-1-SrcStack");
    let agnostic = model
        .buckets
        .iter()
        .find(|b| b.origin.address == "agnostic-stack:B")
        .unwrap();
    assert!(unknown_why(&agnostic.account).contains("--account agnostic-stack=ID"));
    assert!(matches!(agnostic.name, Value::Template(..)));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn shared_corpus_cfn_cases_load() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        return;
    };
    let mut cases: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("cfn-"))
        })
        .collect();
    cases.sort();
    for case in cases {
        let mut db = SourceDb::new();
        let model = load::load(
            &[Input::Path(case.clone())],
            &LoadOptions::default(),
            &mut db,
        );
        let errors: Vec<_> = model.input_errors.iter().filter(|e| !e.warning).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", case.display());
        // Every case holds a bucket, the stack set case inside its TemplateBody.
        assert!(!model.buckets.is_empty(), "{}", case.display());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_yaml_like_input(text in "[-a-zA-Z0-9:{}\\[\\],!&*|>'\" \n#.$]{0,200}") {
        let full = format!("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      {text}\n");
        let _ = load_one("p.yaml", &full);
        let _ = load_one("q.yaml", &text);
    }

    #[test]
    fn never_panics_on_intrinsics(
        f in prop::sample::select(vec!["!Ref", "!GetAtt", "!Sub", "!Join", "!If", "!Select",
            "!Split", "!FindInMap", "!Equals", "!Not", "!And", "!Or", "!Condition", "!Base64"]),
        arg in "[-a-zA-Z0-9:{}\\[\\],$. ]{0,40}",
    ) {
        let text = format!("Conditions:\n  C: {f} {arg}\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: C\n    Properties:\n      BucketName: {f} {arg}\n      ReplicationConfiguration: {{Role: {f} {arg}, Rules: [{{Destination: {{Bucket: {f} {arg}}}}}]}}\n");
        let _ = load_one("i.yaml", &text);
    }
}

#[test]
fn stack_set_template_body_is_read_with_spans_in_the_outer_file() {
    let text = "\
Parameters:
  App: {Type: String, Default: shop}
Resources:
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: common
      Parameters:
        - {ParameterKey: AppName, ParameterValue: !Ref App}
      StackInstancesGroup:
        - DeploymentTargets: {Accounts: ['444444444444']}
          Regions: [eu-central-1]
      TemplateBody: |
        Parameters:
          AppName: {Type: String, Default: other}
        Resources:
          Inner:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub '${AppName}-data'
              VersioningConfiguration:
                Status: Enabled
";
    let (model, db) = load_one("outer.yaml", text);
    assert!(model.input_errors.is_empty(), "{:?}", model.input_errors);
    let b = &model.buckets[0];
    assert_eq!(b.origin.address, "outer.Set:Inner");
    assert_eq!(src(&db, &b.origin.header), "Inner");
    assert_eq!(known(&b.name), "shop-data");
    assert_eq!(src(&db, b.name.loc()), "!Sub '${AppName}-data'");
    assert_eq!(src(&db, b.settings.versioning.loc()), "Enabled");
    assert_eq!(known(&b.account), "444444444444");
    assert_eq!(known(&b.region), "eu-central-1");
}

#[test]
fn flow_style_yaml_that_looks_like_json_is_read_as_yaml() {
    let text = "{Resources: {B: {Type: 'AWS::S3::Bucket', Properties: {BucketName: !Ref Name}}}, Parameters: {Name: {Type: String, Default: n}}}";
    let (model, _) = load_one("flow.yaml", text);
    no_errors(&model);
    assert_eq!(known(&model.buckets[0].name), "n");
    // A `.json` file stays strict.
    let (model, _) = load_one("flow.json", text);
    assert!(model.input_errors.iter().any(|e| !e.warning));
}

#[test]
fn import_value_reads_exports_of_templates_loaded_together() {
    let dir = temp_dir("exports");
    std::fs::write(
        dir.join("destination.yaml"),
        "\
Resources:
  Dst:
    Type: AWS::S3::Bucket
Outputs:
  Arn:
    Value: !GetAtt Dst.Arn
    Export: {Name: !Sub 'replica-${Suffix}'}
Parameters:
  Suffix: {Type: String, Default: arn}
",
    )
    .unwrap();
    std::fs::write(
        dir.join("source.yaml"),
        "\
Resources:
  Src:
    Type: AWS::S3::Bucket
    Properties:
      ReplicationConfiguration:
        Role: arn:aws:iam::111111111111:role/r
        Rules:
          - Status: Enabled
            Destination:
              Bucket: !ImportValue replica-arn
              EncryptionConfiguration: {ReplicaKmsKeyID: !ImportValue not-exported}
",
    )
    .unwrap();
    let mut db = SourceDb::new();
    let model = load::load(
        &[Input::Path(dir.clone())],
        &LoadOptions::default(),
        &mut db,
    );
    no_errors(&model);
    let d = &model.replications[0].rules[0].destination;
    assert_eq!(
        d.bucket,
        Value::Ref(
            Reference::new("destination:Dst", "Arn"),
            d.bucket.loc().clone()
        )
    );
    assert_eq!(src(&db, d.bucket.loc()), "!ImportValue replica-arn");
    assert!(unknown_why(&d.replica_kms_key).contains("not-exported"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn cycles_end_without_overflow() {
    let text = "\
Conditions:
  A: !Condition B
  B: !Not [!Condition A]
Resources:
  X:
    Type: AWS::S3::Bucket
    Condition: A
    Properties:
      BucketName: !Sub '${Y}-x'
  Y:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ['', [!Ref X, -y]]
  Z:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Select [0, [!GetAtt Z.Arn]]
";
    let (model, _) = load_one("cycle.yaml", text);
    no_errors(&model);
    assert!(
        model
            .input_errors
            .iter()
            .any(|e| e.message.contains("refers to itself"))
    );
    assert_eq!(model.buckets.len(), 2);
    assert!(!model.buckets[0].name.is_known());
    assert!(!model.roles[0].name.is_known());
}

#[test]
fn crlf_and_non_ascii_keep_exact_spans() {
    let text = "# Vorlage für Replikation – ä\r\nResources:\r\n  Bücket:\r\n    Type: AWS::S3::Bucket\r\n    Properties:\r\n      BucketName: naïve-bucket\r\n      VersioningConfiguration:\r\n        Status: Enabled\r\n";
    let (model, db) = load_one("crlf.yaml", text);
    no_errors(&model);
    let b = &model.buckets[0];
    assert_eq!(src(&db, &b.origin.header), "Bücket");
    assert_eq!(src(&db, b.name.loc()), "naïve-bucket");
    assert_eq!(src(&db, b.settings.versioning.loc()), "Enabled");
}

fn spans_are_inside(node: &Node, text: &str) -> bool {
    let ok = |loc: &Loc| match loc {
        Loc::Span(s) => {
            s.start <= s.end
                && (s.end as usize) <= text.len()
                && text.is_char_boundary(s.start as usize)
                && text.is_char_boundary(s.end as usize)
        }
        _ => true,
    };
    ok(&node.loc)
        && match &node.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .all(|(k, v)| ok(&k.loc) && spans_are_inside(v, text)),
            NodeKind::List(items) => items.iter().all(|i| spans_are_inside(i, text)),
            _ => true,
        }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn spans_stay_on_char_boundaries(text in "[-a-zäöü€😀:{}\\[\\],!&*'\" \n#]{0,120}") {
        let mut db = SourceDb::new();
        let file = db.add("u.yaml", text.as_str());
        if let Ok((root, _)) = load::cfn::parse(file, db.text(file), FileKind::CloudFormationYaml) {
            prop_assert!(spans_are_inside(&root, &text));
        }
    }
}

#[test]
fn template_rules_pin_account_and_region() {
    let text = r#"
Rules:
  OnlyInAccount:
    Assertions:
      - Assert: !Equals [!Ref AWS::AccountId, "111111111111"]
      - Assert: !Equals ["us-east-1", !Ref AWS::Region]
  OnlyInProd:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions:
      - Assert: !Equals [!Ref AWS::AccountId, "999999999999"]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: r
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "b-${AWS::AccountId}-${AWS::Region}"
"#;
    let (model, _) = load_one("pinned.yaml", text);
    no_errors(&model);
    assert_eq!(known(&model.buckets[0].account), "111111111111");
    assert_eq!(known(&model.buckets[0].name), "b-111111111111-us-east-1");
    assert_eq!(
        known(&model.roles[0].arn),
        "arn:aws:iam::111111111111:role/r"
    );
    // --account still wins over the template's rules.
    let mut options = LoadOptions::default();
    options
        .accounts
        .insert("pinned".into(), "222222222222".into());
    let (model, _) = load_texts(&[("pinned.yaml", text)], &options);
    assert_eq!(known(&model.buckets[0].account), "222222222222");
}

#[test]
fn lifecycle_and_written_references_are_read() {
    let (m, db) = load_one(
        "stack.yaml",
        r#"
Resources:
  Src:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: src
      LifecycleConfiguration:
        Rules:
          - Id: archive
            Status: Enabled
            Transitions:
              - StorageClass: DEEP_ARCHIVE
                TransitionInDays: 30
            NoncurrentVersionExpiration:
              NoncurrentDays: 7
      ReplicationConfiguration:
        Role: !GetAtt Role.Arn
        Rules: []
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: repl
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:ListBucket
                Resource: !Sub "${Src.Arn}/*"
"#,
    );
    no_errors(&m);
    let bucket = m.buckets.first().expect("bucket");
    let lifecycle = bucket.settings.lifecycle.as_ref().expect("lifecycle");
    let rule = &lifecycle.rules[0];
    assert_eq!(src(&db, rule.transitions[0].loc()), "DEEP_ARCHIVE");
    assert!(rule.noncurrent_expiration.is_some());
    let role = m.roles.first().expect("role");
    assert_eq!(role.policy_references.len(), 1);
    assert_eq!(role.policy_references[0].0, "stack:Src");
    let rc = m.replications.first().expect("replication");
    assert!(rc.depends_on.contains(&"stack:Role".to_string()));
}
