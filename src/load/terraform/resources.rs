//! Resource instances → model (attribute paths of replication-rules.md §8.1).

use std::collections::BTreeSet;
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;

use crate::model::{
    AccountPublicAccessBlock, AccountRegion, AttachedPolicy, Bucket, BucketSettings,
    BucketSettingsResource, DeployDefaults, Destination, Filter, Format, Key as KmsKey, KeyAlias,
    KeyPolicyResource, Lifecycle, LifecycleRule, ManagedPolicy, Model, NamedDocument, OrgPolicy,
    OrgPolicyAttachment, Origin, PolicyDoc, PublicAccessBlock, Replication, ReplicationRule, Role,
    RolePolicyAttachment, SourceSelection, Sse, Tag, Toggle, Value, Versioning,
};
use crate::source::Loc;
use crate::syntax::{Key, Reference};

use super::body::{B, string_value, top};
use super::eval::{Cx, Ev, Inst, Scope, instance_address};
use super::modules::Instance;
use super::parse::FBlock;
use super::providers::{Provider, provider_for};
use super::value::{VK, Val};

const TYPES: &[&str] = &[
    "aws_s3_bucket",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_replication_configuration",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_object_lock_configuration",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_request_payment_configuration",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_account_public_access_block",
    "aws_account_region",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_iam_role_policy_attachments_exclusive",
    "aws_iam_policy",
    "aws_kms_key",
    "aws_kms_replica_key",
    "aws_kms_key_policy",
    "aws_kms_alias",
    "aws_organizations_policy",
    "aws_organizations_policy_attachment",
];

/// Everything one module instance declares.
pub fn emit(ev: &Ev, inst: &Rc<Inst>, model: &mut Model) {
    for fb in &inst.src.resources {
        if TYPES.contains(&fb.label(0)) {
            resource(ev, inst, fb, model);
        }
    }
    for fb in &inst.src.data {
        if fb.label(0) == "aws_iam_policy_document" {
            document(ev, inst, fb, model);
        }
    }
}

/// The instances of a block; when `count` / `for_each` is unknown, one instance stands for all.
fn instances(ev: &Ev, inst: &Rc<Inst>, fb: &FBlock, base: &str) -> Vec<(String, Scope)> {
    let scope = Scope::new(inst.clone());
    let list = match ev.expand(fb, &scope) {
        Ok(l) => l,
        Err(why) => {
            // A missing module is noted once already; its consequences are not repeated.
            let covered = why.0.contains("terraform init");
            ev.note_unless(
                covered,
                fb.file,
                fb.header(),
                format!(
                    "the instances of `{base}` are not known ({why}); it is analyzed as one instance"
                ),
            );
            let unknown = Val::new(VK::Unknown(why.clone()), fb.header());
            let keyed = |n: &str| {
                Val::new(
                    VK::Map(vec![
                        (
                            Key {
                                text: n.into(),
                                loc: fb.header(),
                            },
                            unknown.clone(),
                        ),
                        (
                            Key {
                                text: "value".into(),
                                loc: fb.header(),
                            },
                            unknown.clone(),
                        ),
                    ]),
                    fb.header(),
                )
            };
            vec![Instance {
                key: None,
                vars: vec![
                    ("count".into(), keyed("index")),
                    ("each".into(), keyed("key")),
                ],
            }]
        }
    };
    list.into_iter()
        .map(|i| {
            let addr = match &i.key {
                None => base.to_string(),
                Some(k) => instance_address(base, k),
            };
            let mut s = scope.clone();
            for (n, v) in i.vars {
                s = s.with(&n, v);
            }
            s.self_addr = Some(addr.as_str().into());
            (addr, s)
        })
        .collect()
}

fn document(ev: &Ev, inst: &Rc<Inst>, fb: &FBlock, model: &mut Model) {
    let base = format!("{}data.{}.{}", inst.prefix, fb.label(0), fb.label(1));
    for (addr, scope) in instances(ev, inst, fb, &base) {
        ev.doc_sites
            .borrow_mut()
            .entry(addr.clone())
            .or_insert_with(|| (scope.clone(), fb.clone()));
        let node = ev.policy_document(&addr, &scope, fb, 0);
        model.documents.push(NamedDocument {
            origin: Origin {
                address: addr,
                file: fb.file,
                header: fb.header(),
                format: Format::Terraform,
            },
            document: PolicyDoc::parsed(node, super::parse::span_loc(fb.file, fb.block.span())),
        });
    }
}

fn provider_value(v: &Val, header: &Loc) -> Value<String> {
    let loc = v.loc.clone().or(header);
    match string_value(v, loc) {
        // `region = ""` means "not set here" to the provider.
        Value::Known(s, l) if s.is_empty() => Value::Absent(l),
        other => other,
    }
}

fn resource(ev: &Ev, inst: &Rc<Inst>, fb: &FBlock, model: &mut Model) {
    let ty = fb.label(0);
    let base = format!("{}{ty}.{}", inst.prefix, fb.label(1));
    for (addr, scope) in instances(ev, inst, fb, &base) {
        let origin = Origin {
            address: addr.clone(),
            file: fb.file,
            header: fb.header(),
            format: Format::Terraform,
        };
        let provider = provider_for(ev, &scope, fb);
        let cx = Cx {
            scope,
            file: fb.file,
        };
        *ev.collect.borrow_mut() = Some(BTreeSet::new());
        let b = top(ev, cx, &fb.block);
        let r = Res {
            origin,
            provider,
            b,
        };
        r.emit(ty, model);
        *ev.collect.borrow_mut() = None;
    }
}

struct Res<'e, 'a, 'b> {
    origin: Origin,
    provider: Rc<Provider>,
    b: B<'e, 'a, 'b>,
}

impl Res<'_, '_, '_> {
    fn header(&self) -> Loc {
        self.origin.header.clone()
    }

    fn account(&self) -> Value<String> {
        provider_value(&self.provider.account, &self.header())
    }

    fn region(&self) -> Value<String> {
        // Provider v6 takes a per-resource `region`.
        let own = match self.b.s("region") {
            Value::Known(s, l) if s.is_empty() => Value::Absent(l),
            other => other,
        };
        own.or(provider_value(&self.provider.region, &self.header()))
    }

    fn settings_resource(&self, settings: BucketSettings) -> BucketSettingsResource {
        BucketSettingsResource {
            origin: self.origin.clone(),
            bucket: self.b.s("bucket"),
            expected_owner: self.b.s("expected_bucket_owner"),
            settings,
        }
    }

    fn emit(&self, ty: &str, model: &mut Model) {
        let b = &self.b;
        let h = self.header();
        match ty {
            "aws_s3_bucket" => self.bucket(model),
            "aws_s3_bucket_versioning" => {
                let status = b
                    .block("versioning_configuration")
                    .map(|v| versioning(&v.s("status")))
                    .unwrap_or(Value::Absent(h));
                let settings = BucketSettings {
                    versioning: status,
                    ..Default::default()
                };
                model.bucket_settings.push(self.settings_resource(settings));
            }
            "aws_s3_bucket_replication_configuration" => {
                let rules = b.blocks("rule").iter().map(rule).collect();
                let r = Replication {
                    origin: self.origin.clone(),
                    source: b.s("bucket"),
                    role: b.s("role"),
                    token: b.s("token"),
                    rules,
                    depends_on: self.depends_on(),
                };
                model.replications.push(r);
            }
            "aws_s3_bucket_policy" => {
                self.record_ordering(model);
                let settings = BucketSettings {
                    policy: b.policy("policy"),
                    ..Default::default()
                };
                model.bucket_settings.push(self.settings_resource(settings));
            }
            "aws_s3_bucket_server_side_encryption_configuration" => {
                let settings = BucketSettings {
                    sse: b.block("rule").map(|r| sse_rule(&r)),
                    ..Default::default()
                };
                model.bucket_settings.push(self.settings_resource(settings));
            }
            "aws_s3_bucket_object_lock_configuration" => {
                let enabled = match b.s("object_lock_enabled") {
                    Value::Absent(_) => Value::Known(true, h),
                    v => v.map(|s| s.eq_ignore_ascii_case("Enabled")),
                };
                let settings = BucketSettings {
                    object_lock: enabled,
                    object_lock_default_retention: default_retention(b),
                    object_lock_token: b.s("token"),
                    ..Default::default()
                };
                model.bucket_settings.push(self.settings_resource(settings));
            }
            "aws_s3_bucket_ownership_controls" => {
                let settings = BucketSettings {
                    ownership: b
                        .block("rule")
                        .map(|r| r.s("object_ownership"))
                        .unwrap_or(Value::Absent(h)),
                    ..Default::default()
                };
                model.bucket_settings.push(self.settings_resource(settings));
            }
            "aws_s3_bucket_public_access_block" => {
                let settings = BucketSettings {
                    public_access_block: Some(PublicAccessBlock {
                        block_public_acls: b.b("block_public_acls"),
                        ignore_public_acls: b.b("ignore_public_acls"),
                        block_public_policy: b.b("block_public_policy"),
                        restrict_public_buckets: b.b("restrict_public_buckets"),
                    }),
                    ..Default::default()
                };
                model.bucket_settings.push(self.settings_resource(settings));
            }
            "aws_s3_account_public_access_block" => {
                model
                    .account_public_access_blocks
                    .push(AccountPublicAccessBlock {
                        origin: self.origin.clone(),
                        account: b.s("account_id").or(self.account()),
                        settings: PublicAccessBlock {
                            block_public_acls: b.b("block_public_acls"),
                            ignore_public_acls: b.b("ignore_public_acls"),
                            block_public_policy: b.b("block_public_policy"),
                            restrict_public_buckets: b.b("restrict_public_buckets"),
                        },
                    });
            }
            "aws_account_region" => model.account_regions.push(AccountRegion {
                origin: self.origin.clone(),
                account: b.s("account_id").or(self.account()),
                region: b.s("region_name"),
                enabled: b.b("enabled"),
            }),
            "aws_s3_bucket_request_payment_configuration" => {
                let settings = BucketSettings {
                    request_payer: b.s("payer"),
                    ..Default::default()
                };
                model.bucket_settings.push(self.settings_resource(settings));
            }
            "aws_s3_bucket_lifecycle_configuration" => {
                let settings = BucketSettings {
                    lifecycle: Some(Lifecycle {
                        loc: h.clone(),
                        rules: b.blocks("rule").iter().map(lifecycle_rule).collect(),
                    }),
                    ..Default::default()
                };
                model.bucket_settings.push(self.settings_resource(settings));
            }
            "aws_iam_role" => {
                let name = match b.s("name") {
                    Value::Absent(l) if b.has("name_prefix") => {
                        Value::unknown("the role name is generated from `name_prefix` at apply", l)
                    }
                    Value::Absent(l) => {
                        Value::unknown("the role name is generated by Terraform at apply", l)
                    }
                    v => v,
                };
                model.roles.push(Role {
                    origin: self.origin.clone(),
                    name,
                    path: b.s("path"),
                    arn: Value::Absent(h.clone()),
                    account: self.account(),
                    trust: b.policy("assume_role_policy"),
                    inline_policies: b
                        .blocks("inline_policy")
                        .iter()
                        .filter_map(|p| p.policy("policy"))
                        .collect(),
                    managed_policy_arns: b.strings("managed_policy_arns"),
                    boundary: b.s("permissions_boundary"),
                    // Terraform sources do not say what an apply replaces; plans do.
                    replaced: None,
                    policy_references: Vec::new(),
                });
            }
            "aws_iam_role_policy" => {
                if let Some(doc) = b.policy("policy") {
                    model.role_policy_attachments.push(RolePolicyAttachment {
                        origin: self.origin.clone(),
                        roles: vec![b.s("role")],
                        policy: AttachedPolicy::Inline(doc),
                    });
                }
            }
            "aws_iam_role_policy_attachment" => {
                model.role_policy_attachments.push(RolePolicyAttachment {
                    origin: self.origin.clone(),
                    roles: vec![b.s("role")],
                    policy: AttachedPolicy::Managed(b.s("policy_arn")),
                });
            }
            "aws_iam_policy_attachment" => {
                model.role_policy_attachments.push(RolePolicyAttachment {
                    origin: self.origin.clone(),
                    roles: b.strings("roles"),
                    policy: AttachedPolicy::Managed(b.s("policy_arn")),
                });
            }
            "aws_iam_role_policy_attachments_exclusive" => {
                for arn in b.strings("policy_arns") {
                    model.role_policy_attachments.push(RolePolicyAttachment {
                        origin: self.origin.clone(),
                        roles: vec![b.s("role_name")],
                        policy: AttachedPolicy::Managed(arn),
                    });
                }
            }
            "aws_iam_policy" => {
                let document = b
                    .policy("policy")
                    .unwrap_or_else(|| PolicyDoc::unknown("the policy has no document", h.clone()));
                let name = match b.s("name") {
                    Value::Absent(l) => Value::unknown("the policy name is generated at apply", l),
                    v => v,
                };
                model.managed_policies.push(ManagedPolicy {
                    origin: self.origin.clone(),
                    name,
                    arn: Value::Absent(h),
                    document,
                    roles: Vec::new(),
                });
            }
            "aws_kms_key" | "aws_kms_replica_key" => {
                self.record_ordering(model);
                let replica = ty == "aws_kms_replica_key";
                model.keys.push(KmsKey {
                    origin: self.origin.clone(),
                    arn: Value::Absent(h.clone()),
                    key_id: Value::Absent(h.clone()),
                    account: self.account(),
                    region: self.region(),
                    policy: b.policy("policy"),
                    enabled: if replica {
                        b.b("enabled")
                    } else {
                        b.b("is_enabled")
                    },
                    key_spec: b.s("customer_master_key_spec").or(b.s("key_spec")),
                    key_usage: b.s("key_usage"),
                    multi_region: if replica {
                        Value::Known(true, h.clone())
                    } else {
                        b.b("multi_region")
                    },
                    primary: if replica {
                        b.s("primary_key_arn")
                    } else {
                        Value::Absent(h)
                    },
                });
            }
            "aws_kms_key_policy" => {
                self.record_ordering(model);
                if let Some(policy) = b.policy("policy") {
                    model.key_policies.push(KeyPolicyResource {
                        origin: self.origin.clone(),
                        key: b.s("key_id"),
                        policy,
                    });
                }
            }
            "aws_kms_alias" => {
                let name = match b.s("name") {
                    Value::Absent(l) => Value::unknown("the alias name is generated at apply", l),
                    v => v,
                };
                model.aliases.push(KeyAlias {
                    origin: self.origin.clone(),
                    name,
                    target: b.s("target_key_id"),
                    account: self.account(),
                    region: self.region(),
                });
            }
            "aws_organizations_policy" => {
                let document = b
                    .policy("content")
                    .unwrap_or_else(|| PolicyDoc::unknown("the policy has no content", h.clone()));
                model.org_policies.push(OrgPolicy {
                    origin: self.origin.clone(),
                    id: Value::Absent(h.clone()),
                    kind: match b.s("type") {
                        Value::Absent(l) => Value::Known("SERVICE_CONTROL_POLICY".into(), l),
                        v => v,
                    },
                    document,
                    targets: Vec::new(),
                });
            }
            "aws_organizations_policy_attachment" => {
                model.org_policy_attachments.push(OrgPolicyAttachment {
                    origin: self.origin.clone(),
                    policy: b.s("policy_id"),
                    target: b.s("target_id"),
                });
            }
            _ => {}
        }
    }

    fn bucket(&self, model: &mut Model) {
        let b = &self.b;
        let h = self.header();
        let name = match b.s("bucket") {
            Value::Absent(l) if b.has("bucket_prefix") => Value::unknown(
                "the bucket name is generated from `bucket_prefix` at apply",
                l,
            ),
            Value::Absent(l) => {
                Value::unknown("the bucket name is generated by Terraform at apply", l)
            }
            v => v,
        };
        let versioning = match b.block("versioning") {
            Some(v) => match v.b("enabled") {
                Value::Known(true, l) => Value::Known(Versioning::Enabled, l),
                Value::Known(false, l) => Value::Known(Versioning::Disabled, l),
                Value::Absent(_) => Value::Known(Versioning::Enabled, v.loc.clone()),
                other => other.map(|_| Versioning::Disabled),
            },
            None => Value::Absent(h.clone()),
        };
        let object_lock = match b.b("object_lock_enabled") {
            Value::Absent(_) => match b.block("object_lock_configuration") {
                Some(c) => match c.s("object_lock_enabled") {
                    Value::Absent(_) => Value::Known(true, c.loc.clone()),
                    v => v.map(|s| s.eq_ignore_ascii_case("Enabled")),
                },
                None => Value::Absent(h.clone()),
            },
            v => v,
        };
        let settings = BucketSettings {
            versioning,
            object_lock,
            ownership: Value::Absent(h.clone()),
            sse: b
                .block("server_side_encryption_configuration")
                .and_then(|s| s.block("rule"))
                .map(|r| sse_rule(&r)),
            policy: b.policy("policy"),
            public_access_block: None,
            request_payer: b.s("request_payer"),
            lifecycle: {
                let rules: Vec<LifecycleRule> = b
                    .blocks("lifecycle_rule")
                    .iter()
                    .map(legacy_lifecycle_rule)
                    .collect();
                (!rules.is_empty()).then(|| Lifecycle {
                    loc: h.clone(),
                    rules,
                })
            },
            object_lock_default_retention: b
                .block("object_lock_configuration")
                .map(|c| default_retention(&c))
                .unwrap_or(Value::Absent(h.clone())),
            object_lock_token: Value::Absent(h.clone()),
            ..Default::default()
        };
        if let Some(rc) = b.block("replication_configuration") {
            let source = Value::Ref(
                Reference::new(self.origin.address.as_str(), "bucket"),
                b.get("bucket").map(|(_, l)| l).unwrap_or(h.clone()),
            );
            let rules = rc.blocks("rules").iter().map(legacy_rule).collect();
            model.replications.push(Replication {
                origin: self.origin.clone(),
                source,
                role: rc.s("role"),
                token: Value::Absent(rc.loc.clone()),
                rules,
                depends_on: self.depends_on(),
            });
        }
        model.buckets.push(Bucket {
            origin: self.origin.clone(),
            name,
            arn: Value::Absent(h),
            account: self.account(),
            region: self.region(),
            settings,
        });
    }

    /// What a policy-holding resource waits for (`pol-principal-not-yet-existing`).
    fn record_ordering(&self, model: &mut Model) {
        model.orderings.push(crate::model::Ordering {
            address: self.origin.address.clone(),
            depends_on: self.depends_on(),
        });
    }

    /// `depends_on` plus every resource this one references, without itself.
    fn depends_on(&self) -> Vec<String> {
        let mut set: BTreeSet<String> = self.b.ev.collect.borrow().clone().unwrap_or_default();
        if let super::body::Src::Body(body) = &self.b.src
            && let Some(a) = body.get_attribute("depends_on")
            && let Expression::Array(items) = &a.value
        {
            let texts = self.b.ev.texts.borrow();
            for it in items.iter() {
                if let Some(t) = it
                    .span()
                    .and_then(|r| texts.get(&self.b.cx.file)?.get(r).map(str::trim))
                {
                    set.insert(format!("{}{t}", self.b.cx.scope.inst.prefix));
                }
            }
        }
        let own = self
            .origin
            .address
            .split('[')
            .next()
            .unwrap_or(&self.origin.address)
            .to_string();
        set.remove(&own);
        set.into_iter().collect()
    }
}

fn versioning(status: &Value<String>) -> Value<Versioning> {
    match status {
        Value::Known(s, l) => match s.as_str() {
            "Enabled" => Value::Known(Versioning::Enabled, l.clone()),
            "Suspended" => Value::Known(Versioning::Suspended, l.clone()),
            "Disabled" => Value::Known(Versioning::Disabled, l.clone()),
            other => Value::unknown(format!("unknown versioning status `{other}`"), l.clone()),
        },
        Value::Absent(l) => Value::Absent(l.clone()),
        Value::Unknown(w, l) => Value::Unknown(w.clone(), l.clone()),
        other => Value::unknown(
            "the versioning status is known only after apply",
            other.loc().clone(),
        ),
    }
}

/// The mode of `rule { default_retention { ... } }` of an Object Lock configuration, at that block.
fn default_retention(config: &B) -> Value<String> {
    match config
        .block("rule")
        .and_then(|rule| rule.block("default_retention"))
    {
        Some(d) => match d.s("mode") {
            Value::Known(mode, _) => Value::Known(mode, d.loc.clone()),
            Value::Absent(_) => Value::Known(String::new(), d.loc.clone()),
            other => other,
        },
        None => Value::Absent(config.loc.clone()),
    }
}

fn sse_rule(r: &B) -> Sse {
    let d = r.block("apply_server_side_encryption_by_default");
    let (algorithm, kms_key) = match &d {
        Some(d) => (d.s("sse_algorithm"), d.s("kms_master_key_id")),
        None => (Value::Absent(r.loc.clone()), Value::Absent(r.loc.clone())),
    };
    let blocked = match r.get("blocked_encryption_types") {
        Some((v, loc)) => match v.elements() {
            Some(items) => {
                let texts: Option<Vec<String>> = items.iter().map(Val::to_text).collect();
                match texts {
                    Some(t) => Value::Known(t, loc),
                    None => Value::unknown("the blocked encryption types are not known", loc),
                }
            }
            None => Value::Unknown(v.why(), loc),
        },
        None => Value::Absent(r.loc.clone()),
    };
    Sse {
        algorithm,
        kms_key,
        bucket_key: r.b("bucket_key_enabled"),
        blocked_encryption_types: blocked,
    }
}

/// A rule of `aws_s3_bucket_lifecycle_configuration`.
fn lifecycle_rule(r: &B) -> LifecycleRule {
    let expiration = r.block("expiration");
    let prefix = match r.block("filter") {
        Some(f) => f.s("prefix").or(f
            .block("and")
            .map_or(Value::Absent(f.loc.clone()), |a| a.s("prefix"))),
        None => r.s("prefix"),
    };
    LifecycleRule {
        loc: r.loc.clone(),
        id: r.s("id"),
        status: r.s("status"),
        prefix,
        transitions: r
            .blocks("transition")
            .iter()
            .map(|t| t.s("storage_class"))
            .collect(),
        noncurrent_transitions: r
            .blocks("noncurrent_version_transition")
            .iter()
            .map(|t| t.s("storage_class"))
            .collect(),
        expiration: expiration
            .as_ref()
            .filter(|e| e.has("days") || e.has("date"))
            .map(|e| e.loc.clone()),
        expired_object_delete_marker: expiration
            .as_ref()
            .map(|e| e.b("expired_object_delete_marker"))
            .unwrap_or(Value::Absent(r.loc.clone())),
        noncurrent_expiration: r
            .block("noncurrent_version_expiration")
            .map(|e| e.loc.clone()),
    }
}

/// A `lifecycle_rule` block of the legacy inline `aws_s3_bucket` arguments (`enabled` instead
/// of `status`, otherwise the same blocks).
fn legacy_lifecycle_rule(r: &B) -> LifecycleRule {
    let status = match r.b("enabled") {
        Value::Known(e, l) => Value::Known(if e { "Enabled" } else { "Disabled" }.to_string(), l),
        Value::Absent(l) => Value::Absent(l),
        other => Value::unknown(
            "the lifecycle rule status is not known",
            other.loc().clone(),
        ),
    };
    LifecycleRule {
        status,
        ..lifecycle_rule(r)
    }
}

fn status_of(b: Option<B>, at: &Loc) -> Value<String> {
    b.map(|x| x.s("status"))
        .unwrap_or(Value::Absent(at.clone()))
}

fn toggle(b: &B, minutes: Value<i64>) -> Toggle {
    Toggle {
        loc: b.loc.clone(),
        status: b.s("status"),
        minutes,
    }
}

fn rule(r: &B) -> ReplicationRule {
    let filter = r.block("filter").map(|f| {
        let tag = f.block("tag");
        let and = f.block("and");
        let mut tags = Vec::new();
        if let Some(t) = &tag {
            tags.push(Tag {
                key: t.s("key"),
                value: t.s("value"),
                loc: t.loc.clone(),
            });
        }
        let mut prefix = f.s("prefix");
        if let Some(a) = &and {
            prefix = prefix.or(a.s("prefix"));
            for (k, v, loc) in a.entries("tags") {
                tags.push(Tag {
                    key: k,
                    value: v,
                    loc,
                });
            }
        }
        Filter {
            loc: f.loc.clone(),
            top_level_children: usize::from(f.has("prefix"))
                + usize::from(tag.is_some())
                + usize::from(and.is_some()),
            and: and.as_ref().map(|a| a.loc.clone()),
            prefix,
            tags,
        }
    });
    let d = r.block("destination");
    let destination = match &d {
        Some(d) => Destination {
            loc: d.loc.clone(),
            bucket: d.s("bucket"),
            account: d.s("account"),
            owner_override: d
                .block("access_control_translation")
                .map(|a| a.s("owner"))
                .unwrap_or(Value::Absent(d.loc.clone())),
            storage_class: d.s("storage_class"),
            replica_kms_key: d
                .block("encryption_configuration")
                .map(|e| e.s("replica_kms_key_id"))
                .unwrap_or(Value::Absent(d.loc.clone())),
            metrics: d.block("metrics").map(|m| {
                let minutes = m
                    .block("event_threshold")
                    .map(|t| t.i("minutes"))
                    .unwrap_or(Value::Absent(m.loc.clone()));
                toggle(&m, minutes)
            }),
            replication_time: d.block("replication_time").map(|m| {
                let minutes = m
                    .block("time")
                    .map(|t| t.i("minutes"))
                    .unwrap_or(Value::Absent(m.loc.clone()));
                toggle(&m, minutes)
            }),
        },
        None => Destination {
            loc: r.loc.clone(),
            ..Default::default()
        },
    };
    let ssc = r
        .block("source_selection_criteria")
        .map(|s| SourceSelection {
            loc: s.loc.clone(),
            sse_kms: status_of(s.block("sse_kms_encrypted_objects"), &s.loc),
            replica_modifications: status_of(s.block("replica_modifications"), &s.loc),
        });
    ReplicationRule {
        loc: r.loc.clone(),
        id: r.s("id"),
        status: r.s("status"),
        priority: r.i("priority"),
        prefix: r.s("prefix"),
        filter,
        delete_marker_replication: status_of(r.block("delete_marker_replication"), &r.loc),
        source_selection: ssc,
        existing_object_replication: status_of(r.block("existing_object_replication"), &r.loc),
        destination,
        deploy_defaults: DeployDefaults::PriorityZero,
        prefix_origin: r
            .block("filter")
            .and_then(|f| {
                value_origin_outside(&f, "prefix", &r.loc).or_else(|| {
                    f.block("and")
                        .and_then(|a| value_origin_outside(&a, "prefix", &r.loc))
                })
            })
            .or_else(|| value_origin_outside(r, "prefix", &r.loc)),
    }
}

/// Where the value of `name` was written, when that is outside `within` (a variable default,
/// a local, a module argument): the value is computed rather than written in place.
fn value_origin_outside(b: &B, name: &str, within: &Loc) -> Option<Loc> {
    let (value, _) = b.get(name)?;
    let inside = match (&value.loc, within) {
        (Loc::Span(v), Loc::Span(w)) => v.file == w.file && v.start >= w.start && v.end <= w.end,
        _ => false,
    };
    (!inside && !value.loc.is_none()).then_some(value.loc)
}

/// A rule of the legacy inline `replication_configuration` block of `aws_s3_bucket`.
fn legacy_rule(r: &B) -> ReplicationRule {
    let filter = r.block("filter").map(|f| {
        let prefix = f.s("prefix");
        let tags: Vec<Tag> = f
            .entries("tags")
            .into_iter()
            .map(|(key, value, loc)| Tag { key, value, loc })
            .collect();
        // The provider sends an `And` when more than one condition is given.
        let conditions = usize::from(prefix.is_present()) + tags.len();
        Filter {
            loc: f.loc.clone(),
            and: (conditions > 1).then(|| f.loc.clone()),
            top_level_children: conditions.min(1),
            prefix,
            tags,
        }
    });
    let d = r.block("destination");
    let destination = match &d {
        Some(d) => Destination {
            loc: d.loc.clone(),
            bucket: d.s("bucket"),
            account: d.s("account_id"),
            owner_override: d
                .block("access_control_translation")
                .map(|a| a.s("owner"))
                .unwrap_or(Value::Absent(d.loc.clone())),
            storage_class: d.s("storage_class"),
            replica_kms_key: d.s("replica_kms_key_id"),
            metrics: d.block("metrics").map(|m| toggle(&m, m.i("minutes"))),
            replication_time: d
                .block("replication_time")
                .map(|m| toggle(&m, m.i("minutes"))),
        },
        None => Destination {
            loc: r.loc.clone(),
            ..Default::default()
        },
    };
    let ssc = r.block("source_selection_criteria").map(|s| {
        let sse_kms = match s.block("sse_kms_encrypted_objects").map(|x| x.b("enabled")) {
            Some(Value::Known(e, l)) => {
                Value::Known(if e { "Enabled" } else { "Disabled" }.to_string(), l)
            }
            Some(Value::Unknown(w, l)) => Value::Unknown(w, l),
            _ => Value::Absent(s.loc.clone()),
        };
        SourceSelection {
            loc: s.loc.clone(),
            sse_kms,
            replica_modifications: Value::Absent(s.loc.clone()),
        }
    });
    ReplicationRule {
        loc: r.loc.clone(),
        id: r.s("id"),
        status: r.s("status"),
        priority: r.i("priority"),
        prefix: r.s("prefix"),
        filter,
        delete_marker_replication: r.s("delete_marker_replication_status"),
        source_selection: ssc,
        existing_object_replication: Value::Absent(r.loc.clone()),
        destination,
        deploy_defaults: DeployDefaults::LegacyProvider,
        prefix_origin: r
            .block("filter")
            .and_then(|f| value_origin_outside(&f, "prefix", &r.loc))
            .or_else(|| value_origin_outside(r, "prefix", &r.loc)),
    }
}
