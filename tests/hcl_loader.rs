//! Terraform source loader: spans, evaluation, modules, policies, providers.

#[path = "common/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use repl_lint::load::{Input, LoadOptions, load};
use repl_lint::model::{AttachedPolicy, Model, PolicyContent, Value, Versioning};
use repl_lint::source::{Loc, SourceDb};
use repl_lint::syntax::{Node, NodeKind, Part, Reference};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh folder with the given files.
fn workspace(files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "repl-lint-hcl-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn load_with(dir: &Path, opts: &LoadOptions) -> (Model, SourceDb) {
    let mut db = SourceDb::new();
    let model = load(&[Input::Path(dir.to_path_buf())], opts, &mut db);
    (model, db)
}

fn load_dir(dir: &Path) -> (Model, SourceDb) {
    load_with(dir, &LoadOptions::default())
}

fn text(db: &SourceDb, loc: &Loc) -> String {
    let span = db.resolve(loc).expect("location resolves");
    db.text(span.file)[span.start as usize..span.end as usize].to_string()
}

fn known<T: Clone + std::fmt::Debug>(v: &Value<T>) -> T {
    match v {
        Value::Known(x, _) => x.clone(),
        other => panic!("not known: {other:?}"),
    }
}

fn no_errors(m: &Model, db: &SourceDb) {
    let errs: Vec<String> = m
        .input_errors
        .iter()
        .map(|e| format!("{}: {}", db.path(e.file).display(), e.message))
        .collect();
    assert!(errs.is_empty(), "{errs:#?}");
}

fn parsed(content: &PolicyContent) -> &Node {
    match content {
        PolicyContent::Parsed(n) => n,
        other => panic!("not parsed: {other:?}"),
    }
}

fn statements(doc: &Node) -> &[Node] {
    doc.get("Statement")
        .and_then(Node::as_list)
        .expect("statements")
}

const REPLICATION: &str = r#"
resource "aws_s3_bucket" "src" {
  bucket = "src-bucket"
}

resource "aws_s3_bucket" "dst" {
  bucket = "dst-bucket"
}

resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_iam_role" "repl" {
  name = "repl"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_s3_bucket_replication_configuration" "r" {
  depends_on = [aws_s3_bucket_versioning.src]
  bucket     = aws_s3_bucket.src.id
  role       = aws_iam_role.repl.arn

  rule {
    id     = "all"
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket        = aws_s3_bucket.dst.arn
      storage_class = "STANDARD"
    }
  }
}
"#;

#[test]
fn spans_are_exact() {
    let dir = workspace(&[("main.tf", REPLICATION)]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let src = m
        .buckets
        .iter()
        .find(|b| b.origin.address == "aws_s3_bucket.src")
        .unwrap();
    assert_eq!(known(&src.name), "src-bucket");
    assert_eq!(text(&db, src.name.loc()), "\"src-bucket\"");
    assert_eq!(
        text(&db, &src.origin.header),
        "resource \"aws_s3_bucket\" \"src\""
    );

    let r = &m.replications[0];
    assert_eq!(
        r.origin.address,
        "aws_s3_bucket_replication_configuration.r"
    );
    assert!(
        matches!(&r.role, Value::Ref(x, _) if *x == Reference::new("aws_iam_role.repl", "arn"))
    );
    assert_eq!(text(&db, r.role.loc()), "aws_iam_role.repl.arn");
    assert!(
        matches!(&r.source, Value::Ref(x, _) if *x == Reference::new("aws_s3_bucket.src", "id"))
    );
    let rule = &r.rules[0];
    assert_eq!(known(&rule.id), "all");
    assert!(
        rule.priority.is_absent(),
        "priority not written stays absent"
    );
    assert_eq!(known(&rule.delete_marker_replication), "Disabled");
    assert_eq!(
        text(&db, rule.destination.bucket.loc()),
        "aws_s3_bucket.dst.arn"
    );
    assert_eq!(
        text(&db, rule.destination.storage_class.loc()),
        "\"STANDARD\""
    );
    let filter = rule.filter.as_ref().unwrap();
    assert_eq!(filter.top_level_children, 0);
    assert_eq!(text(&db, &filter.loc), "filter {}");
    assert!(
        r.depends_on
            .contains(&"aws_s3_bucket_versioning.src".to_string())
    );
    assert!(r.depends_on.contains(&"aws_iam_role.repl".to_string()));

    let v = &m.bucket_settings[0];
    assert_eq!(known(&v.settings.versioning), Versioning::Enabled);
    assert_eq!(text(&db, v.settings.versioning.loc()), "\"Enabled\"");

    // jsonencode: parsed with exact key and value spans.
    let trust = m.roles[0].trust.as_ref().unwrap();
    let doc = parsed(&trust.content);
    let st = &statements(doc)[0];
    let (key, action) = st.get_ignore_case("Action").unwrap();
    assert_eq!(text(&db, &key.loc), "Action");
    assert_eq!(text(&db, &action.loc), "\"sts:AssumeRole\"");
    assert_eq!(action.as_str(), Some("sts:AssumeRole"));
}

#[test]
fn variables_locals_and_tfvars() {
    let dir = workspace(&[
        (
            "main.tf",
            r#"
variable "env" { default = "dev" }
variable "team" {}
variable "suffix" { default = "x" }
variable "regions" { type = list(string) }
variable "from_file" {}
locals {
  name   = "${var.team}-${var.env}-${var.suffix}"
  upper  = upper(local.name)
  joined = join(",", var.regions)
}
resource "aws_s3_bucket" "a" { bucket = local.name }
resource "aws_s3_bucket" "b" { bucket = lower(local.upper) }
resource "aws_s3_bucket" "c" { bucket = local.joined }
resource "aws_s3_bucket" "d" { bucket = var.from_file }
resource "aws_s3_bucket" "e" { bucket = var.nope }
"#,
        ),
        ("terraform.tfvars", "env = \"prod\"\nteam = \"t1\"\n"),
        ("b.auto.tfvars", "team = \"t2\"\n"),
        ("extra.vars", "from_file = \"ff\"\n"),
    ]);
    let opts = LoadOptions {
        var_files: vec![dir.join("extra.vars")],
        vars: vec![
            ("suffix".into(), "cli".into()),
            ("regions".into(), "[\"eu-west-1\", \"us-east-1\"]".into()),
        ],
        ..Default::default()
    };
    let (m, db) = load_with(&dir, &opts);
    no_errors(&m, &db);
    let name = |a: &str| {
        m.buckets
            .iter()
            .find(|b| b.origin.address == a)
            .map(|b| b.name.clone())
            .unwrap()
    };
    assert_eq!(known(&name("aws_s3_bucket.a")), "t2-prod-cli");
    assert_eq!(text(&db, name("aws_s3_bucket.a").loc()), "local.name");
    assert_eq!(known(&name("aws_s3_bucket.b")), "t2-prod-cli");
    assert_eq!(known(&name("aws_s3_bucket.c")), "eu-west-1,us-east-1");
    assert_eq!(known(&name("aws_s3_bucket.d")), "ff");
    assert!(matches!(name("aws_s3_bucket.e"), Value::Unknown(..)));
}

#[test]
fn unknown_variable_says_how_to_set_it() {
    let dir = workspace(&[(
        "main.tf",
        "variable \"bucket\" {}\nresource \"aws_s3_bucket\" \"a\" { bucket = \"${var.bucket}-x\" }\n",
    )]);
    let (m, _) = load_dir(&dir);
    match &m.buckets[0].name {
        Value::Template(parts, _) => match &parts[0] {
            Part::Unknown(why) => assert!(why.0.contains("--var bucket="), "{why}"),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn count_and_for_each_instances() {
    let dir = workspace(&[(
        "main.tf",
        r#"
variable "names" { default = { a = "alpha", b = "beta" } }
resource "aws_s3_bucket" "c" {
  count  = 2
  bucket = "c-${count.index}"
}
resource "aws_s3_bucket" "f" {
  for_each = var.names
  bucket   = "${each.key}-${each.value}"
}
resource "aws_s3_bucket" "s" {
  for_each = toset(["x", "y"])
  bucket   = each.value
}
resource "aws_s3_bucket" "none" {
  count  = 0
  bucket = "never"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket.f["a"].id
  versioning_configuration { status = "Suspended" }
}
resource "aws_s3_bucket_versioning" "w" {
  count  = length(aws_s3_bucket.c)
  bucket = aws_s3_bucket.c[count.index].bucket
  versioning_configuration { status = "Enabled" }
}
"#,
    )]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let names: Vec<(String, String)> = m
        .buckets
        .iter()
        .map(|b| (b.origin.address.clone(), known(&b.name)))
        .collect();
    assert_eq!(
        names,
        vec![
            ("aws_s3_bucket.c[0]".to_string(), "c-0".to_string()),
            ("aws_s3_bucket.c[1]".into(), "c-1".into()),
            ("aws_s3_bucket.f[\"a\"]".into(), "a-alpha".into()),
            ("aws_s3_bucket.f[\"b\"]".into(), "b-beta".into()),
            ("aws_s3_bucket.s[\"x\"]".into(), "x".into()),
            ("aws_s3_bucket.s[\"y\"]".into(), "y".into()),
        ]
    );
    let v = &m.bucket_settings[0];
    assert!(
        matches!(&v.bucket, Value::Ref(r, _) if *r == Reference::new("aws_s3_bucket.f[\"a\"]", "id"))
    );
    assert_eq!(known(&v.settings.versioning), Versioning::Suspended);
    let w: Vec<_> = m
        .bucket_settings
        .iter()
        .skip(1)
        .map(|s| s.bucket.clone())
        .collect();
    assert!(
        matches!(&w[1], Value::Ref(r, _) if *r == Reference::new("aws_s3_bucket.c[1]", "bucket"))
    );
}

#[test]
fn dynamic_blocks_make_rules() {
    let dir = workspace(&[(
        "main.tf",
        r#"
locals {
  rules = [
    { id = "one", prefix = "logs/", priority = 1 },
    { id = "two", prefix = "data/", priority = 2 },
  ]
}
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = "src"
  role   = "arn:aws:iam::111111111111:role/r"
  dynamic "rule" {
    for_each = local.rules
    iterator = it
    content {
      id       = it.value.id
      priority = it.value.priority
      status   = "Enabled"
      filter { prefix = it.value.prefix }
      destination { bucket = "arn:aws:s3:::dst" }
    }
  }
}
"#,
    )]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let rules = &m.replications[0].rules;
    assert_eq!(rules.len(), 2);
    assert_eq!(known(&rules[1].id), "two");
    assert_eq!(known(&rules[1].priority), 2);
    assert_eq!(text(&db, rules[1].id.loc()), "it.value.id");
    assert_eq!(known(&rules[0].filter.as_ref().unwrap().prefix), "logs/");
}

#[test]
fn local_modules_with_inputs_and_outputs() {
    let dir = workspace(&[
        (
            "root/main.tf",
            r#"
provider "aws" {
  region = "eu-west-1"
  assume_role { role_arn = "arn:aws:iam::111111111111:role/deploy" }
}
provider "aws" {
  alias  = "dr"
  region = "us-east-1"
  allowed_account_ids = ["222222222222"]
}
module "dst" {
  source    = "../mod"
  name      = "dst-bucket"
  providers = { aws = aws.dr }
}
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = "src"
  role   = "arn:aws:iam::111111111111:role/r"
  rule {
    status = "Enabled"
    destination { bucket = module.dst.arn }
  }
}
resource "aws_s3_bucket" "src" { bucket = "src" }
"#,
        ),
        (
            "mod/main.tf",
            r#"
variable "name" {}
resource "aws_s3_bucket" "this" { bucket = var.name }
output "arn" { value = aws_s3_bucket.this.arn }
"#,
        ),
    ]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    // `mod` is only called as a module: it is not a root of its own.
    assert_eq!(
        m.buckets.len(),
        2,
        "{:?}",
        m.buckets
            .iter()
            .map(|b| &b.origin.address)
            .collect::<Vec<_>>()
    );
    let b = m
        .buckets
        .iter()
        .find(|b| b.origin.address == "module.dst.aws_s3_bucket.this")
        .unwrap();
    assert_eq!(known(&b.name), "dst-bucket");
    assert_eq!(known(&b.account), "222222222222");
    assert_eq!(known(&b.region), "us-east-1");
    let src = m
        .buckets
        .iter()
        .find(|b| b.origin.address == "aws_s3_bucket.src")
        .unwrap();
    assert_eq!(known(&src.account), "111111111111");
    assert_eq!(known(&src.region), "eu-west-1");
    let dest = &m.replications[0].rules[0].destination.bucket;
    assert!(
        matches!(dest, Value::Ref(r, _) if *r == Reference::new("module.dst.aws_s3_bucket.this", "arn"))
    );
}

#[test]
fn registry_modules_need_init_and_accounts_come_from_options() {
    let dir = workspace(&[(
        "main.tf",
        r#"
provider "aws" { alias = "dst" }
module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"
  bucket  = "b"
}
resource "aws_iam_role" "r" {
  provider           = aws.dst
  name               = "r"
  assume_role_policy = "{}"
}
resource "aws_iam_role" "s" {
  name               = "s"
  assume_role_policy = "{}"
}
"#,
    )]);
    let opts = LoadOptions {
        accounts: [("aws.dst".to_string(), "333333333333".to_string())].into(),
        ..Default::default()
    };
    let (m, _) = load_with(&dir, &opts);
    assert!(
        m.notes.iter().any(|n| n.message.contains("terraform init")),
        "{:?}",
        m.notes
    );
    let r = m
        .roles
        .iter()
        .find(|r| r.origin.address == "aws_iam_role.r")
        .unwrap();
    assert_eq!(known(&r.account), "333333333333");
    let s = m
        .roles
        .iter()
        .find(|r| r.origin.address == "aws_iam_role.s")
        .unwrap();
    match &s.account {
        Value::Unknown(why, _) => assert!(why.0.contains("--account aws=ID"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn installed_modules_are_read_from_modules_json() {
    let dir = workspace(&[
        (
            "main.tf",
            "module \"b\" {\n  source = \"acme/bucket/aws\"\n  name = \"n1\"\n}\n",
        ),
        (
            ".terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"b","Source":"registry.terraform.io/acme/bucket/aws","Dir":".terraform/modules/b"}]}"#,
        ),
        (
            ".terraform/modules/b/main.tf",
            "variable \"name\" {}\nresource \"aws_s3_bucket\" \"x\" { bucket = var.name }\n",
        ),
    ]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    assert_eq!(m.buckets.len(), 1);
    assert_eq!(m.buckets[0].origin.address, "module.b.aws_s3_bucket.x");
    assert_eq!(known(&m.buckets[0].name), "n1");
}

#[test]
fn policy_documents_keep_references() {
    let dir = workspace(&[(
        "main.tf",
        r#"
data "aws_caller_identity" "me" {}
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Base"
    actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = [aws_s3_bucket.src.arn]
  }
}
data "aws_iam_policy_document" "repl" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Write"
    effect    = "Allow"
    actions   = ["s3:ReplicateObject"]
    resources = ["${aws_s3_bucket.dst.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.me.account_id}:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
  }
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = data.aws_iam_policy_document.repl.json
}
"#,
    )]);
    let opts = LoadOptions {
        accounts: [("aws".to_string(), "444444444444".to_string())].into(),
        ..Default::default()
    };
    let (m, db) = load_with(&dir, &opts);
    no_errors(&m, &db);
    let doc = m
        .documents
        .iter()
        .find(|d| d.origin.address == "data.aws_iam_policy_document.repl")
        .unwrap();
    let node = parsed(&doc.document.content);
    let sts = statements(node);
    assert_eq!(sts.len(), 2, "source document statements come first");
    assert_eq!(sts[0].get("Sid").and_then(Node::as_str), Some("Base"));
    let write = &sts[1];
    let res = &write.get("Resource").unwrap().as_list().unwrap()[0];
    assert_eq!(
        res.kind,
        NodeKind::Template(vec![
            Part::Ref(Reference::new("aws_s3_bucket.dst", "arn")),
            Part::Lit("/*".into())
        ])
    );
    assert_eq!(text(&db, &res.loc), "\"${aws_s3_bucket.dst.arn}/*\"");
    let (k, _) = write.get_ignore_case("Action").unwrap();
    assert_eq!(text(&db, &k.loc), "actions");
    let principal = write
        .get("Principal")
        .unwrap()
        .get("AWS")
        .unwrap()
        .as_list()
        .unwrap();
    assert_eq!(
        principal[0].as_str(),
        Some("arn:aws:iam::444444444444:root")
    );
    let cond = write.get("Condition").unwrap().get("StringEquals").unwrap();
    assert!(cond.get("s3:x-amz-acl").is_some());

    match &m.role_policy_attachments[0].policy {
        AttachedPolicy::Inline(d) => match &d.content {
            PolicyContent::Ref(r) => {
                assert_eq!(
                    *r,
                    Reference::new("data.aws_iam_policy_document.repl", "json")
                )
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn heredoc_policies_map_into_the_file() {
    let dir = workspace(&[(
        "main.tf",
        r#"
resource "aws_iam_policy" "plain" {
  name   = "plain"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]
    }
  EOF
}

resource "aws_iam_policy" "holes" {
  name   = "holes"
  policy = <<EOF
{
  "Statement": [{"Effect": "Allow", "Action": "s3:ReplicateObject", "Resource": "${aws_s3_bucket.dst.arn}/*"}]
}
EOF
}
"#,
    )]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let plain = &m.managed_policies[0].document;
    match &plain.content {
        PolicyContent::Json { text: json, origin } => {
            let at = json.find("s3:ListBucket").unwrap();
            let loc = Loc::InString {
                string: origin.clone(),
                start: at as u32,
                end: (at + "s3:ListBucket".len()) as u32,
            };
            assert_eq!(text(&db, &loc), "s3:ListBucket");
            let at = json.find("\"Statement\"").unwrap();
            let loc = Loc::InString {
                string: origin.clone(),
                start: at as u32,
                end: (at + 11) as u32,
            };
            assert_eq!(text(&db, &loc), "\"Statement\"");
        }
        other => panic!("{other:?}"),
    }
    let holes = parsed(&m.managed_policies[1].document.content);
    let st = &statements(holes)[0];
    let res = st.get("Resource").unwrap();
    assert_eq!(
        res.kind,
        NodeKind::Template(vec![
            Part::Ref(Reference::new("aws_s3_bucket.dst", "arn")),
            Part::Lit("/*".into())
        ])
    );
    assert_eq!(text(&db, &res.loc), "\"${aws_s3_bucket.dst.arn}/*\"");
    assert_eq!(
        text(&db, &st.get("Action").unwrap().loc),
        "\"s3:ReplicateObject\""
    );
}

#[test]
fn invalid_json_in_a_policy_is_located() {
    let dir = workspace(&[(
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = \"{\\\"Statement\\\": [${aws_s3_bucket.b.arn}}\"\n}\n",
    )]);
    let (m, db) = load_dir(&dir);
    match &m.managed_policies[0].document.content {
        PolicyContent::Invalid { message, loc } => {
            assert!(message.contains("JSON"), "{message}");
            assert_eq!(text(&db, loc), "}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn legacy_inline_bucket_blocks() {
    let Some(dir) = corpus::case("tf-hcl-tfedit-legacy-replication-fixture") else {
        return;
    };
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let r = &m.replications[0];
    assert!(matches!(&r.source, Value::Ref(x, _) if &*x.target == "aws_s3_bucket.example"));
    assert_eq!(r.origin.address, "aws_s3_bucket.example");
    let rule = &r.rules[0];
    assert_eq!(known(&rule.delete_marker_replication), "Enabled");
    assert_eq!(
        known(&rule.destination.replication_time.as_ref().unwrap().minutes),
        15
    );
    let src = m
        .buckets
        .iter()
        .find(|b| b.origin.address == "aws_s3_bucket.example")
        .unwrap();
    assert_eq!(known(&src.settings.versioning), Versioning::Enabled);
    let dst = m
        .buckets
        .iter()
        .find(|b| b.origin.address == "aws_s3_bucket.destination")
        .unwrap();
    assert!(dst.settings.versioning.is_absent());
}

#[test]
fn heredoc_corpus_case() {
    let Some(dir) = corpus::case("tf-hcl-provider-doc-replication-configuration-heredoc-iam")
    else {
        return;
    };
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    assert_eq!(m.replications.len(), 1);
    let src = m
        .buckets
        .iter()
        .find(|b| b.origin.address == "aws_s3_bucket.source")
        .unwrap();
    assert_eq!(known(&src.region), "eu-central-1");
    let doc = parsed(&m.managed_policies[0].document.content);
    assert_eq!(statements(doc).len(), 3);
    assert!(matches!(
        m.roles[0].trust.as_ref().unwrap().content,
        PolicyContent::Json { .. }
    ));
}

#[test]
fn terraform_011_syntax_is_an_input_error() {
    let Some(dir) = corpus::case("tf-hcl-asicsdigital-cross-account-tf011") else {
        return;
    };
    let (m, db) = load_dir(&dir);
    assert_eq!(m.input_errors.len(), 1, "{:?}", m.input_errors);
    let e = &m.input_errors[0];
    assert!(e.message.contains("Terraform 0.11"), "{}", e.message);
    assert!(db.path(e.file).ends_with("locals.tf"));
    assert!(text(&db, &e.loc).starts_with('"'));
}

#[test]
fn interpolation_only_values_do_not_make_a_syntax_error_terraform_011() {
    let dir = workspace(&[(
        "main.tf",
        "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"${var.name}\"\n  tags = {\n}\n",
    )]);
    let (m, _) = load_dir(&dir);
    assert_eq!(m.input_errors.len(), 1, "{:?}", m.input_errors);
    let message = &m.input_errors[0].message;
    assert!(message.starts_with("invalid HCL"), "{message}");
}

#[test]
fn bad_hcl_is_an_input_error_with_a_span() {
    let dir = workspace(&[(
        "main.tf",
        "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \n}\n",
    )]);
    std::fs::write(
        dir.join("ok.tf"),
        "resource \"aws_s3_bucket\" \"b\" { bucket = \"b\" }\n",
    )
    .unwrap();
    let (m, _) = load_dir(&dir);
    assert_eq!(m.input_errors.len(), 1);
    assert!(matches!(m.input_errors[0].loc, Loc::Span(_)));
    // Terraform refuses the whole module; findings about the rest would be about nothing real.
    assert!(m.buckets.is_empty());
}

#[test]
fn functions_and_unknowns() {
    let dir = workspace(&[(
        "main.tf",
        r#"
locals {
  m     = merge({ a = "1" }, { b = "2" })
  ks    = join("-", keys(local.m))
  f     = format("%s-%s", "x", lookup(local.m, "b", "z"))
  t     = try(local.m.missing, "fallback")
  c     = coalesce("", "c")
  fl    = join(",", flatten([["a"], ["b", "c"]]))
  d     = jsondecode("{\"k\": \"v\"}").k
  u     = uuid()
  sp    = join(",", [for s in split(",", "a,b") : upper(s) if s != "b"])
  cond  = length(local.m) > 1 ? "many" : "few"
}
resource "aws_s3_bucket" "ks" { bucket = local.ks }
resource "aws_s3_bucket" "f" { bucket = local.f }
resource "aws_s3_bucket" "t" { bucket = local.t }
resource "aws_s3_bucket" "c" { bucket = local.c }
resource "aws_s3_bucket" "fl" { bucket = local.fl }
resource "aws_s3_bucket" "d" { bucket = local.d }
resource "aws_s3_bucket" "u" { bucket = local.u }
resource "aws_s3_bucket" "sp" { bucket = local.sp }
resource "aws_s3_bucket" "cond" { bucket = local.cond }
resource "aws_s3_bucket" "file" { bucket = file("../../etc/passwd") }
"#,
    )]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let name = |n: &str| {
        m.buckets
            .iter()
            .find(|b| b.origin.address == format!("aws_s3_bucket.{n}"))
            .unwrap()
            .name
            .clone()
    };
    assert_eq!(known(&name("ks")), "a-b");
    assert_eq!(known(&name("f")), "x-2");
    assert_eq!(known(&name("t")), "fallback");
    assert_eq!(known(&name("c")), "c");
    assert_eq!(known(&name("fl")), "a,b,c");
    assert_eq!(known(&name("d")), "v");
    assert_eq!(known(&name("sp")), "A");
    assert_eq!(known(&name("cond")), "many");
    assert!(matches!(name("u"), Value::Unknown(w, _) if w.0.contains("not supported")));
    assert!(
        matches!(name("file"), Value::Unknown(..)),
        "reads outside the module are refused"
    );
}

#[test]
fn file_and_templatefile_read_inside_the_module() {
    let dir = workspace(&[
        (
            "main.tf",
            r#"
resource "aws_iam_policy" "f" {
  name   = "f"
  policy = file("${path.module}/policy.json")
}
resource "aws_iam_policy" "t" {
  name   = "t"
  policy = templatefile("${path.module}/policy.tpl", { bucket = "b1" })
}
"#,
        ),
        (
            "policy.json",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}",
        ),
        (
            "policy.tpl",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::${bucket}/*\"}]}",
        ),
    ]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    match &m.managed_policies[0].document.content {
        PolicyContent::Json { text: t, origin } => {
            let at = t.find("s3:GetObject").unwrap() as u32;
            let loc = Loc::InString {
                string: origin.clone(),
                start: at,
                end: at + 12,
            };
            assert_eq!(text(&db, &loc), "s3:GetObject");
        }
        other => panic!("{other:?}"),
    }
    match &m.managed_policies[1].document.content {
        PolicyContent::Json { text: t, .. } => assert!(t.contains("arn:aws:s3:::b1/*")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_corpus_case_loads() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        return;
    };
    let mut cases: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("tf-hcl-"))
        })
        .collect();
    cases.sort();
    for case in cases {
        // The whole run (graph, rules) works on what the loader gives, and findings point
        // into the files.
        let out = repl_lint::engine::run(&[Input::Path(case.clone())], &Default::default());
        for f in &out.findings {
            if let Some(span) = out.sources.resolve(&f.primary) {
                assert!(
                    span.end as usize <= out.sources.text(span.file).len(),
                    "{}",
                    f.message
                );
            }
        }
        let (m, db) = load_dir(&case);
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let errors: Vec<_> = m.input_errors.iter().filter(|e| !e.warning).collect();
        if name.contains("tf011") {
            assert_eq!(errors.len(), 1, "{name}: {:?}", m.input_errors);
        } else {
            let msgs: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", db.path(e.file).display(), e.message))
                .collect();
            assert!(msgs.is_empty(), "{name}: {msgs:#?}");
            // cloudposse's example replicates only when its tfvars enable it (below).
            if !name.contains("cloudposse") {
                assert!(!m.replications.is_empty(), "{name}: no replication found");
            }
        }
    }
    let complete = corpus.join("tf-hcl-cloudposse-s3-bucket-complete/examples/complete");
    let opts = LoadOptions {
        var_files: vec![complete.join("replication.us-east-2.tfvars")],
        vars: vec![("s3_replication_enabled".into(), "true".into())],
        ..Default::default()
    };
    let (m, _) = load_with(&complete, &opts);
    let r = m
        .replications
        .iter()
        .find(|r| {
            r.origin.address == "module.s3_bucket.aws_s3_bucket_replication_configuration.default"
        })
        .expect("cloudposse replication");
    assert_eq!(r.rules.len(), 2);
    // `metrics = { status = null }` becomes "Enabled" through the module's optional() default.
    assert_eq!(
        known(&r.rules[0].destination.metrics.as_ref().unwrap().status),
        "Enabled"
    );
}

#[test]
fn try_falls_back_on_nested_errors_and_unknown_counts_keep_one_instance() {
    let dir = workspace(&[(
        "main.tf",
        r#"
variable "enabled" { type = bool }
variable "cfg" { default = { rules = [{ id = "r1" }] } }
resource "aws_s3_bucket" "b" {
  count  = var.enabled ? 1 : 0
  bucket = "b"
}
resource "aws_s3_bucket_versioning" "v" {
  count  = var.enabled ? 1 : 0
  bucket = join("", aws_s3_bucket.b[*].id)
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = aws_s3_bucket.b[0].id
  role   = "arn:aws:iam::111111111111:role/r"
  dynamic "rule" {
    for_each = flatten(try([var.cfg["rule"]], [var.cfg["rules"]], []))
    content {
      id     = rule.value.id
      status = "Enabled"
      dynamic "delete_marker_replication" {
        for_each = try(flatten([rule.value.dmr]), [])
        content { status = "Enabled" }
      }
      destination { bucket = "arn:aws:s3:::d" }
    }
  }
}
"#,
    )]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    assert_eq!(m.buckets[0].origin.address, "aws_s3_bucket.b");
    let v = &m.bucket_settings[0];
    assert!(
        matches!(&v.bucket, Value::Template(p, _) if p == &vec![Part::Ref(Reference::new("aws_s3_bucket.b", "id"))]),
        "{:?}",
        v.bucket
    );
    let r = &m.replications[0];
    assert!(matches!(&r.source, Value::Ref(x, _) if *x == Reference::new("aws_s3_bucket.b", "id")));
    assert_eq!(r.rules.len(), 1);
    assert_eq!(known(&r.rules[0].id), "r1");
    assert!(r.rules[0].delete_marker_replication.is_absent());
}

#[test]
fn var_values_given_as_text_have_valid_spans() {
    let dir = workspace(&[(
        "main.tf",
        "variable \"names\" { type = list(string) }\nresource \"aws_s3_bucket\" \"a\" { bucket = var.names[1] }\n",
    )]);
    let opts = LoadOptions {
        vars: vec![("names".into(), "[\"x\", \"y\"]".into())],
        ..Default::default()
    };
    let (m, db) = load_with(&dir, &opts);
    no_errors(&m, &db);
    assert_eq!(known(&m.buckets[0].name), "y");
    assert_eq!(text(&db, m.buckets[0].name.loc()), "var.names[1]");
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "${",
        "}",
        "{",
        "[",
        "]",
        "\"",
        "<<EOF\n",
        "\nEOF\n",
        "%{ if true }",
        "%{ endif }",
        "count.index",
        "each.value",
        "var.x",
        "local.y",
        "module.m.o",
        "data.aws_iam_policy_document.d.json",
        "jsonencode(",
        "try(",
        ")",
        ",",
        "=",
        "\n",
        "for x in",
        ":",
        "=>",
        "...",
        "[*]",
        ".0",
        "dynamic \"rule\" {",
        "content {",
        "\\u00e9",
        "é",
        "1e400",
        "-1",
        "null",
    ];

    fn mutate(base: &str, edits: &[(usize, usize, usize)]) -> String {
        let mut s = base.to_string();
        for &(at, del, piece) in edits {
            let mut at = at % (s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + del % 8).min(s.len());
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s.replace_range(at..end, PIECES[piece % PIECES.len()]);
        }
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn mutated_configurations_load(edits in proptest::collection::vec((0usize..4000, 0usize..8, 0usize..64), 1..6)) {
            let text = mutate(REPLICATION, &edits);
            let extra = "locals {\n  y = { a = [for k, v in var.x : k] }\n}\nvariable \"x\" { default = { p = 1 } }\n";
            let dir = workspace(&[("main.tf", &text), ("more.tf", &mutate(extra, &edits))]);
            let (m, db) = load_dir(&dir);
            // Every location must resolve inside its file.
            for b in &m.buckets {
                for loc in [b.name.loc(), &b.origin.header] {
                    if let Some(span) = db.resolve(loc) {
                        prop_assert!(span.end as usize <= db.text(span.file).len());
                    }
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

#[test]
fn optional_defaults_and_type_conversions() {
    let dir = workspace(&[
        (
            "main.tf",
            r#"
variable "unknown_flag" { type = bool }
module "m" {
  source = "./m"
  rules  = [{ id = "a", metrics = { status = null } }, { id = "b" }]
  create = "true"
}
"#,
        ),
        (
            "m/main.tf",
            r#"
variable "create" { type = bool }
variable "rules" {
  type = list(object({
    id      = string
    status  = optional(string, "Enabled")
    metrics = optional(object({ status = optional(string, "Enabled") }), { status = "Disabled" })
  }))
}
resource "aws_s3_bucket_replication_configuration" "r" {
  count  = var.create ? 1 : 0
  bucket = "src"
  role   = "arn:aws:iam::111111111111:role/r"
  dynamic "rule" {
    for_each = var.rules
    content {
      id     = rule.value.id
      status = rule.value.status
      destination {
        bucket = "arn:aws:s3:::d"
        metrics { status = rule.value.metrics.status }
      }
    }
  }
}
"#,
        ),
    ]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let r = &m.replications[0];
    assert_eq!(
        r.origin.address,
        "module.m.aws_s3_bucket_replication_configuration.r[0]"
    );
    let metrics = |i: usize| known(&r.rules[i].destination.metrics.as_ref().unwrap().status);
    assert_eq!(known(&r.rules[0].status), "Enabled");
    assert_eq!(metrics(0), "Enabled");
    assert_eq!(metrics(1), "Disabled");
}

#[test]
fn and_or_decide_with_one_known_side() {
    let dir = workspace(&[(
        "main.tf",
        r#"
variable "unknown" { type = bool }
resource "aws_s3_bucket" "never" {
  count  = var.unknown && false ? 1 : 0
  bucket = "never"
}
resource "aws_s3_bucket" "always" {
  count  = var.unknown || true ? 1 : 0
  bucket = "always"
}
"#,
    )]);
    let (m, _) = load_dir(&dir);
    let addrs: Vec<_> = m
        .buckets
        .iter()
        .map(|b| b.origin.address.as_str())
        .collect();
    assert_eq!(addrs, vec!["aws_s3_bucket.always[0]"]);
}

#[cfg(unix)]
#[test]
fn discovery_skips_symlink_loops_hidden_folders_and_called_modules() {
    let dir = workspace(&[
        (
            "live/main.tf",
            "module \"b\" {\n  source = \"../modules/bucket\"\n}\n",
        ),
        (
            "modules/bucket/main.tf",
            "resource \"aws_s3_bucket\" \"x\" { bucket = \"x\" }\n",
        ),
        (
            ".terraform/providers/junk.tf",
            "resource \"aws_s3_bucket\" \"junk\" { bucket = \"junk\" }\n",
        ),
        (
            "other/main.tf",
            "resource \"aws_s3_bucket\" \"y\" { bucket = \"y\" }\n",
        ),
    ]);
    std::os::unix::fs::symlink(&dir, dir.join("other/loop")).unwrap();
    let (m, _) = load_dir(&dir);
    let mut addrs: Vec<_> = m.buckets.iter().map(|b| b.origin.address.clone()).collect();
    addrs.sort();
    assert_eq!(addrs, vec!["aws_s3_bucket.y", "module.b.aws_s3_bucket.x"]);
    assert!(m.input_errors.is_empty(), "{:?}", m.input_errors);
}

#[test]
fn heredoc_with_jsonencode_of_references_keeps_them() {
    let dir = workspace(&[(
        "main.tf",
        r#"
locals {
  arns = [aws_s3_bucket.a.arn, "${aws_s3_bucket.b.arn}/*"]
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = <<POLICY
{
  "Statement": [{"Effect": "Allow", "Action": "s3:ReplicateObject", "Resource": ${jsonencode(local.arns)}}]
}
POLICY
}
"#,
    )]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let doc = parsed(&m.managed_policies[0].document.content);
    let res = statements(doc)[0]
        .get("Resource")
        .unwrap()
        .as_list()
        .unwrap();
    assert_eq!(
        res[0].kind,
        NodeKind::Template(vec![Part::Ref(Reference::new("aws_s3_bucket.a", "arn"))])
    );
    assert_eq!(text(&db, &res[0].loc), "aws_s3_bucket.a.arn");
    assert_eq!(
        res[1].kind,
        NodeKind::Template(vec![
            Part::Ref(Reference::new("aws_s3_bucket.b", "arn")),
            Part::Lit("/*".into())
        ])
    );
}

#[test]
fn tfvars_json_and_tf_var_environment() {
    // A name no other test uses: the environment is shared by the test threads.
    unsafe { std::env::set_var("TF_VAR_hcl_loader_env_only", "from-env") };
    let dir = workspace(&[
        (
            "main.tf",
            r#"
variable "hcl_loader_env_only" {}
variable "j" {}
resource "aws_s3_bucket" "e" { bucket = var.hcl_loader_env_only }
resource "aws_s3_bucket" "j" { bucket = var.j.name }
"#,
        ),
        ("x.auto.tfvars.json", r#"{"j": {"name": "from-json"}}"#),
    ]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    assert_eq!(known(&m.buckets[0].name), "from-env");
    assert_eq!(known(&m.buckets[1].name), "from-json");
}

#[test]
fn json_in_a_quoted_string_maps_through_escapes() {
    let dir = workspace(&[(
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = \"{\\\"Statement\\\":\\n [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"s3:GetObject\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n}\n",
    )]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    match &m.managed_policies[0].document.content {
        PolicyContent::Json { text: t, origin } => {
            let at = t.find("\"s3:GetObject\"").unwrap() as u32;
            let loc = Loc::InString {
                string: origin.clone(),
                start: at,
                end: at + 14,
            };
            assert_eq!(text(&db, &loc), "\\\"s3:GetObject\\\"");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn depends_on_sees_references_through_locals_and_modules() {
    let dir = workspace(&[
        (
            "main.tf",
            r#"
resource "aws_s3_bucket" "src" { bucket = "src" }
resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration { status = "Enabled" }
}
locals { source = aws_s3_bucket_versioning.src.bucket }
# Evaluates the local first, so that the replication below meets it memoized.
resource "aws_s3_bucket" "other" { bucket = "${local.source}-x" }
module "m" {
  source = "./m"
  role   = aws_iam_role.r.arn
}
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = local.source
  role   = module.m.role
  rule {
    status = "Enabled"
    destination { bucket = "arn:aws:s3:::d" }
  }
}
"#,
        ),
        (
            "m/main.tf",
            "variable \"role\" {}\noutput \"role\" { value = var.role }\n",
        ),
    ]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let deps = &m.replications[0].depends_on;
    assert!(
        deps.contains(&"aws_s3_bucket_versioning.src".to_string()),
        "{deps:?}"
    );
    assert!(deps.contains(&"aws_iam_role.r".to_string()), "{deps:?}");
}

#[test]
fn lifecycle_rules_are_read_with_locations() {
    let dir = workspace(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "src" {
  bucket = "src"
}

resource "aws_s3_bucket_lifecycle_configuration" "src" {
  bucket = aws_s3_bucket.src.id
  rule {
    id     = "archive"
    status = "Enabled"
    filter {}
    transition {
      days          = 90
      storage_class = "GLACIER"
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}

resource "aws_s3_bucket" "legacy" {
  bucket = "legacy"
  lifecycle_rule {
    enabled = false
    expiration {
      days = 10
    }
  }
}
"#,
    )]);
    let (m, db) = load_dir(&dir);
    no_errors(&m, &db);
    let lifecycle = m
        .bucket_settings
        .iter()
        .find_map(|s| s.settings.lifecycle.as_ref())
        .expect("lifecycle configuration");
    let rule = &lifecycle.rules[0];
    assert_eq!(known(&rule.status), "Enabled");
    assert_eq!(text(&db, rule.transitions[0].loc()), "\"GLACIER\"");
    assert!(rule.noncurrent_expiration.is_some());
    assert!(rule.expiration.is_none());
    let legacy = m
        .buckets
        .iter()
        .find_map(|b| b.settings.lifecycle.as_ref())
        .expect("legacy lifecycle_rule");
    assert_eq!(known(&legacy.rules[0].status), "Disabled");
    assert!(legacy.rules[0].expiration.is_some());
}

/// Root modules are parsed ahead on other cores: a broken one among several is still its own
/// input error, and the files and buckets come in input order.
#[test]
fn several_root_modules_load_in_order_with_a_broken_one_between() {
    let bucket =
        |name: &str| format!("resource \"aws_s3_bucket\" \"b\" {{ bucket = \"{name}\" }}\n");
    let (a, c, d) = (bucket("a"), bucket("c"), bucket("d"));
    let dir = workspace(&[
        ("a/main.tf", &a),
        (
            "b/main.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n",
        ),
        ("c/main.tf", &c),
        ("d/main.tf", &d),
    ]);
    let (m, db) = load_dir(&dir);
    assert_eq!(m.input_errors.len(), 1, "{:?}", m.input_errors);
    let error = &m.input_errors[0];
    assert!(db.path(error.file).ends_with("b/main.tf"));
    assert!(
        error.message.starts_with("invalid HCL"),
        "{}",
        error.message
    );
    assert_eq!(text(&db, &error.loc), "\n");
    let names: Vec<String> = m.buckets.iter().map(|b| known(&b.name)).collect();
    assert_eq!(names, ["a", "c", "d"]);
    let ids: Vec<u32> = m.buckets.iter().map(|b| b.origin.file.0).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
}
