//! Evaluated resource properties into model items (§8.1 of the rule catalogue).

use std::sync::Arc;

use super::intrinsics::Evaluator;
use super::yaml::{aligned_checkpoints, yaml_bool};
use crate::model::{
    AttachedPolicy, Bucket, BucketSettings, BucketSettingsResource, DeployDefaults, Destination,
    Filter, Format, Key, KeyAlias, Lifecycle, LifecycleRule, ManagedPolicy, Model, OrgPolicy,
    Origin, PolicyContent, PolicyDoc, PublicAccessBlock, Replication, ReplicationRule, Role,
    RolePolicyAttachment, SourceSelection, Sse, Tag, Toggle, Value, Versioning,
};
use crate::source::{FileId, FileKind, Loc, StringOrigin};
use crate::syntax::{Node, NodeKind, Part, Reference};

/// Property lookup on evaluated nodes: inside a value that is unknown (an undecided `Fn::If`),
/// every property is unknown for the same reason rather than absent, so that no rule reports a
/// missing setting that may well be there.
trait At {
    fn at(&self, key: &str) -> Option<&Node>;
}

impl At for Node {
    fn at(&self, key: &str) -> Option<&Node> {
        match self.kind {
            NodeKind::Unknown(_) => Some(self),
            _ => self.get(key),
        }
    }
}

struct Cx<'a, 'e> {
    ev: &'a Evaluator<'e>,
    file: FileId,
    text: &'a str,
    json: bool,
}

pub fn emit(
    ev: &Evaluator<'_>,
    file: FileId,
    text: &str,
    kind: FileKind,
    root: &Node,
    model: &mut Model,
) {
    let cx = Cx {
        ev,
        file,
        text,
        json: kind == FileKind::CloudFormationJson,
    };
    let Some(resources) = root.at("Resources") else {
        return;
    };
    for (key, decl) in resources.entries() {
        let ty = decl.at("Type").and_then(Node::as_str).unwrap_or("");
        if !ty.starts_with("AWS::S3::")
            && !ty.starts_with("AWS::IAM::")
            && !ty.starts_with("AWS::KMS::")
            && ty != "AWS::Organizations::Policy"
        {
            continue;
        }
        if let Some(cond) = decl.at("Condition").and_then(Node::as_str)
            && ev.condition(cond, &decl.loc) == Some(false)
        {
            continue;
        }
        let origin = Origin {
            address: ev.qualify(&key.text),
            file,
            header: key.loc.clone(),
            format: Format::CloudFormation,
        };
        let empty = Node::new(NodeKind::Map(Vec::new()), key.loc.clone());
        let props = decl
            .at("Properties")
            .and_then(|p| ev.eval(p))
            .unwrap_or(empty);
        let props = match props.kind {
            NodeKind::Map(_) => props,
            NodeKind::Unknown(_) => props,
            _ => Node::new(NodeKind::Map(Vec::new()), props.loc),
        };
        let mut depends_on = depends_on(decl, ev);
        if matches!(
            ty,
            "AWS::S3::BucketPolicy" | "AWS::KMS::Key" | "AWS::KMS::ReplicaKey"
        ) {
            // CloudFormation orders a resource after `DependsOn` and after every resource its
            // properties reference.
            let mut after = depends_on.clone();
            for (logical, _) in raw_references(decl.at("Properties"), ev) {
                if !after.contains(&logical) {
                    after.push(logical);
                }
            }
            model.orderings.push(crate::model::Ordering {
                address: origin.address.clone(),
                depends_on: after,
            });
        }
        if ty == "AWS::S3::Bucket"
            && let Some(rc) = decl
                .at("Properties")
                .and_then(|p| p.at("ReplicationConfiguration"))
        {
            // Like Terraform's references: what the replication configuration refers to (its
            // role, destination buckets, keys) is created first (`ver-order-dependency`,
            // `dep-cfn-circularity`).
            for (address, _) in raw_references(Some(rc), ev) {
                if !depends_on.contains(&address) {
                    depends_on.push(address);
                }
            }
        }
        let r = Res {
            cx: &cx,
            origin,
            props: &props,
        };
        match ty {
            "AWS::S3::Bucket" => r.bucket(model, depends_on),
            "AWS::S3::BucketPolicy" => r.bucket_policy(model),
            "AWS::IAM::Role" => r.role(
                model,
                raw_references(decl.at("Properties").and_then(|p| p.at("Policies")), ev),
            ),
            "AWS::IAM::Policy" => r.iam_policy(model, "Roles"),
            "AWS::IAM::RolePolicy" => r.iam_policy(model, "RoleName"),
            "AWS::IAM::ManagedPolicy" => r.managed_policy(model),
            "AWS::KMS::Key" => r.key(model, false),
            "AWS::KMS::ReplicaKey" => r.key(model, true),
            "AWS::KMS::Alias" => r.alias(model),
            "AWS::Organizations::Policy" => r.org_policy(model),
            _ => {}
        }
    }
}

/// The resources a property references as written (before evaluation turns a
/// `!GetAtt Bucket.Arn` of a named bucket into text): each is a deploy-order dependency.
fn raw_references(node: Option<&Node>, ev: &Evaluator<'_>) -> Vec<(String, Loc)> {
    fn walk(node: &Node, out: &mut Vec<(String, Loc)>) {
        match &node.kind {
            NodeKind::Map(entries) => {
                for (key, value) in entries {
                    match (&*key.text, &value.kind) {
                        ("Ref", NodeKind::Str(s)) if !s.starts_with("AWS::") => {
                            out.push((s.to_string(), value.loc.clone()));
                        }
                        ("Fn::GetAtt", NodeKind::Str(s)) => {
                            if let Some((logical, _)) = s.split_once('.') {
                                out.push((logical.to_string(), value.loc.clone()));
                            }
                        }
                        ("Fn::GetAtt", NodeKind::List(items)) => {
                            if let Some(logical) = items.first().and_then(Node::as_str) {
                                out.push((logical.to_string(), value.loc.clone()));
                            }
                        }
                        ("Fn::Sub", _) => {
                            let text = match &value.kind {
                                NodeKind::Str(s) => Some(&**s),
                                NodeKind::List(items) => items.first().and_then(Node::as_str),
                                _ => None,
                            };
                            for name in text.map(sub_names).unwrap_or_default() {
                                out.push((name, value.loc.clone()));
                            }
                            walk(value, out);
                        }
                        _ => walk(value, out),
                    }
                }
            }
            NodeKind::List(items) => items.iter().for_each(|n| walk(n, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(node) = node {
        walk(node, &mut out);
    }
    out.into_iter()
        .map(|(logical, loc)| (ev.qualify(&logical), loc))
        .collect()
}

/// The resource names of `${Name}` / `${Name.Attr}` in a `Fn::Sub` string (not `${AWS::…}` or
/// the `${!Literal}` escape).
fn sub_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = rest.get(start + 2..).unwrap_or("");
        let Some(end) = after.find('}') else { break };
        let inner = after.get(..end).unwrap_or("");
        if !inner.starts_with('!') && !inner.starts_with("AWS::") {
            let logical = inner.split('.').next().unwrap_or(inner);
            if !logical.is_empty() {
                out.push(logical.to_string());
            }
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    out
}

fn depends_on(decl: &Node, ev: &Evaluator<'_>) -> Vec<String> {
    match decl.at("DependsOn").map(|d| &d.kind) {
        Some(NodeKind::Str(s)) => vec![ev.qualify(s)],
        Some(NodeKind::List(items)) => items
            .iter()
            .filter_map(Node::as_str)
            .map(|s| ev.qualify(s))
            .collect(),
        _ => Vec::new(),
    }
}

struct Res<'a, 'b, 'e> {
    cx: &'a Cx<'b, 'e>,
    origin: Origin,
    props: &'a Node,
}

impl Res<'_, '_, '_> {
    /// What AWS assigns at deploy. Never a reference to the item itself: the graph would resolve
    /// it by asking the item again.
    fn assigned(&self, what: &str) -> Value<String> {
        Value::unknown(
            format!("{what} of {} is assigned at deploy", self.origin.address),
            self.origin.header.clone(),
        )
    }

    fn account(&self) -> Value<String> {
        let stack = self.cx.ev.stack;
        match &stack.account {
            Some(a) => Value::Known(a.clone(), self.origin.header.clone()),
            None => Value::unknown(stack.account_why(), self.origin.header.clone()),
        }
    }

    fn region(&self) -> Value<String> {
        let stack = self.cx.ev.stack;
        match &stack.region {
            Some(r) => Value::Known(r.clone(), self.origin.header.clone()),
            None => Value::unknown(stack.region_why(), self.origin.header.clone()),
        }
    }

    fn bucket(&self, model: &mut Model, depends_on: Vec<String>) {
        let p = self.props;
        let name = match p.at("BucketName") {
            Some(n) => vstr(Some(n), p),
            None => Value::unknown(
                format!(
                    "the bucket {} has no BucketName: CloudFormation generates one at deploy",
                    self.origin.address
                ),
                self.origin.header.clone(),
            ),
        };
        let arn = match &name {
            Value::Known(n, l) => Value::Known(
                format!("arn:{}:s3:::{n}", self.cx.ev.stack.partition()),
                l.clone(),
            ),
            _ => self.assigned("the ARN"),
        };
        let object_lock_enabled = match p.at("ObjectLockEnabled") {
            Some(n) => vbool(Some(n), p),
            None => match p.at("ObjectLockConfiguration").and_then(|c| {
                c.at("ObjectLockEnabled")
                    .map(|e| vstr(Some(e), c).map(|s| s.eq_ignore_ascii_case("Enabled")))
            }) {
                Some(v) => v,
                None => Value::Absent(p.loc.clone()),
            },
        };
        let versioning = match p.at("VersioningConfiguration") {
            Some(v) => vstr(v.at("Status"), v).map(|s| match s.as_str() {
                "Enabled" => Versioning::Enabled,
                "Suspended" => Versioning::Suspended,
                _ => Versioning::Disabled,
            }),
            // Object Lock turns versioning on by itself.
            None => match &object_lock_enabled {
                Value::Known(true, l) => Value::Known(Versioning::Enabled, l.clone()),
                _ => Value::Absent(p.loc.clone()),
            },
        };
        let ownership = p
            .at("OwnershipControls")
            .and_then(|o| o.at("Rules"))
            .and_then(Node::as_list)
            .and_then(|rules| rules.first())
            .map(|r| vstr(r.at("ObjectOwnership"), r))
            .unwrap_or(Value::Absent(p.loc.clone()));
        let settings = BucketSettings {
            versioning,
            object_lock: object_lock_enabled,
            ownership,
            sse: p.at("BucketEncryption").map(sse),
            policy: None,
            public_access_block: p.at("PublicAccessBlockConfiguration").map(|b| {
                PublicAccessBlock {
                    block_public_acls: vbool(b.at("BlockPublicAcls"), b),
                    ignore_public_acls: vbool(b.at("IgnorePublicAcls"), b),
                    block_public_policy: vbool(b.at("BlockPublicPolicy"), b),
                    restrict_public_buckets: vbool(b.at("RestrictPublicBuckets"), b),
                }
            }),
            request_payer: Value::Absent(p.loc.clone()),
            lifecycle: p.at("LifecycleConfiguration").map(lifecycle),
            object_lock_default_retention: match p
                .at("ObjectLockConfiguration")
                .and_then(|c| c.at("Rule"))
                .and_then(|r| r.at("DefaultRetention"))
            {
                Some(d) => match vstr(d.at("Mode"), d) {
                    Value::Known(mode, _) => Value::Known(mode, d.loc.clone()),
                    Value::Absent(_) => Value::Known(String::new(), d.loc.clone()),
                    other => other,
                },
                None => Value::Absent(p.loc.clone()),
            },
            object_lock_token: Value::Absent(p.loc.clone()),
            ..Default::default()
        };
        if let Some(rc) = p.at("ReplicationConfiguration")
            && let NodeKind::Unknown(why) = &rc.kind
        {
            model.notes.push(crate::model::InputError {
                loc: rc.loc.clone(),
                file: self.cx.file,
                message: format!(
                    "the replication configuration of {} is not checked: {why}",
                    self.origin.address
                ),
                warning: true,
            });
        } else if let Some(rc) = p.at("ReplicationConfiguration") {
            let rules = rc
                .at("Rules")
                .and_then(Node::as_list)
                .unwrap_or(&[])
                .iter()
                .map(rule)
                .collect();
            // Its own address: the graph finds the bucket by the bucket's address.
            // Its header is the property's key, where a missing setting would be added.
            let header = p
                .get_ignore_case("ReplicationConfiguration")
                .map_or(self.origin.header.clone(), |(k, _)| k.loc.clone());
            let origin = Origin {
                address: format!("{}.ReplicationConfiguration", self.origin.address),
                header,
                ..self.origin.clone()
            };
            model.replications.push(Replication {
                origin,
                source: Value::Ref(
                    Reference::new(self.origin.address.clone(), ""),
                    rc.loc.clone(),
                ),
                role: vstr(rc.at("Role"), rc),
                token: Value::Absent(rc.loc.clone()),
                rules,
                depends_on,
            });
        }
        model.buckets.push(Bucket {
            origin: self.origin.clone(),
            name,
            arn,
            account: self.account(),
            region: self.region(),
            settings,
        });
    }

    fn bucket_policy(&self, model: &mut Model) {
        let p = self.props;
        model.bucket_settings.push(BucketSettingsResource {
            origin: self.origin.clone(),
            bucket: vstr(p.at("Bucket"), p),
            expected_owner: Value::Absent(p.loc.clone()),
            settings: BucketSettings {
                policy: Some(self.cx.doc(p.at("PolicyDocument"), p)),
                ..BucketSettings::default()
            },
        });
    }

    fn role(&self, model: &mut Model, policy_references: Vec<(String, Loc)>) {
        let p = self.props;
        let name = match p.at("RoleName") {
            Some(n) => vstr(Some(n), p),
            None => Value::unknown(
                format!(
                    "the role {} has no RoleName: CloudFormation generates one at deploy",
                    self.origin.address
                ),
                self.origin.header.clone(),
            ),
        };
        let path = vstr(p.at("Path"), p);
        let arn = match (&name, &self.cx.ev.stack.account) {
            (Value::Known(n, l), Some(account)) if !path.is_present() || path.is_known() => {
                Value::Known(
                    format!(
                        "arn:{}:iam::{account}:role{}{n}",
                        self.cx.ev.stack.partition(),
                        path.as_str().unwrap_or("/")
                    ),
                    l.clone(),
                )
            }
            _ => self.assigned("the ARN"),
        };
        let inline_policies = p
            .at("Policies")
            .and_then(Node::as_list)
            .unwrap_or(&[])
            .iter()
            .map(|pol| self.cx.doc(pol.at("PolicyDocument"), pol))
            .collect();
        model.roles.push(Role {
            origin: self.origin.clone(),
            name,
            path,
            arn,
            account: self.account(),
            trust: p
                .at("AssumeRolePolicyDocument")
                .map(|d| self.cx.doc(Some(d), p)),
            inline_policies,
            managed_policy_arns: vlist(p.at("ManagedPolicyArns")),
            boundary: vstr(p.at("PermissionsBoundary"), p),
            // A template does not say what a deploy replaces.
            replaced: None,
            policy_references,
        });
    }

    /// `AWS::IAM::Policy` (`Roles`) and `AWS::IAM::RolePolicy` (`RoleName`).
    fn iam_policy(&self, model: &mut Model, roles_key: &str) {
        let p = self.props;
        let roles = match p.get(roles_key) {
            Some(n) if matches!(n.kind, NodeKind::List(_)) => vlist(Some(n)),
            Some(n) => vec![vstr(Some(n), p)],
            None => Vec::new(),
        };
        model.role_policy_attachments.push(RolePolicyAttachment {
            origin: self.origin.clone(),
            roles,
            policy: AttachedPolicy::Inline(self.cx.doc(p.at("PolicyDocument"), p)),
        });
    }

    fn managed_policy(&self, model: &mut Model) {
        let p = self.props;
        let name = vstr(p.at("ManagedPolicyName"), p);
        let path = vstr(p.at("Path"), p);
        let arn = match (&name, &self.cx.ev.stack.account) {
            (Value::Known(n, l), Some(account)) if !path.is_present() || path.is_known() => {
                Value::Known(
                    format!(
                        "arn:{}:iam::{account}:policy{}{n}",
                        self.cx.ev.stack.partition(),
                        path.as_str().unwrap_or("/")
                    ),
                    l.clone(),
                )
            }
            _ => self.assigned("the ARN"),
        };
        model.managed_policies.push(ManagedPolicy {
            origin: self.origin.clone(),
            name,
            arn,
            document: self.cx.doc(p.at("PolicyDocument"), p),
            roles: vlist(p.at("Roles")),
        });
    }

    fn key(&self, model: &mut Model, replica: bool) {
        let p = self.props;
        let header = &self.origin.header;
        model.keys.push(Key {
            origin: self.origin.clone(),
            arn: self.assigned("the key ARN"),
            key_id: self.assigned("the key id"),
            account: self.account(),
            region: self.region(),
            policy: p.at("KeyPolicy").map(|d| self.cx.doc(Some(d), p)),
            enabled: vbool(p.at("Enabled"), p),
            key_spec: vstr(p.at("KeySpec"), p),
            key_usage: vstr(p.at("KeyUsage"), p),
            multi_region: if replica {
                Value::Known(true, header.clone())
            } else {
                vbool(p.at("MultiRegion"), p)
            },
            primary: if replica {
                vstr(p.at("PrimaryKeyArn"), p)
            } else {
                Value::Absent(p.loc.clone())
            },
        });
    }

    fn alias(&self, model: &mut Model) {
        let p = self.props;
        model.aliases.push(KeyAlias {
            origin: self.origin.clone(),
            name: vstr(p.at("AliasName"), p),
            target: vstr(p.at("TargetKeyId"), p),
            account: self.account(),
            region: self.region(),
        });
    }

    fn org_policy(&self, model: &mut Model) {
        let p = self.props;
        model.org_policies.push(OrgPolicy {
            origin: self.origin.clone(),
            id: self.assigned("the policy id"),
            kind: vstr(p.at("Type"), p),
            document: self.cx.doc(p.at("Content"), p),
            targets: vlist(p.at("TargetIds")),
        });
    }
}

impl Cx<'_, '_> {
    /// A policy document written as an object or as a JSON string.
    fn doc(&self, node: Option<&Node>, parent: &Node) -> PolicyDoc {
        let Some(node) = node else {
            return PolicyDoc::unknown("no policy document is given", parent.loc.clone());
        };
        let loc = node.loc.clone();
        let content = match &node.kind {
            NodeKind::Map(_) => PolicyContent::Parsed(node.clone()),
            NodeKind::Str(text) => PolicyContent::Json {
                text: Arc::from(&**text),
                origin: Arc::new(self.string_origin(&loc, text)),
            },
            NodeKind::Template(parts) => match parts.as_slice() {
                [Part::Ref(r)] => PolicyContent::Ref(r.clone()),
                _ => PolicyContent::Unknown(crate::syntax::Why::new(
                    "the policy document is a string built with intrinsic functions from values \
                     not known before deploy",
                )),
            },
            NodeKind::Unknown(why) => PolicyContent::Unknown(why.clone()),
            _ => PolicyContent::Invalid {
                message: format!(
                    "a policy document is an object or a JSON string, found {}",
                    node.type_name()
                ),
                loc: loc.clone(),
            },
        };
        PolicyDoc { loc, content }
    }

    /// How offsets of a policy held in a string map back to the template.
    fn string_origin(&self, loc: &Loc, decoded: &str) -> StringOrigin {
        let Loc::Span(span) = loc else {
            return StringOrigin::Mapped {
                file: self.file,
                checkpoints: Arc::from(vec![(0u32, 0u32)]),
            };
        };
        let raw = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        if self.json && raw.starts_with('"') {
            return StringOrigin::JsonLiteral(loc.clone());
        }
        let checkpoints = if raw.starts_with(['!', '{', '[']) {
            // Built by an intrinsic function: the whole text maps to the expression.
            vec![(0, span.start)]
        } else {
            aligned_checkpoints(raw, span.start, decoded)
        };
        StringOrigin::Mapped {
            file: self.file,
            checkpoints: Arc::from(checkpoints),
        }
    }
}

fn sse(enc: &Node) -> Sse {
    let rule = enc
        .at("ServerSideEncryptionConfiguration")
        .and_then(Node::as_list)
        .and_then(|l| l.first());
    let Some(rule) = rule else {
        return Sse {
            algorithm: Value::Absent(enc.loc.clone()),
            kms_key: Value::Absent(enc.loc.clone()),
            bucket_key: Value::Absent(enc.loc.clone()),
            blocked_encryption_types: Value::Absent(enc.loc.clone()),
        };
    };
    let default = rule.at("ServerSideEncryptionByDefault");
    let blocked = match rule
        .at("BlockedEncryptionTypes")
        .and_then(|b| b.at("EncryptionType"))
    {
        Some(n) => match &n.kind {
            NodeKind::List(items) => {
                let texts: Option<Vec<String>> =
                    items.iter().map(super::intrinsics::known_text).collect();
                match texts {
                    Some(t) => Value::Known(t, n.loc.clone()),
                    None => Value::unknown(
                        "blocked encryption types not known before deploy",
                        n.loc.clone(),
                    ),
                }
            }
            _ => vstr(Some(n), rule).map(|s| vec![s]),
        },
        None => Value::Absent(rule.loc.clone()),
    };
    Sse {
        algorithm: default.map_or(Value::Absent(rule.loc.clone()), |d| {
            vstr(d.at("SSEAlgorithm"), d)
        }),
        kms_key: default.map_or(Value::Absent(rule.loc.clone()), |d| {
            vstr(d.at("KMSMasterKeyID"), d)
        }),
        bucket_key: vbool(rule.at("BucketKeyEnabled"), rule),
        blocked_encryption_types: blocked,
    }
}

fn rule(r: &Node) -> ReplicationRule {
    let filter = r.at("Filter").map(|f| {
        let mut tags = Vec::new();
        if let Some(t) = f.at("TagFilter") {
            tags.push(tag(t));
        }
        let and = f.at("And");
        if let Some(and) = and {
            tags.extend(
                and.at("TagFilters")
                    .and_then(Node::as_list)
                    .unwrap_or(&[])
                    .iter()
                    .map(tag),
            );
        }
        let top_level_children = ["Prefix", "TagFilter", "And"]
            .iter()
            .filter(|k| f.get(k).is_some())
            .count();
        Filter {
            loc: f.loc.clone(),
            prefix: match f.at("Prefix") {
                Some(p) => vstr(Some(p), f),
                None => and.map_or(Value::Absent(f.loc.clone()), |a| vstr(a.at("Prefix"), a)),
            },
            tags,
            top_level_children,
            and: f.get_ignore_case("And").map(|(k, _)| k.loc.clone()),
        }
    });
    let ssc = r.at("SourceSelectionCriteria").map(|s| SourceSelection {
        loc: s.loc.clone(),
        sse_kms: status(s.at("SseKmsEncryptedObjects"), s),
        replica_modifications: status(s.at("ReplicaModifications"), s),
    });
    ReplicationRule {
        loc: r.loc.clone(),
        id: vstr(r.at("Id"), r),
        status: vstr(r.at("Status"), r),
        priority: vint(r.at("Priority"), r),
        prefix: vstr(r.at("Prefix"), r),
        filter,
        delete_marker_replication: status(r.at("DeleteMarkerReplication"), r),
        source_selection: ssc,
        // Not a CloudFormation property: existing objects need Batch Replication.
        existing_object_replication: Value::Absent(r.loc.clone()),
        destination: r.at("Destination").map(destination).unwrap_or(Destination {
            loc: r.loc.clone(),
            ..Destination::default()
        }),
        deploy_defaults: DeployDefaults::AsWritten,
        // Parameters resolve to the value at the Ref: templates do not tell where it came from.
        prefix_origin: None,
    }
}

fn destination(d: &Node) -> Destination {
    Destination {
        loc: d.loc.clone(),
        bucket: vstr(d.at("Bucket"), d),
        account: vstr(d.at("Account"), d),
        owner_override: d
            .at("AccessControlTranslation")
            .map_or(Value::Absent(d.loc.clone()), |a| vstr(a.at("Owner"), a)),
        storage_class: vstr(d.at("StorageClass"), d),
        replica_kms_key: d
            .at("EncryptionConfiguration")
            .map_or(Value::Absent(d.loc.clone()), |e| {
                vstr(e.at("ReplicaKmsKeyID"), e)
            }),
        metrics: d.at("Metrics").map(|m| Toggle {
            loc: m.loc.clone(),
            status: vstr(m.at("Status"), m),
            minutes: m
                .at("EventThreshold")
                .map_or(Value::Absent(m.loc.clone()), |t| vint(t.at("Minutes"), t)),
        }),
        replication_time: d.at("ReplicationTime").map(|t| Toggle {
            loc: t.loc.clone(),
            status: vstr(t.at("Status"), t),
            minutes: t
                .at("Time")
                .map_or(Value::Absent(t.loc.clone()), |m| vint(m.at("Minutes"), m)),
        }),
    }
}

fn tag(t: &Node) -> Tag {
    Tag {
        key: vstr(t.at("Key"), t),
        value: vstr(t.at("Value"), t),
        loc: t.loc.clone(),
    }
}

/// `{Status: X}` blocks.
fn status(node: Option<&Node>, parent: &Node) -> Value<String> {
    match node {
        Some(n) => vstr(n.at("Status"), n),
        None => Value::Absent(parent.loc.clone()),
    }
}

/// `LifecycleConfiguration` of `AWS::S3::Bucket`.
fn lifecycle(node: &Node) -> Lifecycle {
    let rules = node
        .at("Rules")
        .and_then(Node::as_list)
        .unwrap_or(&[])
        .iter()
        .map(|r| {
            let classes = |list: &str, single: &str| {
                let mut out: Vec<Value<String>> = r
                    .at(list)
                    .and_then(Node::as_list)
                    .unwrap_or(&[])
                    .iter()
                    .map(|t| vstr(t.at("StorageClass"), t))
                    .collect();
                if let Some(t) = r.at(single) {
                    out.push(vstr(t.at("StorageClass"), t));
                }
                out
            };
            let expiration = ["ExpirationInDays", "ExpirationDate"]
                .iter()
                .find_map(|k| r.at(k))
                .map(|n| n.loc.clone());
            let noncurrent_expiration = [
                "NoncurrentVersionExpiration",
                "NoncurrentVersionExpirationInDays",
            ]
            .iter()
            .find_map(|k| r.at(k))
            .map(|n| n.loc.clone());
            LifecycleRule {
                loc: r.loc.clone(),
                id: vstr(r.at("Id"), r),
                status: vstr(r.at("Status"), r),
                prefix: vstr(r.at("Prefix"), r),
                transitions: classes("Transitions", "Transition"),
                noncurrent_transitions: classes(
                    "NoncurrentVersionTransitions",
                    "NoncurrentVersionTransition",
                ),
                expiration,
                expired_object_delete_marker: vbool(r.at("ExpiredObjectDeleteMarker"), r),
                noncurrent_expiration,
            }
        })
        .collect();
    Lifecycle {
        loc: node.loc.clone(),
        rules,
    }
}

/// A property as text: known, a reference, a template, or unknown.
fn vstr(node: Option<&Node>, parent: &Node) -> Value<String> {
    let Some(node) = node else {
        return Value::Absent(parent.loc.clone());
    };
    let loc = node.loc.clone();
    match &node.kind {
        NodeKind::Str(s) | NodeKind::Number(s) => Value::Known(s.to_string(), loc),
        NodeKind::Bool(b) => Value::Known(b.to_string(), loc),
        NodeKind::Null => Value::Absent(loc),
        NodeKind::Template(parts) => match parts.as_slice() {
            [Part::Ref(r)] => Value::Ref(r.clone(), loc),
            [Part::Unknown(why)] => Value::Unknown(why.clone(), loc),
            _ => Value::Template(parts.clone(), loc),
        },
        NodeKind::Unknown(why) => Value::Unknown(why.clone(), loc),
        NodeKind::List(_) | NodeKind::Map(_) => {
            Value::unknown(format!("expected text, found {}", node.type_name()), loc)
        }
    }
}

fn vbool(node: Option<&Node>, parent: &Node) -> Value<bool> {
    let v = vstr(node, parent);
    match v {
        Value::Known(s, l) => match yaml_bool(&s) {
            Some(b) => Value::Known(b, l),
            None => Value::unknown(format!("expected true or false, found {s}"), l),
        },
        other => other.map(|_| false),
    }
}

fn vint(node: Option<&Node>, parent: &Node) -> Value<i64> {
    match vstr(node, parent) {
        Value::Known(s, l) => match s.trim().parse::<i64>() {
            Ok(n) => Value::Known(n, l),
            Err(_) => Value::unknown(format!("expected a whole number, found {s}"), l),
        },
        other => other.map(|_| 0),
    }
}

fn vlist(node: Option<&Node>) -> Vec<Value<String>> {
    match node {
        None => Vec::new(),
        Some(n) => match &n.kind {
            NodeKind::List(items) => items.iter().map(|i| vstr(Some(i), n)).collect(),
            _ => vec![vstr(Some(n), n)],
        },
    }
}
