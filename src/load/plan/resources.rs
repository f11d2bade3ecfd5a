//! Resource types → model items (attribute paths as in `replication-rules.md` §8.1).

use super::document;
use super::values::{At, Shape};
use crate::model::{
    AccountPublicAccessBlock, AccountRegion, AttachedPolicy, Bucket, BucketSettings,
    BucketSettingsResource, ChangeActions, DeployDefaults, Destination, Filter, Key, KeyAlias,
    KeyPolicyResource, Lifecycle, LifecycleRule, ManagedPolicy, Model, NamedDocument, OrgPolicy,
    OrgPolicyAttachment, Origin, PolicyDoc, PublicAccessBlock, Replication, ReplicationRule, Role,
    RolePolicyAttachment, SourceSelection, Sse, Tag, Toggle, Value, Versioning, arn,
};
use crate::source::Loc;
use crate::syntax::Reference;

/// One resource instance ready to be mapped.
pub struct Res<'v> {
    pub origin: Origin,
    pub at: At<'v>,
    /// Account and region of the resource's provider configuration.
    pub account: Value<String>,
    pub region: Value<String>,
    /// Resources this one names in `depends_on` or references in its configuration.
    pub depends_on: Vec<String>,
    /// Whether the plan holds this resource's configuration.
    pub configured: bool,
    /// Where the plan says it replaces the resource (its change `actions`).
    pub replaced: Option<Loc>,
    /// What the plan does to the resource, and its values before (`change.before`).
    pub change: Option<ChangeActions>,
    pub before: Option<At<'v>>,
}

/// The managed resource types that each set one part of a bucket's configuration.
const BUCKET_SETTINGS: &[&str] = &[
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_object_lock_configuration",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_request_payment_configuration",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_lifecycle_configuration",
];

/// Whether the loader maps resources of this mode and type (others are never parsed).
pub fn is_relevant(mode: &str, ty: &str) -> bool {
    if mode == "data" {
        return matches!(
            ty,
            "aws_iam_policy_document"
                | "aws_s3_bucket"
                | "aws_iam_role"
                | "aws_kms_key"
                | "aws_caller_identity"
                | "aws_region"
        );
    }
    matches!(
        ty,
        "aws_s3_bucket"
            | "aws_s3_bucket_replication_configuration"
            | "aws_s3_account_public_access_block"
            | "aws_account_region"
            | "aws_iam_role"
            | "aws_iam_role_policy"
            | "aws_iam_role_policy_attachment"
            | "aws_iam_policy_attachment"
            | "aws_iam_policy"
            | "aws_kms_key"
            | "aws_kms_replica_key"
            | "aws_kms_key_policy"
            | "aws_kms_alias"
            | "aws_organizations_policy"
            | "aws_organizations_policy_attachment"
    ) || BUCKET_SETTINGS.contains(&ty)
}

/// Makes room in the model for `n` resources of this mode and type: the vectors of a large plan's
/// model would otherwise be copied over and over as they grow.
pub fn reserve(model: &mut Model, mode: &str, ty: &str, n: usize) {
    match (mode, ty) {
        (_, "aws_s3_bucket") => model.buckets.reserve(n),
        ("managed", "aws_s3_bucket_replication_configuration") => model.replications.reserve(n),
        (_, "aws_iam_role") => model.roles.reserve(n),
        ("managed", "aws_iam_policy") => model.managed_policies.reserve(n),
        (
            "managed",
            "aws_iam_role_policy" | "aws_iam_role_policy_attachment" | "aws_iam_policy_attachment",
        ) => model.role_policy_attachments.reserve(n),
        ("managed", "aws_kms_key" | "aws_kms_replica_key") | ("data", "aws_kms_key") => {
            model.keys.reserve(n)
        }
        ("managed", "aws_kms_key_policy") => model.key_policies.reserve(n),
        ("data", "aws_iam_policy_document") => model.documents.reserve(n),
        ("managed", t) if BUCKET_SETTINGS.contains(&t) => model.bucket_settings.reserve(n),
        _ => {}
    }
}

pub fn map(model: &mut Model, r: Res<'_>, mode: &str, ty: &str) {
    if mode == "data" {
        match ty {
            "aws_iam_policy_document" => policy_document(model, r),
            "aws_s3_bucket" => data_bucket(model, r),
            "aws_iam_role" => role(model, r, true),
            "aws_kms_key" => data_key(model, r),
            _ => {}
        }
        return;
    }
    match ty {
        "aws_s3_bucket" => bucket(model, r),
        "aws_s3_bucket_versioning" => {
            let v = r.at.key("versioning_configuration");
            let before = r
                .before
                .as_ref()
                .and_then(|b| b.key("versioning_configuration").block())
                .map(|b| versioning_status(&b.key("status")))
                .unwrap_or_default();
            let settings = BucketSettings {
                versioning: match v.block() {
                    Some(b) => versioning_status(&b.key("status")),
                    None => Value::Absent(r.at.loc()),
                },
                versioning_before: before,
                ..Default::default()
            };
            settings_resource(model, r, settings);
        }
        "aws_s3_bucket_replication_configuration" => replication(model, r),
        "aws_s3_bucket_policy" => {
            let settings = BucketSettings {
                policy: r.at.key("policy").policy(),
                ..Default::default()
            };
            settings_resource(model, r, settings);
        }
        "aws_s3_bucket_server_side_encryption_configuration" => {
            let settings = BucketSettings {
                sse: r.at.key("rule").block().map(|rule| sse_rule(&rule)),
                ..Default::default()
            };
            settings_resource(model, r, settings);
        }
        "aws_s3_bucket_object_lock_configuration" => {
            let enabled = r.at.key("object_lock_enabled");
            let object_lock = match enabled.string() {
                Value::Known(s, l) => Value::Known(s.eq_ignore_ascii_case("Enabled"), l),
                // The provider's default is `Enabled`: the resource exists to enable it.
                Value::Absent(l) => Value::Known(true, l),
                other => other.map(|_| false),
            };
            let settings = BucketSettings {
                object_lock,
                object_lock_default_retention: default_retention(&r.at),
                object_lock_token: r.at.key("token").string(),
                ..Default::default()
            };
            settings_resource(model, r, settings);
        }
        "aws_s3_bucket_ownership_controls" => {
            let ownership = match r.at.key("rule").block() {
                Some(rule) => rule.key("object_ownership").string(),
                None => Value::Absent(r.at.loc()),
            };
            let settings = BucketSettings {
                ownership,
                ..Default::default()
            };
            settings_resource(model, r, settings);
        }
        "aws_s3_bucket_public_access_block" => {
            let at = &r.at;
            let pab = PublicAccessBlock {
                block_public_acls: at.key("block_public_acls").bool(),
                ignore_public_acls: at.key("ignore_public_acls").bool(),
                block_public_policy: at.key("block_public_policy").bool(),
                restrict_public_buckets: at.key("restrict_public_buckets").bool(),
            };
            let settings = BucketSettings {
                public_access_block: Some(pab),
                ..Default::default()
            };
            settings_resource(model, r, settings);
        }
        "aws_s3_account_public_access_block" => {
            let at = &r.at;
            let settings = PublicAccessBlock {
                block_public_acls: at.key("block_public_acls").bool(),
                ignore_public_acls: at.key("ignore_public_acls").bool(),
                block_public_policy: at.key("block_public_policy").bool(),
                restrict_public_buckets: at.key("restrict_public_buckets").bool(),
            };
            // `account_id` is computed when not written: the provider's account then.
            let account = match at.key("account_id").string() {
                known @ Value::Known(..) => known,
                _ => r.account.clone(),
            };
            model
                .account_public_access_blocks
                .push(AccountPublicAccessBlock {
                    origin: r.origin,
                    account,
                    settings,
                });
        }
        "aws_account_region" => {
            let at = &r.at;
            let account = match at.key("account_id").string() {
                known @ Value::Known(..) => known,
                _ => r.account.clone(),
            };
            model.account_regions.push(AccountRegion {
                account,
                region: at.key("region_name").string(),
                enabled: at.key("enabled").bool(),
                origin: r.origin,
            });
        }
        "aws_s3_bucket_request_payment_configuration" => {
            let settings = BucketSettings {
                request_payer: r.at.key("payer").string(),
                ..Default::default()
            };
            settings_resource(model, r, settings);
        }
        "aws_s3_bucket_acl" => {
            let settings = BucketSettings::default();
            settings_resource(model, r, settings);
        }
        "aws_s3_bucket_lifecycle_configuration" => {
            let settings = BucketSettings {
                lifecycle: Some(Lifecycle {
                    loc: r.at.loc(),
                    rules: r
                        .at
                        .key("rule")
                        .blocks()
                        .iter()
                        .map(|b| lifecycle_rule(b, "status"))
                        .collect(),
                }),
                ..Default::default()
            };
            settings_resource(model, r, settings);
        }
        "aws_iam_role" => role(model, r, false),
        "aws_iam_role_policy" => {
            let document =
                r.at.key("policy")
                    .policy()
                    .unwrap_or_else(|| missing_policy(&r.at));
            model.role_policy_attachments.push(RolePolicyAttachment {
                roles: vec![r.at.key("role").string()],
                policy: AttachedPolicy::Inline(document),
                origin: r.origin,
            });
        }
        "aws_iam_role_policy_attachment" => {
            model.role_policy_attachments.push(RolePolicyAttachment {
                roles: vec![r.at.key("role").string()],
                policy: AttachedPolicy::Managed(r.at.key("policy_arn").string()),
                origin: r.origin,
            });
        }
        "aws_iam_policy_attachment" => {
            model.role_policy_attachments.push(RolePolicyAttachment {
                roles: r.at.key("roles").strings(),
                policy: AttachedPolicy::Managed(r.at.key("policy_arn").string()),
                origin: r.origin,
            });
        }
        "aws_iam_policy" => {
            let document =
                r.at.key("policy")
                    .policy()
                    .unwrap_or_else(|| missing_policy(&r.at));
            model.managed_policies.push(ManagedPolicy {
                name: r.at.key("name").string(),
                arn: r.at.key("arn").string(),
                document,
                roles: Vec::new(),
                origin: r.origin,
            });
        }
        "aws_kms_key" | "aws_kms_replica_key" => key(model, r, ty == "aws_kms_replica_key"),
        "aws_kms_key_policy" => {
            let policy =
                r.at.key("policy")
                    .policy()
                    .unwrap_or_else(|| missing_policy(&r.at));
            model.key_policies.push(KeyPolicyResource {
                key: r.at.key("key_id").string(),
                policy,
                origin: r.origin,
            });
        }
        "aws_kms_alias" => {
            let alias_arn = r.at.key("arn").string();
            model.aliases.push(KeyAlias {
                name: r.at.key("name").string(),
                target: r.at.key("target_key_id").string(),
                account: account_from_arn(&alias_arn, &r.account),
                region: region_from_arn(&alias_arn, &r.at, &r.region),
                origin: r.origin,
            });
        }
        "aws_organizations_policy" => {
            let document =
                r.at.key("content")
                    .policy()
                    .unwrap_or_else(|| missing_policy(&r.at));
            model.org_policies.push(OrgPolicy {
                id: r.at.key("id").string(),
                kind: r.at.key("type").string(),
                document,
                targets: Vec::new(),
                origin: r.origin,
            });
        }
        "aws_organizations_policy_attachment" => {
            model.org_policy_attachments.push(OrgPolicyAttachment {
                policy: r.at.key("policy_id").string(),
                target: r.at.key("target_id").string(),
                origin: r.origin,
            });
        }
        _ => {}
    }
}

/// A required policy argument that the plan does not show (an invalid plan, but no panic).
fn missing_policy(at: &At<'_>) -> PolicyDoc {
    PolicyDoc::unknown("the plan shows no policy", at.loc())
}

fn settings_resource(model: &mut Model, r: Res<'_>, mut settings: BucketSettings) {
    settings.change = r.change;
    model.bucket_settings.push(BucketSettingsResource {
        bucket: r.at.key("bucket").string(),
        expected_owner: r.at.key("expected_bucket_owner").string(),
        settings,
        origin: r.origin,
    });
}

/// A legacy attribute of `aws_s3_bucket` that newer providers compute from the separate
/// resources: unknown and not written in the configuration means "not set here".
/// A lifecycle rule; `status_key` is `status`, or `enabled` in the legacy inline block.
fn lifecycle_rule(b: &At<'_>, status_key: &'static str) -> LifecycleRule {
    let classes = |key: &'static str| -> Vec<Value<String>> {
        b.key(key)
            .blocks()
            .iter()
            .map(|t| t.key("storage_class").string())
            .collect()
    };
    let status = match status_key {
        "enabled" => match b.key("enabled").bool() {
            Value::Known(e, l) => {
                Value::Known(if e { "Enabled" } else { "Disabled" }.to_string(), l)
            }
            other => other.map(|_| String::new()),
        },
        key => b.key(key).string(),
    };
    let expiration = b.key("expiration").block();
    let expires = expiration.as_ref().filter(|e| {
        matches!(e.key("days").int(), Value::Known(d, _) if d > 0)
            || matches!(e.key("date").string(), Value::Known(d, _) if !d.is_empty())
    });
    let prefix = match (status_key, b.key("filter").block()) {
        ("status", Some(f)) => f.key("prefix").string().or(match f.key("and").block() {
            Some(a) => a.key("prefix").string(),
            None => Value::Absent(f.loc()),
        }),
        _ => b.key("prefix").string(),
    };
    LifecycleRule {
        loc: b.loc(),
        id: b.key("id").string(),
        status,
        prefix,
        transitions: classes("transition"),
        noncurrent_transitions: classes("noncurrent_version_transition"),
        expiration: expires.map(At::loc),
        expired_object_delete_marker: expiration
            .as_ref()
            .map(|e| e.key("expired_object_delete_marker").bool())
            .unwrap_or_else(|| Value::Absent(b.loc())),
        noncurrent_expiration: b
            .key("noncurrent_version_expiration")
            .block()
            .map(|e| e.loc()),
    }
}

fn declared<'v>(at: At<'v>) -> Option<At<'v>> {
    if at.is_unknown() && !at.in_config() {
        None
    } else {
        Some(at)
    }
}

/// The resource's own `region` (a computed attribute in provider v4/v5, an argument in v6),
/// else its provider's region.
fn resource_region(at: &At<'_>, provider: &Value<String>) -> Value<String> {
    let region = at.key("region");
    if region.shape().is_some_and(|v| v != Shape::Null) || region.in_config() {
        region.string().or(provider.clone())
    } else {
        provider.clone()
    }
}

fn account_from_arn(arn_value: &Value<String>, provider: &Value<String>) -> Value<String> {
    match arn_value {
        Value::Known(a, loc) => match arn::account_of(a) {
            Some(acct) if !acct.is_empty() => Value::Known(acct.to_string(), loc.clone()),
            _ => provider.clone(),
        },
        _ => provider.clone(),
    }
}

fn region_from_arn(
    arn_value: &Value<String>,
    at: &At<'_>,
    provider: &Value<String>,
) -> Value<String> {
    match arn_value {
        Value::Known(a, loc) => match arn::region_of(a) {
            Some(r) if !r.is_empty() => Value::Known(r.to_string(), loc.clone()),
            _ => resource_region(at, provider),
        },
        _ => resource_region(at, provider),
    }
}

fn versioning_status(at: &At<'_>) -> Value<Versioning> {
    match at.string() {
        Value::Known(s, l) => match s.as_str() {
            "Enabled" => Value::Known(Versioning::Enabled, l),
            "Suspended" => Value::Known(Versioning::Suspended, l),
            "Disabled" => Value::Known(Versioning::Disabled, l),
            other => Value::unknown(format!("unexpected versioning status `{other}`"), l),
        },
        other => other.map(|_| Versioning::Disabled),
    }
}

/// The legacy `versioning[0].enabled` of `aws_s3_bucket`.
fn legacy_versioning(at: &At<'_>) -> Value<Versioning> {
    match declared(at.key("versioning")).and_then(|v| v.block()) {
        Some(v) => match v.key("enabled").bool() {
            Value::Known(true, l) => Value::Known(Versioning::Enabled, l),
            Value::Known(false, l) => Value::Known(Versioning::Disabled, l),
            other => other.map(|_| Versioning::Disabled),
        },
        None => Value::Absent(at.loc()),
    }
}

fn bucket(model: &mut Model, r: Res<'_>) {
    let at = &r.at;
    let name = at.key("bucket").string();
    let settings = BucketSettings {
        versioning: legacy_versioning(at),
        object_lock: bucket_object_lock(at),
        object_lock_default_retention: declared(at.key("object_lock_configuration"))
            .and_then(|b| b.block())
            .map(|b| default_retention(&b))
            .unwrap_or_else(|| Value::Absent(at.loc())),
        object_lock_token: Value::Absent(at.loc()),
        ownership: Value::Absent(at.loc()),
        sse: declared(at.key("server_side_encryption_configuration"))
            .and_then(|s| s.block())
            .and_then(|s| s.key("rule").block())
            .map(|rule| sse_rule(&rule)),
        policy: declared(at.key("policy")).and_then(|p| p.policy()),
        public_access_block: None,
        request_payer: declared(at.key("request_payer"))
            .map(|p| p.string())
            .unwrap_or_else(|| Value::Absent(at.loc())),
        // Like the legacy replication block, provider v4+ computes `lifecycle_rule` from the
        // bucket's current state: only rules written in the configuration are this resource's.
        lifecycle: Some(at.key("lifecycle_rule"))
            .filter(|l| l.in_config() || !r.configured)
            .map(|l| l.blocks())
            .filter(|rules| !rules.is_empty())
            .map(|rules| Lifecycle {
                loc: at.key("lifecycle_rule").loc(),
                rules: rules.iter().map(|b| lifecycle_rule(b, "enabled")).collect(),
            }),
        change: r.change,
        versioning_before: r.before.as_ref().map(legacy_versioning).unwrap_or_default(),
    };
    // Provider v4+ computes the legacy block from the bucket's current replication, which a
    // separate resource manages: only a block written in the configuration is this bucket's.
    let legacy = at.key("replication_configuration");
    let written = legacy.in_config() || !r.configured;
    if let Some(rc) = declared(legacy).filter(|_| written).and_then(|b| b.block()) {
        let source = Value::Ref(
            Reference::new(r.origin.address.as_str(), "bucket"),
            at.key("bucket").loc(),
        );
        legacy_replication(model, &r, rc, source);
    }
    model.buckets.push(Bucket {
        name,
        arn: at.key("arn").string(),
        account: r.account.clone(),
        region: resource_region(at, &r.region),
        settings,
        origin: r.origin,
    });
}

fn bucket_object_lock(at: &At<'_>) -> Value<bool> {
    let enabled = at.key("object_lock_enabled");
    if let Some(e) = declared(enabled.clone()) {
        let v = e.bool();
        if v.is_present() {
            return v;
        }
    }
    match declared(at.key("object_lock_configuration")).and_then(|b| b.block()) {
        Some(b) => match b.key("object_lock_enabled").string() {
            Value::Known(s, l) => Value::Known(s.eq_ignore_ascii_case("Enabled"), l),
            other => other.map(|_| false),
        },
        None => Value::Absent(at.loc()),
    }
}

/// The mode of `rule[0].default_retention[0]` of an Object Lock configuration, at that block.
fn default_retention(config: &At<'_>) -> Value<String> {
    match config
        .key("rule")
        .block()
        .and_then(|rule| rule.key("default_retention").block())
    {
        Some(d) => match d.key("mode").string() {
            Value::Known(mode, _) => Value::Known(mode, d.loc()),
            Value::Absent(_) => Value::Known(String::new(), d.loc()),
            other => other,
        },
        None => Value::Absent(config.loc()),
    }
}

fn sse_rule(rule: &At<'_>) -> Sse {
    let default = rule.key("apply_server_side_encryption_by_default").block();
    let absent = || Value::Absent(rule.loc());
    Sse {
        algorithm: default
            .as_ref()
            .map_or_else(absent, |d| d.key("sse_algorithm").string()),
        kms_key: default
            .as_ref()
            .map_or_else(absent, |d| d.key("kms_master_key_id").string()),
        bucket_key: rule.key("bucket_key_enabled").bool(),
        blocked_encryption_types: {
            let b = rule.key("blocked_encryption_types");
            if b.is_unknown() {
                b.unknown()
            } else {
                let items = b.strings();
                if items.is_empty() {
                    Value::Absent(rule.loc())
                } else {
                    let values: Vec<String> =
                        items.iter().filter_map(|v| v.get().cloned()).collect();
                    if values.len() == items.len() {
                        Value::Known(values, b.loc())
                    } else {
                        Value::unknown(
                            "some blocked encryption types are known only after apply",
                            b.loc(),
                        )
                    }
                }
            }
        },
    }
}

/// How the rules' priorities are read: the provider writes 0 for an omitted priority, so only
/// the configuration tells whether one was set.
#[derive(Clone, Copy)]
enum Priorities {
    /// The configuration writes the rules out one for one.
    ByConfig,
    /// Dynamic blocks, sets, or no configuration in the plan.
    FromValues,
}

fn priorities(rules: &At<'_>, count: usize) -> Priorities {
    match rules.config_blocks() {
        Some(n) if n == count && n > 0 => Priorities::ByConfig,
        _ => Priorities::FromValues,
    }
}

fn priority(at: &At<'_>, how: Priorities) -> Value<i64> {
    match how {
        Priorities::ByConfig if !at.in_config() => Value::Absent(at.parent_loc()),
        Priorities::ByConfig => at.int(),
        Priorities::FromValues => match at.int() {
            Value::Known(0, l) => Value::unknown(
                "the plan shows priority 0, which the provider also writes when none is set \
                 (the configuration does not show this rule)",
                l,
            ),
            v => v,
        },
    }
}

fn status_of(block: Option<At<'_>>, owner: &At<'_>) -> Value<String> {
    match block {
        Some(b) => b.key("status").string(),
        None => Value::Absent(owner.loc()),
    }
}

fn toggle(at: &At<'_>, minutes: impl FnOnce(&At<'_>) -> Value<i64>) -> Toggle {
    Toggle {
        loc: at.loc(),
        status: at.key("status").string(),
        minutes: minutes(at),
    }
}

fn replication(model: &mut Model, r: Res<'_>) {
    let at = &r.at;
    let rules_at = at.key("rule");
    let blocks = rules_at.blocks();
    let how = priorities(&rules_at, blocks.len());
    let rules = blocks.iter().map(|rule| rule_v2(rule, how)).collect();
    model.replications.push(Replication {
        source: at.key("bucket").string(),
        role: at.key("role").string(),
        token: at.key("token").string(),
        rules,
        depends_on: r.depends_on,
        origin: r.origin,
    });
}

fn rule_v2(rule: &At<'_>, how: Priorities) -> ReplicationRule {
    let ssc = rule.key("source_selection_criteria").block();
    ReplicationRule {
        loc: rule.loc(),
        id: rule.key("id").string(),
        status: rule.key("status").string(),
        priority: priority(&rule.key("priority"), how),
        // The provider computes an unset rule-level prefix: unknown and not written is not set.
        prefix: declared(rule.key("prefix"))
            .map_or_else(|| Value::Absent(rule.loc()), |p| p.string()),
        filter: rule.key("filter").block().map(|f| filter_v2(&f)),
        delete_marker_replication: status_of(rule.key("delete_marker_replication").block(), rule),
        source_selection: ssc.map(|s| SourceSelection {
            loc: s.loc(),
            sse_kms: status_of(s.key("sse_kms_encrypted_objects").block(), &s),
            replica_modifications: status_of(s.key("replica_modifications").block(), &s),
        }),
        existing_object_replication: status_of(
            rule.key("existing_object_replication").block(),
            rule,
        ),
        deploy_defaults: DeployDefaults::PriorityZero,
        prefix_origin: None,
        destination: match rule.key("destination").block() {
            Some(d) => destination_v2(&d),
            None => Destination {
                loc: rule.loc(),
                ..Default::default()
            },
        },
    }
}

fn tag(at: &At<'_>) -> Tag {
    Tag {
        key: at.key("key").string(),
        value: at.key("value").string(),
        loc: at.loc(),
    }
}

fn map_tags(at: &At<'_>) -> Vec<Tag> {
    if at.is_unknown() {
        return vec![Tag {
            key: at.unknown(),
            value: at.unknown(),
            loc: at.loc(),
        }];
    }
    at.entries()
        .into_iter()
        .map(|(k, v)| Tag {
            key: Value::Known(k, v.loc()),
            value: v.string(),
            loc: v.loc(),
        })
        .collect()
}

fn filter_v2(f: &At<'_>) -> Filter {
    let prefix = f.key("prefix").string();
    let tag_block = f.key("tag").block();
    let and = f.key("and").block();
    let top_level_children = usize::from(prefix.is_present())
        + usize::from(tag_block.is_some())
        + usize::from(and.is_some());
    let mut tags: Vec<Tag> = tag_block.iter().map(tag).collect();
    let mut filter_prefix = prefix;
    if let Some(and) = &and {
        tags.extend(map_tags(&and.key("tags")));
        filter_prefix = filter_prefix.or(and.key("prefix").string());
    }
    Filter {
        loc: f.loc(),
        prefix: filter_prefix,
        tags,
        top_level_children,
        and: and.map(|a| a.loc()),
    }
}

fn destination_v2(d: &At<'_>) -> Destination {
    Destination {
        loc: d.loc(),
        bucket: d.key("bucket").string(),
        account: d.key("account").string(),
        owner_override: match d.key("access_control_translation").block() {
            Some(a) => a.key("owner").string(),
            None => Value::Absent(d.loc()),
        },
        storage_class: d.key("storage_class").string(),
        replica_kms_key: match d.key("encryption_configuration").block() {
            Some(e) => e.key("replica_kms_key_id").string(),
            None => Value::Absent(d.loc()),
        },
        metrics: d.key("metrics").block().map(|m| {
            toggle(&m, |m| match m.key("event_threshold").block() {
                Some(t) => t.key("minutes").int(),
                None => Value::Absent(m.loc()),
            })
        }),
        replication_time: d.key("replication_time").block().map(|t| {
            toggle(&t, |t| match t.key("time").block() {
                Some(x) => x.key("minutes").int(),
                None => Value::Absent(t.loc()),
            })
        }),
    }
}

/// `aws_s3_bucket.replication_configuration[0]` (provider v3 and earlier).
fn legacy_replication(model: &mut Model, r: &Res<'_>, rc: At<'_>, source: Value<String>) {
    let rules_at = rc.key("rules");
    let blocks = rules_at.blocks();
    // `rules` is a set: configuration blocks cannot be matched one by one, but when none of them
    // sets a priority, none is set.
    let none_in_config = match rules_at.config_blocks() {
        Some(n) if n == blocks.len() && n > 0 => {
            (0..n).all(|i| !rules_at.cfg.index(i).key("priority").is_set())
        }
        _ => false,
    };
    let how = Priorities::FromValues;
    let rules = blocks
        .iter()
        .map(|rule| {
            let p = rule.key("priority");
            let priority = if none_in_config {
                Value::Absent(rule.loc())
            } else {
                priority(&p, how)
            };
            legacy_rule(rule, priority)
        })
        .collect();
    model.replications.push(Replication {
        origin: r.origin.clone(),
        source,
        role: rc.key("role").string(),
        token: Value::Absent(rc.loc()),
        rules,
        depends_on: r.depends_on.clone(),
    });
}

fn legacy_rule(rule: &At<'_>, priority: Value<i64>) -> ReplicationRule {
    let filter = rule.key("filter").block().map(|f| {
        let prefix = f.key("prefix").string();
        let tags = map_tags(&f.key("tags"));
        // The provider sends an `And` when more than one condition is given.
        let conditions = usize::from(prefix.is_present()) + tags.len();
        Filter {
            loc: f.loc(),
            prefix,
            tags,
            top_level_children: conditions.min(1),
            and: (conditions > 1).then(|| f.loc()),
        }
    });
    let ssc = rule.key("source_selection_criteria").block();
    let dest = rule.key("destination").block();
    ReplicationRule {
        loc: rule.loc(),
        id: rule.key("id").string(),
        status: rule.key("status").string(),
        priority,
        prefix: rule.key("prefix").string(),
        filter,
        delete_marker_replication: rule.key("delete_marker_replication_status").string(),
        source_selection: ssc.map(|s| SourceSelection {
            loc: s.loc(),
            sse_kms: match s.key("sse_kms_encrypted_objects").block() {
                Some(k) => match k.key("enabled").bool() {
                    Value::Known(b, l) => {
                        Value::Known(if b { "Enabled" } else { "Disabled" }.to_string(), l)
                    }
                    other => other.map(|_| String::new()),
                },
                None => Value::Absent(s.loc()),
            },
            replica_modifications: Value::Absent(s.loc()),
        }),
        existing_object_replication: Value::Absent(rule.loc()),
        deploy_defaults: DeployDefaults::LegacyProvider,
        prefix_origin: None,
        destination: match dest {
            Some(d) => Destination {
                loc: d.loc(),
                bucket: d.key("bucket").string(),
                account: d.key("account_id").string(),
                owner_override: match d.key("access_control_translation").block() {
                    Some(a) => a.key("owner").string(),
                    None => Value::Absent(d.loc()),
                },
                storage_class: d.key("storage_class").string(),
                replica_kms_key: d.key("replica_kms_key_id").string(),
                metrics: d
                    .key("metrics")
                    .block()
                    .map(|m| toggle(&m, |m| m.key("minutes").int())),
                replication_time: d
                    .key("replication_time")
                    .block()
                    .map(|t| toggle(&t, |t| t.key("minutes").int())),
            },
            None => Destination {
                loc: rule.loc(),
                ..Default::default()
            },
        },
    }
}

fn role(model: &mut Model, r: Res<'_>, existing: bool) {
    let at = &r.at;
    let role_arn = at.key("arn").string();
    let inline_policies = match declared(at.key("inline_policy")) {
        Some(list) if !existing => list
            .blocks()
            .iter()
            .filter_map(|p| p.key("policy").policy())
            .collect(),
        _ => Vec::new(),
    };
    let managed_policy_arns = match declared(at.key("managed_policy_arns")) {
        Some(list) if !existing => list.strings(),
        _ => Vec::new(),
    };
    model.roles.push(Role {
        name: at.key("name").string(),
        path: at.key("path").string(),
        account: account_from_arn(&role_arn, &r.account),
        arn: role_arn,
        trust: at.key("assume_role_policy").policy(),
        inline_policies,
        managed_policy_arns,
        boundary: at.key("permissions_boundary").string(),
        replaced: r.replaced,
        policy_references: Vec::new(),
        origin: r.origin,
    });
}

fn key(model: &mut Model, r: Res<'_>, replica: bool) {
    let at = &r.at;
    let key_arn = at.key("arn").string();
    let policy_at = at.key("policy");
    // The provider computes `policy` when the configuration sets none: AWS then applies the
    // default key policy.
    let policy = if policy_at.is_unknown() && !policy_at.in_config() {
        None
    } else {
        policy_at.policy()
    };
    let enabled = if replica { "enabled" } else { "is_enabled" };
    // A key lives in the region of the provider that creates it; an ARN that says otherwise
    // (hand-made plans) does not move it.
    let region = match resource_region(at, &r.region) {
        known @ Value::Known(..) => known,
        _ => region_from_arn(&key_arn, at, &r.region),
    };
    model.keys.push(Key {
        key_id: at.key("key_id").string(),
        account: account_from_arn(&key_arn, &r.account),
        region,
        policy,
        enabled: at.key(enabled).bool(),
        key_spec: at.key("customer_master_key_spec").string(),
        key_usage: at.key("key_usage").string(),
        multi_region: at.key("multi_region").bool(),
        primary: if replica {
            at.key("primary_key_arn").string()
        } else {
            Value::Absent(at.loc())
        },
        arn: key_arn,
        origin: r.origin,
    });
}

fn data_key(model: &mut Model, r: Res<'_>) {
    let at = &r.at;
    let key_arn = at.key("arn").string();
    model.keys.push(Key {
        key_id: at.key("id").string(),
        account: account_from_arn(&key_arn, &r.account),
        region: region_from_arn(&key_arn, at, &r.region),
        policy: Some(PolicyDoc::unknown(
            "the policy of an existing key (data source) is not in the plan",
            at.loc(),
        )),
        enabled: at.key("enabled").bool(),
        key_spec: at.key("customer_master_key_spec").string(),
        key_usage: at.key("key_usage").string(),
        multi_region: at.key("multi_region").bool(),
        primary: Value::Absent(at.loc()),
        arn: key_arn,
        origin: r.origin,
    });
}

fn data_bucket(model: &mut Model, r: Res<'_>) {
    let at = &r.at;
    let loc = at.loc();
    fn hidden<T>(what: &str, loc: &Loc) -> Value<T> {
        Value::unknown(
            format!("the {what} of an existing bucket (data source) is not in the plan"),
            loc.clone(),
        )
    }
    let settings = BucketSettings {
        versioning: hidden("versioning", &loc),
        object_lock: hidden("Object Lock setting", &loc),
        ownership: hidden("object ownership", &loc),
        sse: Some(Sse {
            algorithm: hidden("default encryption", &loc),
            kms_key: hidden("default encryption key", &loc),
            bucket_key: hidden("bucket key setting", &loc),
            blocked_encryption_types: hidden("blocked encryption types", &loc),
        }),
        policy: Some(PolicyDoc::unknown(
            "the policy of an existing bucket (data source) is not in the plan",
            loc.clone(),
        )),
        public_access_block: Some(PublicAccessBlock {
            block_public_acls: hidden("public access block", &loc),
            ignore_public_acls: hidden("public access block", &loc),
            block_public_policy: hidden("public access block", &loc),
            restrict_public_buckets: hidden("public access block", &loc),
        }),
        request_payer: hidden("request payment setting", &loc),
        object_lock_default_retention: hidden("Object Lock default retention", &loc),
        object_lock_token: Value::Absent(loc.clone()),
        ..Default::default()
    };
    model.buckets.push(Bucket {
        name: at.key("bucket").string(),
        arn: at.key("arn").string(),
        account: hidden("owner account", &loc),
        region: resource_region(at, &r.region),
        settings,
        origin: r.origin,
    });
}

fn policy_document(model: &mut Model, r: Res<'_>) {
    let json = r.at.key("json");
    let document = if matches!(json.shape(), Some(Shape::String(_))) {
        json.policy()
            .unwrap_or_else(|| PolicyDoc::unknown("the document is empty", json.loc()))
    } else {
        document::from_arguments(&r.at, json.loc())
    };
    model.documents.push(NamedDocument {
        document,
        origin: r.origin,
    });
}
