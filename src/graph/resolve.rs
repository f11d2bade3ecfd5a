//! Resolving model values: references to resources, templates, derived ARNs.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::cell::Cell;

use crate::model::{Model, Value, arn};
use crate::source::Loc;
use crate::syntax::{Part, Reference, Why};

use super::atoms;

/// A resolved string value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// The value; it may hold identity atoms for parts computed at apply (see [`atoms`]).
    Known(String),
    Unknown(Why),
    Absent,
}

impl Resolved {
    pub fn known(&self) -> Option<&str> {
        match self {
            Resolved::Known(s) => Some(s),
            _ => None,
        }
    }

    /// Known and without any atom: the literal value.
    pub fn concrete(&self) -> Option<&str> {
        self.known().filter(|s| !atoms::contains_atoms(s))
    }
}

/// Which model collection an entity lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Bucket(usize),
    Role(usize),
    Key(usize),
    Alias(usize),
    ManagedPolicy(usize),
    OrgPolicy(usize),
    Document(usize),
    Replication(usize),
    Settings(usize),
}

impl Entity {
    fn letter(self) -> (char, usize) {
        match self {
            Entity::Bucket(i) => ('b', i),
            Entity::Role(i) => ('r', i),
            Entity::Key(i) => ('k', i),
            Entity::Alias(i) => ('a', i),
            Entity::ManagedPolicy(i) => ('p', i),
            Entity::OrgPolicy(i) => ('o', i),
            Entity::Document(i) => ('d', i),
            Entity::Replication(i) => ('c', i),
            Entity::Settings(i) => ('s', i),
        }
    }
}

/// How many references may be followed through one another: real chains are a few long.
const MAX_REF_DEPTH: u32 = 64;

thread_local! {
    /// References being followed on this thread (rules resolve in parallel).
    static REF_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Address → entity lookups, and the readable names of atoms.
pub struct Resolver<'m> {
    pub model: &'m Model,
    by_address: HashMap<&'m str, Entity>,
    /// Addresses without their instance key (`aws_s3_bucket.b` for `aws_s3_bucket.b[0]`), for
    /// references that name a resource without index; `None` when several instances share it.
    by_base_address: HashMap<String, Option<Entity>>,
    /// Payload of each atom → what it stands for, for messages.
    names: std::sync::Mutex<HashMap<String, String>>,
    /// Each distinct reason an atom stands for → its number.
    unknowns: std::sync::Mutex<HashMap<Why, usize>>,
    /// The partition used to derive ARNs.
    pub partition: String,
}

fn strip_instance_key(address: &str) -> Option<String> {
    // `module.m["a"].aws_s3_bucket.b[0]` → drop only the trailing index of the resource itself.
    if !address.ends_with(']') {
        return None;
    }
    let open = address.rfind('[')?;
    Some(address[..open].to_string())
}

impl<'m> Resolver<'m> {
    pub fn new(model: &'m Model) -> Resolver<'m> {
        let entities = model.buckets.len()
            + model.roles.len()
            + model.keys.len()
            + model.aliases.len()
            + model.managed_policies.len()
            + model.org_policies.len()
            + model.documents.len()
            + model.replications.len()
            + model.bucket_settings.len();
        let mut by_address = HashMap::with_capacity(entities);
        let mut by_base_address: HashMap<String, Option<Entity>> = HashMap::new();
        let mut add = |address: &'m str, e: Entity| {
            by_address.insert(address, e);
            if let Some(base) = strip_instance_key(address) {
                by_base_address
                    .entry(base)
                    .and_modify(|slot| {
                        if *slot != Some(e) {
                            *slot = None
                        }
                    })
                    .or_insert(Some(e));
            }
        };
        for (i, b) in model.buckets.iter().enumerate() {
            add(&b.origin.address, Entity::Bucket(i));
        }
        for (i, r) in model.roles.iter().enumerate() {
            add(&r.origin.address, Entity::Role(i));
        }
        for (i, k) in model.keys.iter().enumerate() {
            add(&k.origin.address, Entity::Key(i));
        }
        for (i, a) in model.aliases.iter().enumerate() {
            add(&a.origin.address, Entity::Alias(i));
        }
        for (i, p) in model.managed_policies.iter().enumerate() {
            add(&p.origin.address, Entity::ManagedPolicy(i));
        }
        for (i, p) in model.org_policies.iter().enumerate() {
            add(&p.origin.address, Entity::OrgPolicy(i));
        }
        for (i, d) in model.documents.iter().enumerate() {
            add(&d.origin.address, Entity::Document(i));
        }
        // A legacy inline replication block shares its bucket's address: the address names the bucket.
        let mut bucket_addresses: HashSet<&str> = HashSet::with_capacity(model.buckets.len());
        bucket_addresses.extend(model.buckets.iter().map(|b| b.origin.address.as_str()));
        for (i, r) in model.replications.iter().enumerate() {
            if !bucket_addresses.contains(r.origin.address.as_str()) {
                add(&r.origin.address, Entity::Replication(i));
            }
        }
        for (i, s) in model.bucket_settings.iter().enumerate() {
            add(&s.origin.address, Entity::Settings(i));
        }
        Resolver {
            model,
            by_address,
            by_base_address,
            names: Default::default(),
            unknowns: Default::default(),
            partition: "aws".into(),
        }
    }

    /// The entity an address names (with or without its instance key).
    pub fn entity(&self, address: &str) -> Option<Entity> {
        if let Some(e) = self.by_address.get(address) {
            return Some(*e);
        }
        self.by_base_address.get(address).copied().flatten()
    }

    /// The identity atom of one attribute of an entity, remembered for messages (every caller
    /// names one attribute of one entity alike, so the first name is kept).
    pub fn atom(&self, entity: Entity, attr: &str, readable: impl FnOnce() -> String) -> String {
        let (letter, index) = entity.letter();
        let payload = format!("{letter}{index}.{attr}");
        if let Ok(mut names) = self.names.lock() {
            names.entry(payload.clone()).or_insert_with(readable);
        }
        atoms::identity(&payload)
    }

    /// The atom for a part of a string that is not known before deploy. The same unknown input
    /// (`AWS::StackName` of one template, one variable) gives the same atom wherever it is
    /// used, so `arn:aws:s3:::${AWS::StackName}-logs` in a policy still matches the bucket named
    /// that way.
    pub fn unknown_atom(&self, why: &Why) -> String {
        self.unknown_atom_named(why, || format!("<{why}>"))
    }

    /// [`Resolver::unknown_atom`] shown as `readable` in messages. Of several names given for
    /// one atom the least is kept, so that the name does not depend on which rule, running on
    /// another thread, asked first; an interpolation (`${...}`) sorts before a reason (`<...>`).
    fn unknown_atom_named(&self, why: &Why, readable: impl FnOnce() -> String) -> String {
        let index = match self.unknowns.lock() {
            Ok(mut u) => match u.get(why) {
                Some(&i) => i,
                None => {
                    let i = u.len();
                    u.insert(why.clone(), i);
                    i
                }
            },
            Err(_) => 0,
        };
        let payload = format!("w{index}");
        if let Ok(mut names) = self.names.lock() {
            let readable = readable();
            match names.get_mut(&payload) {
                Some(name) if readable < *name => *name = readable,
                Some(_) => {}
                None => {
                    names.insert(payload.clone(), readable);
                }
            }
        }
        atoms::identity(&payload)
    }

    /// A string with its atoms replaced by readable placeholders (`${aws_s3_bucket.dst.arn}`).
    pub fn display(&self, text: &str) -> String {
        let mut out = String::new();
        let names = self.names.lock().ok();
        for piece in atoms::pieces(text) {
            match piece {
                atoms::Piece::Char(c) => out.push(c),
                atoms::Piece::Identity(payload) => {
                    match names.as_ref().and_then(|n| n.get(payload)) {
                        Some(name) => out.push_str(name),
                        None => out.push_str("<computed>"),
                    }
                }
                atoms::Piece::Unknown(_) => out.push_str("<unknown>"),
            }
        }
        out
    }

    /// An account: an account not known before deploy is still the same account wherever the
    /// same input decides it (one stack, one provider configuration), so it becomes an atom.
    pub fn resolve_account(&self, value: &Value<String>) -> Resolved {
        match self.resolve(value) {
            Resolved::Unknown(why) => Resolved::Known(self.unknown_atom(&why)),
            other => other,
        }
    }

    pub fn resolve(&self, value: &Value<String>) -> Resolved {
        match value {
            Value::Known(s, _) => Resolved::Known(s.clone()),
            Value::Ref(r, _) => self.resolve_ref(r),
            Value::Template(parts, _) => self.resolve_parts(parts),
            Value::Unknown(why, _) => Resolved::Unknown(why.clone()),
            Value::Absent(_) => Resolved::Absent,
        }
    }

    /// A template: literal parts stay, references resolve, unknown parts become unknown atoms.
    pub fn resolve_parts(&self, parts: &[Part]) -> Resolved {
        let mut out = String::new();
        for part in parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Ref(r) => match self.resolve_ref(r) {
                    Resolved::Known(s) => out.push_str(&s),
                    // Shown as the interpolation it came from, so that a statement in a fix
                    // can be pasted into the configuration as it is.
                    Resolved::Unknown(why) => {
                        out.push_str(&self.unknown_atom_named(&why, || format!("${{{r}}}")))
                    }
                    Resolved::Absent => {}
                },
                Part::Unknown(why) => out.push_str(&self.unknown_atom(why)),
            }
        }
        Resolved::Known(out)
    }

    /// The value of `target.attr`.
    pub fn resolve_ref(&self, r: &Reference) -> Resolved {
        // Terraform rejects a reference cycle (`bucket = aws_s3_bucket.b.id` inside `b`), but the
        // input has not been through Terraform: a cycle must end in an unknown, not in a stack
        // overflow.
        let depth = REF_DEPTH.with(Cell::get);
        if depth >= MAX_REF_DEPTH {
            return Resolved::Unknown(Why::new(format!(
                "`{r}` refers back to itself (a reference cycle)"
            )));
        }
        REF_DEPTH.with(|d| d.set(depth + 1));
        let resolved = self.resolve_ref_once(r);
        REF_DEPTH.with(|d| d.set(depth));
        resolved
    }

    fn resolve_ref_once(&self, r: &Reference) -> Resolved {
        let Some(entity) = self.entity(&r.target) else {
            return Resolved::Unknown(Why::new(format!("`{r}` is not in the input")));
        };
        let attr = &*r.attr;
        match entity {
            Entity::Bucket(i) => match attr {
                "arn" | "Arn" => self.bucket_arn(i),
                "bucket" | "id" | "name" | "" => self.bucket_name(i),
                "region" => self.resolve(&self.model.buckets[i].region),
                _ => self.attr_unknown(r),
            },
            Entity::Role(i) => match attr {
                "arn" | "Arn" => self.role_arn(i),
                "name" | "id" | "" => self.role_name(i),
                _ => self.attr_unknown(r),
            },
            Entity::Key(i) => match attr {
                "arn" | "Arn" => self.key_arn(i),
                "key_id" | "id" | "KeyId" | "" => {
                    let k = &self.model.keys[i];
                    match self.resolve(&k.key_id) {
                        Resolved::Known(s) => Resolved::Known(s),
                        _ => Resolved::Known(
                            self.atom(entity, "id", || format!("${{{}.key_id}}", k.origin.address)),
                        ),
                    }
                }
                _ => self.attr_unknown(r),
            },
            Entity::Alias(i) => {
                let a = &self.model.aliases[i];
                match attr {
                    "target_key_arn" | "target_key_id" => self.resolve(&a.target),
                    "name" | "id" | "" => self.resolve(&a.name),
                    _ => {
                        let name = self.resolve(&a.name);
                        match (name, self.resolve(&a.account), self.resolve(&a.region)) {
                            (
                                Resolved::Known(n),
                                Resolved::Known(acct),
                                Resolved::Known(region),
                            ) => Resolved::Known(format!(
                                "arn:{}:kms:{region}:{acct}:{n}",
                                self.partition
                            )),
                            _ => {
                                Resolved::Known(self.atom(entity, "arn", || {
                                    format!("${{{}.arn}}", a.origin.address)
                                }))
                            }
                        }
                    }
                }
            }
            Entity::ManagedPolicy(i) => {
                let p = &self.model.managed_policies[i];
                match self.resolve(&p.arn) {
                    Resolved::Known(s) => Resolved::Known(s),
                    _ => Resolved::Known(
                        self.atom(entity, "arn", || format!("${{{}.arn}}", p.origin.address)),
                    ),
                }
            }
            Entity::OrgPolicy(i) => {
                let p = &self.model.org_policies[i];
                match self.resolve(&p.id) {
                    Resolved::Known(s) => Resolved::Known(s),
                    _ => Resolved::Known(
                        self.atom(entity, "id", || format!("${{{}.id}}", p.origin.address)),
                    ),
                }
            }
            Entity::Document(_) | Entity::Replication(_) | Entity::Settings(_) => {
                self.attr_unknown(r)
            }
        }
    }

    fn attr_unknown(&self, r: &Reference) -> Resolved {
        Resolved::Unknown(Why::new(format!("`{r}` is known only after apply")))
    }

    pub fn bucket_name(&self, i: usize) -> Resolved {
        let b = &self.model.buckets[i];
        match self.resolve(&b.name) {
            Resolved::Known(s) if !atoms::contains_unknown(&s) => Resolved::Known(s),
            _ => {
                // An ARN in the input carries the name too.
                if let Some(name) = b.arn.as_str().and_then(arn::bucket_name_of) {
                    return Resolved::Known(name.to_string());
                }
                Resolved::Known(self.atom(Entity::Bucket(i), "name", || {
                    format!("${{{}.bucket}}", b.origin.address)
                }))
            }
        }
    }

    pub fn bucket_arn(&self, i: usize) -> Resolved {
        let b = &self.model.buckets[i];
        if let Some(a) = b.arn.as_str() {
            return Resolved::Known(a.to_string());
        }
        match self.bucket_name(i) {
            Resolved::Known(name) => Resolved::Known(arn::bucket_arn(&self.partition, &name)),
            other => other,
        }
    }

    pub fn role_name(&self, i: usize) -> Resolved {
        let r = &self.model.roles[i];
        match self.resolve(&r.name) {
            Resolved::Known(s) => Resolved::Known(s),
            _ => {
                if let Some((_, name)) = r.arn.as_str().and_then(arn::role_path_name) {
                    return Resolved::Known(name.to_string());
                }
                Resolved::Known(self.atom(Entity::Role(i), "name", || {
                    format!("${{{}.name}}", r.origin.address)
                }))
            }
        }
    }

    pub fn role_arn(&self, i: usize) -> Resolved {
        let r = &self.model.roles[i];
        if let Some(a) = r.arn.as_str() {
            return Resolved::Known(a.to_string());
        }
        let name = self.resolve(&r.name);
        let account = self.resolve(&r.account);
        let path = match self.resolve(&r.path) {
            Resolved::Known(p) => Some(p),
            Resolved::Absent => Some("/".to_string()),
            Resolved::Unknown(_) => None,
        };
        match (name.concrete(), account.concrete(), path) {
            (Some(n), Some(a), Some(p)) if !atoms::contains_atoms(&p) => {
                Resolved::Known(arn::role_arn(&self.partition, a, &p, n))
            }
            _ => Resolved::Known(self.atom(Entity::Role(i), "arn", || {
                format!("${{{}.arn}}", r.origin.address)
            })),
        }
    }

    pub fn key_arn(&self, i: usize) -> Resolved {
        let k = &self.model.keys[i];
        match self.resolve(&k.arn) {
            Resolved::Known(s) => Resolved::Known(s),
            _ => {
                let id = self.resolve(&k.key_id);
                match (
                    id.concrete(),
                    self.resolve(&k.account).concrete(),
                    self.resolve(&k.region).concrete(),
                ) {
                    (Some(id), Some(a), Some(r)) => {
                        Resolved::Known(format!("arn:{}:kms:{r}:{a}:key/{id}", self.partition))
                    }
                    _ => Resolved::Known(self.atom(Entity::Key(i), "arn", || {
                        format!("${{{}.arn}}", k.origin.address)
                    })),
                }
            }
        }
    }

    /// Where a value was written (for related spans).
    pub fn loc_of(value: &Value<String>) -> &Loc {
        value.loc()
    }
}
