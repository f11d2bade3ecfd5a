//! The plan's `configuration` and the set of resource instances, for turning configuration
//! references (`aws_iam_role.r.arn`, `var.x`, `module.m.out`) into model references.

use foldhash::HashMap;
use std::borrow::Cow;

use serde_json::Value as Json;

use super::address::{self, ResourceAddr};
use super::schema::{ConfigModule, ConfigResource, Configuration, ModuleCall};
use crate::syntax::Reference;

/// How deep `var.` and `module.` indirections are followed (they cannot loop in valid Terraform,
/// but the input is not trusted).
const MAX_HOPS: u8 = 16;

/// Where a resource sits: its module instance and its own instance key.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub module_instance: String,
    pub module_config: String,
    pub key: Option<String>,
}

impl Scope {
    pub fn of(addr: &ResourceAddr) -> Scope {
        Scope {
            module_instance: addr.module_instance.clone(),
            module_config: addr.module_config.clone(),
            key: addr.key.clone(),
        }
    }
}

/// A resource of the configuration, and the module it is in.
struct Listed<'a> {
    module: usize,
    resource: &'a ConfigResource<'a>,
    /// A later resource of the module has the same name.
    shadowed: bool,
}

/// Whether `resource` (`aws_s3_bucket.b`, `data.x.y`) names the configuration resource `r`.
fn is_named(r: &ConfigResource<'_>, resource: &str) -> bool {
    let rest = if r.mode == "data" {
        match resource.strip_prefix("data.") {
            Some(rest) => rest,
            None => return false,
        }
    } else {
        resource
    };
    rest.strip_prefix(&*r.type_)
        .and_then(|rest| rest.strip_prefix('.'))
        == Some(&*r.name)
}

pub enum Resolved {
    Ref(Reference),
    Unknown(String),
}

#[derive(Default)]
pub struct Index<'a> {
    /// Module configuration path → resource (`aws_s3_bucket.b`, `data.x.y`) → its place in
    /// `listed`.
    resources: HashMap<String, HashMap<String, usize>>,
    /// Every module's resources, in the configuration's order, for [`Index::config_near`].
    listed: Vec<Listed<'a>>,
    /// Module configuration paths, by the number `listed` refers to them with.
    module_paths: Vec<String>,
    modules: HashMap<String, &'a ConfigModule<'a>>,
    calls: HashMap<String, &'a ModuleCall<'a>>,
    /// Resource address without its instance key (`module.a["x"].aws_s3_bucket.b`) → instance
    /// keys present in the plan. Mostly borrowed from the plan's own addresses.
    instances: HashMap<Cow<'a, str>, Keys>,
    /// `parent module_instance|call name` → module instance keys present in the plan.
    module_instances: HashMap<String, Keys>,
}

/// The instance keys of one resource or module call. Most have a single instance: it is kept
/// without a list of its own (a large plan has tens of thousands to make and free).
#[derive(Debug, Default)]
enum Keys {
    #[default]
    Empty,
    One(Option<String>),
    Many(Vec<Option<String>>),
}

impl Keys {
    fn push(&mut self, key: Option<String>) {
        *self = match std::mem::take(self) {
            Keys::Empty => Keys::One(key),
            Keys::One(first) => Keys::Many(vec![first, key]),
            Keys::Many(mut all) => {
                all.push(key);
                Keys::Many(all)
            }
        };
    }

    /// Adds `key` unless it is there already.
    fn push_new(&mut self, key: Option<String>) {
        if !self.as_slice().contains(&key) {
            self.push(key);
        }
    }

    fn into_vec(self) -> Vec<Option<String>> {
        match self {
            Keys::Empty => Vec::new(),
            Keys::One(key) => vec![key],
            Keys::Many(all) => all,
        }
    }

    fn as_slice(&self) -> &[Option<String>] {
        match self {
            Keys::Empty => &[],
            Keys::One(key) => std::slice::from_ref(key),
            Keys::Many(all) => all,
        }
    }
}

impl<'a> Index<'a> {
    pub fn new(config: Option<&'a Configuration<'a>>) -> Index<'a> {
        let mut index = Index::default();
        if let Some(root) = config.and_then(|c| c.root_module.as_ref()) {
            index.add_module(String::new(), root, 0);
        }
        index
    }

    fn add_module(&mut self, path: String, module: &'a ConfigModule<'a>, depth: usize) {
        if depth > 64 {
            return;
        }
        if !module.resources.is_empty() {
            let module_number = self.module_paths.len();
            self.module_paths.push(path.clone());
            let resources = self.resources.entry(path.clone()).or_default();
            resources.reserve(module.resources.len());
            self.listed.reserve(module.resources.len());
            for r in &module.resources {
                let name = if r.mode == "data" {
                    format!("data.{}.{}", r.type_, r.name)
                } else {
                    format!("{}.{}", r.type_, r.name)
                };
                // A name given twice means its last resource, as the map keeps it.
                if let Some(earlier) = resources.insert(name, self.listed.len())
                    && let Some(shadowed) = self.listed.get_mut(earlier)
                {
                    shadowed.shadowed = true;
                }
                self.listed.push(Listed {
                    module: module_number,
                    resource: r,
                    shadowed: false,
                });
            }
        }
        for (name, call) in &module.module_calls {
            let child = address::join(&path, &format!("module.{name}"));
            self.calls.insert(child.clone(), call);
            if let Some(m) = &call.module {
                self.add_module(child, m, depth + 1);
            }
        }
        self.modules.insert(path, module);
    }

    /// Takes over the resource instances recorded in `first` (recorded apart from the
    /// configuration, on another core): they come before those recorded here.
    pub fn adopt_instances(&mut self, first: Index<'a>) {
        let later = std::mem::replace(&mut self.instances, first.instances);
        for (address, keys) in later {
            let into = self.instances.entry(address).or_default();
            for key in keys.into_vec() {
                into.push(key);
            }
        }
        let later = std::mem::replace(&mut self.module_instances, first.module_instances);
        for (call, keys) in later {
            let into = self.module_instances.entry(call).or_default();
            for key in keys.into_vec() {
                into.push_new(key);
            }
        }
    }

    /// Room for `n` resource instances (a large plan's map would be rehashed as it grows).
    pub fn reserve_instances(&mut self, n: usize) {
        self.instances.reserve(n);
    }

    /// Records a resource instance seen in the plan at `address` (for choosing instances of
    /// references).
    pub fn add_instance(&mut self, address: &'a str, addr: &ResourceAddr) {
        let without_key = match unkeyed_prefix(address, addr) {
            Some(prefix) => Cow::Borrowed(prefix),
            None => Cow::Owned(address::join(&addr.module_instance, &addr.resource)),
        };
        self.instances
            .entry(without_key)
            .or_default()
            .push(addr.key.clone());
        // Every module instance on the way down.
        let mut prefix = String::new();
        if let Some(steps) = address::steps(&addr.module_instance) {
            for pair in steps.chunks(2) {
                if let [_, call] = pair {
                    let keys = self
                        .module_instances
                        .entry(format!("{prefix}|{}", call.name))
                        .or_default();
                    keys.push_new(call.key.map(str::to_string));
                    prefix = address::join(
                        &prefix,
                        &address::with_key(&format!("module.{}", call.name), call.key),
                    );
                }
            }
        }
    }

    /// A resource's configuration, trying first the resource listed after the one found last
    /// (`last`, updated): a plan lists its resources in about the configuration's order, and
    /// looking at the next one is cheaper than a lookup in a large map.
    pub fn config_near(
        &self,
        addr: &ResourceAddr,
        last: &mut Option<usize>,
    ) -> Option<&'a ConfigResource<'a>> {
        if let Some(next) = last.map(|at| at + 1)
            && let Some(listed) = self.listed.get(next)
            && !listed.shadowed
            && is_named(listed.resource, &addr.resource)
            && self.module_paths.get(listed.module) == Some(&addr.module_config)
        {
            *last = Some(next);
            return Some(listed.resource);
        }
        let at = *self
            .resources
            .get(&addr.module_config)?
            .get(&addr.resource)?;
        *last = Some(at);
        self.listed.get(at).map(|listed| listed.resource)
    }

    /// The most specific reference of a configuration `references` list.
    pub fn resolve_list(&self, refs: &[Cow<'_, str>], scope: &Scope) -> Resolved {
        self.resolve_list_at(refs.iter().map(|r| &**r), scope, 0)
    }

    fn resolve_list_at<'r>(
        &self,
        refs: impl Iterator<Item = &'r str>,
        scope: &Scope,
        hops: u8,
    ) -> Resolved {
        let mut whole: Option<Reference> = None;
        let mut first_unknown: Option<String> = None;
        for r in refs {
            match self.resolve(r, scope, hops) {
                Resolved::Ref(reference) if !reference.attr.is_empty() => {
                    return Resolved::Ref(reference);
                }
                Resolved::Ref(reference) => {
                    whole.get_or_insert(reference);
                }
                Resolved::Unknown(why) => {
                    first_unknown.get_or_insert(why);
                }
            }
        }
        match (whole, first_unknown) {
            (Some(r), _) => Resolved::Ref(r),
            (None, Some(why)) => Resolved::Unknown(why),
            (None, None) => Resolved::Unknown(KNOWN_AFTER_APPLY.into()),
        }
    }

    fn resolve(&self, text: &str, scope: &Scope, hops: u8) -> Resolved {
        let unknown = |what: &str| Resolved::Unknown(format!("{KNOWN_AFTER_APPLY} (from {what})"));
        let Some(steps) = address::steps(text) else {
            return unknown(text);
        };
        let Some(first) = steps.first() else {
            return unknown(text);
        };
        match first.name {
            "var" => match steps.get(1) {
                Some(var) if hops < MAX_HOPS => self.resolve_var(var.name, scope, hops, text),
                _ => unknown(text),
            },
            "module" => match (steps.get(1), steps.get(2)) {
                (Some(call), Some(output)) if hops < MAX_HOPS => {
                    self.resolve_output(*call, output.name, scope, hops, text)
                }
                (Some(call), None) => Resolved::Ref(Reference::new(
                    address::join(
                        &scope.module_instance,
                        &address::with_key(&format!("module.{}", call.name), call.key),
                    ),
                    "",
                )),
                _ => unknown(text),
            },
            "local" | "each" | "count" | "path" | "terraform" | "self" => unknown(text),
            "data" => match (steps.get(1), steps.get(2)) {
                (Some(t), Some(n)) if t.key.is_none() => {
                    let rel = format!("data.{}.{}", t.name, n.name);
                    Resolved::Ref(self.target(
                        scope,
                        &rel,
                        n.key,
                        steps.get(3..).unwrap_or_default(),
                    ))
                }
                _ => unknown(text),
            },
            _ => match steps.get(1) {
                Some(n) if first.key.is_none() => {
                    let rel = format!("{}.{}", first.name, n.name);
                    Resolved::Ref(self.target(
                        scope,
                        &rel,
                        n.key,
                        steps.get(2..).unwrap_or_default(),
                    ))
                }
                _ => unknown(text),
            },
        }
    }

    /// A reference to resource `rel` in the scope's module instance, choosing the instance.
    fn target(
        &self,
        scope: &Scope,
        rel: &str,
        key: Option<&str>,
        attr: &[address::Step<'_>],
    ) -> Reference {
        let key = match key {
            Some(k) => Some(k.to_string()),
            None => pick(
                self.instances
                    .get(address::join(&scope.module_instance, rel).as_str()),
                scope.key.as_deref(),
            ),
        };
        let target = address::join(
            &scope.module_instance,
            &address::with_key(rel, key.as_deref()),
        );
        let attr: Vec<String> = attr
            .iter()
            .map(|s| address::with_key(s.name, s.key))
            .collect();
        Reference::new(target, attr.join("."))
    }

    fn resolve_var(&self, var: &str, scope: &Scope, hops: u8, text: &str) -> Resolved {
        let unknown = || Resolved::Unknown(format!("{KNOWN_AFTER_APPLY} (from {text})"));
        if scope.module_config.is_empty() {
            return unknown();
        }
        let Some(call) = self.calls.get(&scope.module_config) else {
            return unknown();
        };
        let Some(exprs) = call
            .expressions
            .and_then(|raw| serde_json::from_str::<Json>(raw.get()).ok())
        else {
            return unknown();
        };
        let Some(refs) = exprs
            .get(var)
            .and_then(|e| e.get("references"))
            .and_then(Json::as_array)
        else {
            return unknown();
        };
        let Some((parent_instance, _, module_key)) =
            address::split_last_module(&scope.module_instance)
        else {
            return unknown();
        };
        let parent = Scope {
            module_instance: parent_instance,
            module_config: address::parent_config(&scope.module_config).to_string(),
            key: module_key,
        };
        self.resolve_list_at(refs.iter().filter_map(Json::as_str), &parent, hops + 1)
    }

    fn resolve_output(
        &self,
        call: address::Step<'_>,
        output: &str,
        scope: &Scope,
        hops: u8,
        text: &str,
    ) -> Resolved {
        let unknown = || Resolved::Unknown(format!("{KNOWN_AFTER_APPLY} (from {text})"));
        let child_config = address::join(&scope.module_config, &format!("module.{}", call.name));
        let Some(module) = self.modules.get(&child_config) else {
            return unknown();
        };
        let Some(expr) = module
            .outputs
            .get(output)
            .and_then(|o| o.expression)
            .and_then(|raw| serde_json::from_str::<Json>(raw.get()).ok())
        else {
            return unknown();
        };
        let Some(refs) = expr.get("references").and_then(Json::as_array) else {
            return unknown();
        };
        let key = match call.key {
            Some(k) => Some(k.to_string()),
            None => pick(
                self.module_instances
                    .get(&format!("{}|{}", scope.module_instance, call.name)),
                scope.key.as_deref(),
            ),
        };
        let child = Scope {
            module_instance: address::join(
                &scope.module_instance,
                &address::with_key(&format!("module.{}", call.name), key.as_deref()),
            ),
            module_config: child_config,
            key: None,
        };
        self.resolve_list_at(refs.iter().filter_map(Json::as_str), &child, hops + 1)
    }
}

pub const KNOWN_AFTER_APPLY: &str = "known only after apply";

/// The part of `address` before its instance key, when it is written as `addr` reads it
/// (`module_instance.resource[key]`); `None` for an address written otherwise.
fn unkeyed_prefix<'t>(address: &'t str, addr: &ResourceAddr) -> Option<&'t str> {
    let rest = address.strip_prefix(addr.module_instance.as_str())?;
    let rest = if addr.module_instance.is_empty() {
        rest
    } else {
        rest.strip_prefix('.')?
    };
    let key = rest.strip_prefix(addr.resource.as_str())?;
    let well_formed = match &addr.key {
        None => key.is_empty(),
        Some(k) => key
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'))
            .is_some_and(|written| written == k),
    };
    if !well_formed {
        return None;
    }
    address.get(..address.len() - key.len())
}

/// The instance a reference without a key means: the one with the referrer's own key, else the
/// only one, else none (left to the graph).
fn pick(keys: Option<&Keys>, want: Option<&str>) -> Option<String> {
    let keys = keys?.as_slice();
    if let Some(w) = want
        && keys.iter().any(|k| k.as_deref() == Some(w))
    {
        return Some(w.to_string());
    }
    match keys {
        [only] => only.clone(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adopted_instances_come_before_those_recorded_here() {
        let mut changes = Index::default();
        let mut rest = Index::default();
        let record = |index: &mut Index<'static>, address: &'static str| {
            let addr = ResourceAddr::parse(address).expect(address);
            index.add_instance(address, &addr);
        };
        record(&mut changes, "aws_s3_bucket.b[0]");
        record(&mut changes, r#"module.m["a"].aws_s3_bucket.c"#);
        record(&mut rest, "aws_s3_bucket.b[1]");
        record(&mut rest, r#"module.m["b"].aws_s3_bucket.c"#);
        record(&mut rest, r#"module.m["a"].aws_s3_bucket.d"#);
        record(&mut rest, "aws_s3_bucket.e");
        rest.adopt_instances(changes);
        let keys = |address: &str| rest.instances.get(address).map(Keys::as_slice);
        assert_eq!(
            keys("aws_s3_bucket.b"),
            Some(&[Some("0".to_string()), Some("1".to_string())][..])
        );
        assert_eq!(keys("aws_s3_bucket.e"), Some(&[None][..]));
        assert_eq!(
            rest.module_instances.get("|m").map(Keys::as_slice),
            Some(&[Some(r#""a""#.to_string()), Some(r#""b""#.to_string())][..])
        );
    }

    #[test]
    fn an_instance_is_filed_under_its_address_without_the_key() {
        for (address, without_key) in [
            ("aws_s3_bucket.b", Some("aws_s3_bucket.b")),
            ("aws_s3_bucket.b[0]", Some("aws_s3_bucket.b")),
            (
                "data.aws_iam_policy_document.p[\"a.b\"]",
                Some("data.aws_iam_policy_document.p"),
            ),
            (
                "module.m[\"x\"].module.n.aws_iam_role.r[1]",
                Some("module.m[\"x\"].module.n.aws_iam_role.r"),
            ),
            // Written otherwise than the parsed address reads: filed under the joined parts.
            ("aws_s3_bucket.b[0][1]", None),
        ] {
            let addr = ResourceAddr::parse(address).expect(address);
            assert_eq!(unkeyed_prefix(address, &addr), without_key, "{address}");
            let mut index = Index::default();
            index.add_instance(address, &addr);
            let joined = address::join(&addr.module_instance, &addr.resource);
            assert!(index.instances.contains_key(joined.as_str()), "{address}");
        }
    }

    #[test]
    fn the_next_listed_resource_is_taken_only_when_it_is_the_one_the_map_holds() {
        let config: Configuration<'_> = serde_json::from_str(
            r#"{"root_module": {
                "resources": [
                    {"mode": "managed", "type": "aws_s3_bucket", "name": "a"},
                    {"mode": "data", "type": "aws_s3_bucket", "name": "a"},
                    {"mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_config_key": "first"},
                    {"mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_config_key": "last"},
                    {"mode": "managed", "type": "aws_s3_bucket", "name": "c"}
                ],
                "module_calls": {"m": {"module": {"resources": [
                    {"mode": "managed", "type": "aws_s3_bucket", "name": "c"}
                ]}}}
            }}"#,
        )
        .expect("configuration");
        let index = Index::new(Some(&config));
        let in_map = |addr: &ResourceAddr| {
            let at = index
                .resources
                .get(&addr.module_config)?
                .get(&addr.resource)?;
            index.listed.get(*at).map(|l| l.resource)
        };
        let addresses = [
            "aws_s3_bucket.a",
            "data.aws_s3_bucket.a",
            "aws_s3_bucket.b",
            "aws_s3_bucket.c",
            "module.m.aws_s3_bucket.c",
            "aws_s3_bucket.missing",
        ];
        // Every order of two lookups: the first leaves the hint the second starts from.
        for first in addresses {
            for second in addresses {
                let mut last = None;
                for address in [first, second] {
                    let addr = ResourceAddr::parse(address).expect(address);
                    let near = index.config_near(&addr, &mut last);
                    assert_eq!(
                        near.map(|r| r as *const ConfigResource<'_>),
                        in_map(&addr).map(|r| r as *const ConfigResource<'_>),
                        "{first} then {second}"
                    );
                }
            }
        }
        let mut last = None;
        let b = ResourceAddr::parse("aws_s3_bucket.b").expect("address");
        let found = index.config_near(&b, &mut last).expect("b");
        assert_eq!(found.provider_config_key.as_deref(), Some("last"));
    }
}
