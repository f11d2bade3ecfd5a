//! `terraform show -json` plans (format 0.1 to 1.x) and state files → model.
//!
//! The plan is read into borrowed typed structs; resource values stay raw JSON until the type is
//! one the model uses, and then only one resource at a time is indexed into a reusable tape. A
//! raw value's place in the file is its address in the text, so every model value's location is
//! a byte span.

pub(crate) mod address;
mod document;
mod index;
mod providers;
mod resources;
mod schema;
mod sections;
mod values;

use foldhash::{HashMap, HashMapExt, HashSet};
use std::borrow::Cow;

use rayon::prelude::*;
use serde_json::value::RawValue;

use self::address::ResourceAddr;
use self::index::{Index, Resolved, Scope};
use self::providers::Providers;
use self::resources::Res;
use self::values::{At, Env};
use super::LoadOptions;
use crate::model::{Format, InputError, Model, Origin};
use crate::source::{FileId, Loc};
use crate::syntax::json_tape::{Kind, NodeRef, Tape, offset_in};

pub fn load(file: FileId, text: &str, options: &LoadOptions) -> Model {
    let mut model = Model::default();
    load_onto(file, text, options, &mut model, &|_| {});
    model
}

/// Loads a plan into a model that may hold other inputs already (a large plan's model is not
/// built apart and then copied over).
///
/// `done_with` is told which byte ranges of `text` the loader will not read again, so that a
/// mapped file's pages need not stay resident while the model grows (reading a range again is
/// still correct, only slower).
pub fn load_onto(
    file: FileId,
    text: &str,
    options: &LoadOptions,
    model: &mut Model,
    done_with: &(dyn Fn(std::ops::Range<usize>) + Sync),
) {
    if let Err(error) = load_into(file, text, options, model, done_with) {
        model.input_errors.push(error);
    }
}

/// How many bytes of resource values are read, at least, between two [`load_onto`] `done_with`
/// calls.
const RELEASE_STEP: usize = 4 << 20;

/// How many resources are mapped between two looks at what text can be released: about 4 MB of
/// a generated plan's values, so the resident text stays a few windows behind the cursor.
const WINDOW: usize = 1536;

/// How many resources one worker maps into a model of its own: small enough for the cores to
/// share a window evenly, large enough that the models' appending costs little.
const CHUNK: usize = 128;

fn input_error(file: FileId, loc: Loc, message: impl Into<String>) -> InputError {
    InputError {
        loc,
        file,
        message: message.into(),
        warning: false,
    }
}

/// The location of a raw value of the plan text.
pub(super) fn raw_loc(file: FileId, text: &str, raw: &RawValue) -> Loc {
    match offset_in(text, raw.get()) {
        Some(start) => Loc::span(file, start, start + raw.get().len()),
        None => Loc::None,
    }
}

/// Where one resource instance's values are read from.
struct Item<'a> {
    address: &'a str,
    mode: &'a str,
    type_: &'a str,
    values: &'a RawValue,
    unknown: Option<&'a RawValue>,
    /// The resource's `address` value: what "missing X" findings point at.
    header: &'a RawValue,
    addr: ResourceAddr,
    /// The plan deletes and recreates the resource (`actions` holds `delete` and `create`):
    /// the actions.
    replaced: Option<&'a RawValue>,
    /// From `resource_changes`: the plan's action and the values before it.
    change: Option<crate::model::ChangeActions>,
    before: Option<&'a RawValue>,
}

fn load_into(
    file: FileId,
    text: &str,
    options: &LoadOptions,
    model: &mut Model,
    done_with: &(dyn Fn(std::ops::Range<usize>) + Sync),
) -> Result<(), InputError> {
    // A BOM is not JSON; offsets in errors must still count it.
    let (body, shift) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 3),
        None => (text, 0),
    };
    crate::timings::phase("plan: read");
    let mut plan = sections::parse(body).map_err(|e| {
        let offset = shift + error_offset(body, &e);
        let end = (offset + 1).min(text.len());
        let what = match e.classify() {
            serde_json::error::Category::Data => "the file is not a Terraform plan",
            _ => "invalid JSON",
        };
        input_error(
            file,
            Loc::span(file, offset.min(text.len()), end),
            format!("{what}: {}", strip_position(&e.to_string())),
        )
    })?;
    crate::timings::phase("plan: typed parse");
    let version_loc = plan
        .format_version
        .as_ref()
        .map_or(Loc::None, |v| raw_loc(file, text, v.raw));
    match plan.format_version.as_ref().map(|v| &*v.0) {
        None => {
            return Err(input_error(
                file,
                Loc::span(file, 0, text.len().min(1)),
                "the file is not a Terraform plan: it has no `format_version` (expected the output of `terraform show -json PLANFILE`)",
            ));
        }
        Some(v) => {
            let major = v.split('.').next().and_then(|m| m.parse::<u32>().ok());
            if !matches!(major, Some(0 | 1)) {
                return Err(input_error(
                    file,
                    version_loc,
                    format!(
                        "unsupported plan format_version {v:?}: repl-lint reads formats 0.x and 1.x"
                    ),
                ));
            }
        }
    }
    if plan.planned_values.is_none()
        && plan.values.is_none()
        && plan.resource_changes.is_empty()
        && plan.prior_state.is_none()
        && plan.configuration.is_none()
    {
        return Err(input_error(
            file,
            Loc::span(file, 0, text.len().min(1)),
            "the file is not a Terraform plan: it has none of `planned_values`, `resource_changes`, `prior_state`, `values`",
        ));
    }

    // The changes are the longest part: the configuration's index, the instances the other
    // sections add and the providers are made beside them.
    let ((mut index, rest, mut providers), (mut items, instances)) = rayon::join(
        || {
            let mut index = Index::new(plan.configuration.as_ref());
            let mut seen = change_addresses(&plan);
            let mut rest = Vec::new();
            collect_the_rest(&plan, &mut seen, &mut rest, &mut index);
            let providers = Providers::new(
                plan.configuration.as_ref(),
                options,
                file,
                text,
                &mut Tape::default(),
            );
            (index, rest, providers)
        },
        || {
            let mut instances = Index::default();
            let items = collect_changes(&plan, &mut instances);
            (items, instances)
        },
    );
    crate::timings::phase("plan: instances, configuration index");
    items.extend(rest);
    index.adopt_instances(instances);
    let mut tapes = Tapes::default();
    learn_from_data_sources(
        &items,
        &index,
        &mut providers,
        file,
        text,
        &mut tapes.values,
    );
    crate::timings::phase("plan: providers");

    let relevant: Vec<&Item<'_>> = items
        .iter()
        .filter(|i| resources::is_relevant(i.mode, i.type_))
        .collect();
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    for item in &relevant {
        *counts.entry((item.mode, item.type_)).or_default() += 1;
    }
    for ((mode, ty), n) in counts {
        resources::reserve(model, mode, ty, n);
    }
    // The typed parse read the whole text; from here on only the resources' values (in file
    // order, mostly) and the configuration section are read. What lies before the first
    // resource (`planned_values`, in Terraform's order) goes now, the rest as the resources
    // are mapped: released all at once, the text of every resource would be read back in.
    let first = relevant
        .first()
        .and_then(|item| offset_in(text, item.header.get()))
        .unwrap_or(text.len());
    done_with(0..first);
    let map_window = |window: &[&Item<'_>]| -> Vec<Model> {
        window
            .par_chunks(CHUNK)
            .map_init(Tapes::default, |tapes, chunk| {
                let mut part = Model::default();
                for item in chunk {
                    map_item(item, &index, &providers, file, text, tapes, &mut part);
                }
                part
            })
            .collect()
    };
    // Each chunk is mapped into a model of its own, appended in item order: the model's entries
    // come out as if mapped one by one. One window's models are appended, and the text behind
    // it released, while the next window is mapped.
    let mut released_to = first;
    let mut mapped: Vec<Model> = Vec::new();
    for window in relevant.chunks(WINDOW) {
        let start = window
            .first()
            .and_then(|item| offset_in(text, item.header.get()));
        let append = || {
            for part in mapped.drain(..) {
                model.merge(part);
            }
            // Everything of earlier resources lies before this window's first address.
            if let Some(at) = start
                && at >= released_to + RELEASE_STEP
            {
                done_with(released_to..at);
                released_to = at;
            }
        };
        let (parts, ()) = rayon::join(|| map_window(window), append);
        mapped = parts;
    }
    for part in mapped {
        model.merge(part);
    }
    crate::timings::phase("plan: resources → model");
    // The parse leaves a few allocations per resource (addresses taken apart, index entries,
    // action lists): the cores free them together.
    drop(relevant);
    rayon::join(
        || {
            items
                .into_par_iter()
                .with_min_len(FREE_CHUNK)
                .for_each(drop)
        },
        || drop(index),
    );
    std::mem::take(&mut plan.resource_changes)
        .into_par_iter()
        .with_min_len(FREE_CHUNK)
        .for_each(drop);
    Ok(())
}

/// How many parsed resources one worker frees in a row.
const FREE_CHUNK: usize = 4096;

// Every resource instance is collected once, from the best place: `resource_changes` (planned
// values with unknown markers) by `collect_changes`, then by `collect_the_rest` `prior_state`
// for data sources read during plan, then `planned_values`, then the rest of `prior_state`,
// then a state file's `values`.

/// The addresses of `resource_changes`.
fn change_addresses<'a>(plan: &'a schema::Plan<'a>) -> HashSet<&'a str> {
    plan.resource_changes
        .iter()
        .map(|rc| &*rc.address.0)
        .collect()
}

/// The instances of `resource_changes`, in order.
fn collect_changes<'a>(plan: &'a schema::Plan<'a>, index: &mut Index<'a>) -> Vec<Item<'a>> {
    let mut items = Vec::with_capacity(plan.resource_changes.len());
    index.reserve_instances(plan.resource_changes.len());
    for rc in &plan.resource_changes {
        let Some(addr) = ResourceAddr::parse(&rc.address.0) else {
            continue;
        };
        index.add_instance(&rc.address.0, &addr);
        let actions = rc.change.actions();
        let gone = actions.iter().all(|a| a == "delete" || a == "forget");
        let Some(after) = rc.change.after.filter(|a| a.get() != "null") else {
            continue;
        };
        if gone && !actions.is_empty() {
            continue;
        }
        let replaced =
            actions.iter().any(|a| a == "delete") && actions.iter().any(|a| a == "create");
        items.push(Item {
            address: &rc.address.0,
            mode: &rc.mode,
            type_: &rc.type_,
            values: after,
            unknown: rc.change.after_unknown,
            change: crate::model::ChangeActions::from_plan(actions),
            before: rc.change.before.filter(|b| b.get() != "null"),
            header: rc.address.raw,
            addr,
            replaced: rc
                .change
                .actions
                .as_ref()
                .map(|a| a.raw)
                .filter(|_| replaced),
        });
    }
    items
}

/// Appends the instances that `seen` does not hold yet, from the other sections.
fn collect_the_rest<'a>(
    plan: &'a schema::Plan<'a>,
    seen: &mut HashSet<&'a str>,
    items: &mut Vec<Item<'a>>,
    index: &mut Index<'a>,
) {
    let prior = plan
        .prior_state
        .as_ref()
        .and_then(|s| s.values.as_ref())
        .and_then(|v| v.root_module.as_ref());
    if let Some(m) = prior {
        walk(m, Some("data"), seen, items, index, 0);
    }
    if let Some(m) = plan
        .planned_values
        .as_ref()
        .and_then(|v| v.root_module.as_ref())
    {
        walk(m, None, seen, items, index, 0);
    }
    if let Some(m) = prior {
        walk(m, None, seen, items, index, 0);
    }
    if let Some(m) = plan.values.as_ref().and_then(|v| v.root_module.as_ref()) {
        walk(m, None, seen, items, index, 0);
    }
}

fn walk<'a>(
    module: &'a schema::Module<'a>,
    only_mode: Option<&str>,
    seen: &mut HashSet<&'a str>,
    items: &mut Vec<Item<'a>>,
    index: &mut Index<'a>,
    depth: usize,
) {
    for r in &module.resources {
        if only_mode.is_some_and(|m| m != r.mode) || seen.contains(&*r.address.0) {
            continue;
        }
        seen.insert(&r.address.0);
        let Some(addr) = ResourceAddr::parse(&r.address.0) else {
            continue;
        };
        index.add_instance(&r.address.0, &addr);
        let Some(values) = r.values.filter(|v| v.get() != "null") else {
            continue;
        };
        items.push(Item {
            address: &r.address.0,
            mode: &r.mode,
            type_: &r.type_,
            values,
            unknown: None,
            change: None,
            before: None,
            header: r.address.raw,
            addr,
            replaced: None,
        });
    }
    if depth < 64 {
        for child in &module.child_modules {
            walk(child, only_mode, seen, items, index, depth + 1);
        }
    }
}

/// `data.aws_caller_identity` and `data.aws_region` read during plan give their provider
/// configuration's account and region.
fn learn_from_data_sources(
    items: &[Item<'_>],
    index: &Index<'_>,
    providers: &mut Providers,
    file: FileId,
    text: &str,
    tape: &mut Tape,
) {
    let mut last_config = None;
    for item in items {
        let attr = match (item.mode, item.type_) {
            ("data", "aws_caller_identity") => "account_id",
            ("data", "aws_region") => "name",
            // A role or key is created in its provider's account: its ARN names the account.
            ("managed", "aws_iam_role" | "aws_kms_key") => "arn",
            _ => continue,
        };
        let key = provider_key(index.config_near(&item.addr, &mut last_config));
        // The first resource of a provider that tells is the one that counts; and most roles
        // and keys of a plan are new, their ARN unknown and absent from their values.
        let known = if attr == "name" {
            providers.knows_region(key)
        } else {
            providers.knows_account(key)
        };
        if known || !may_hold_key(item.values.get(), attr) {
            continue;
        }
        if tape.parse(text, item.values.get()).is_err() {
            continue;
        }
        let Some(node) = tape.root(text).and_then(|v| v.get(attr)) else {
            continue;
        };
        let Some(v) = node.str() else {
            continue;
        };
        let (start, end) = node.span();
        let loc = Loc::span(file, start, end);
        if attr == "arn" {
            if let Some(account) = crate::model::arn::account_of(&v) {
                providers.learn_account(key, account.to_string(), loc);
            }
        } else if attr == "account_id" {
            providers.learn_account(key, v.into_owned(), loc);
        } else {
            providers.learn_region(key, v.into_owned(), loc);
        }
    }
}

/// Whether JSON text may have a member named `key`: it has the name in quotes, or escapes
/// that could spell it.
fn may_hold_key(json: &str, key: &str) -> bool {
    let bytes = json.as_bytes();
    json.contains("\\u")
        || memchr::memmem::find_iter(bytes, key.as_bytes()).any(|at| {
            at.checked_sub(1).and_then(|before| bytes.get(before)) == Some(&b'"')
                && bytes.get(at + key.len()) == Some(&b'"')
        })
}

/// The provider configuration a resource uses (`aws`, `aws.replica`, `module.m:aws`).
fn provider_key<'c>(config: Option<&'c schema::ConfigResource<'_>>) -> &'c str {
    config
        .and_then(|c| c.provider_config_key.as_deref())
        .unwrap_or("aws")
}

/// The buffers one resource is read into, kept from one resource to the next.
#[derive(Default)]
struct Tapes {
    values: Tape,
    unknown: Tape,
    before: Tape,
    config: Tape,
    /// Where the last resource's configuration was listed ([`Index::config_near`]).
    last_config: Option<usize>,
}

fn map_item(
    item: &Item<'_>,
    index: &Index<'_>,
    providers: &Providers,
    file: FileId,
    text: &str,
    tapes: &mut Tapes,
    model: &mut Model,
) {
    if !tapes.values.read(text, Some(item.values.get())) {
        return;
    }
    tapes.unknown.read(text, item.unknown.map(RawValue::get));
    // Only versioning changes are read from `before` so far (`ver-suspend-while-replicating`).
    let reads_before = matches!(item.type_, "aws_s3_bucket" | "aws_s3_bucket_versioning")
        && item
            .change
            .is_some_and(crate::model::ChangeActions::keeps_resource);
    tapes.before.read(
        text,
        item.before.filter(|_| reads_before).map(RawValue::get),
    );
    let config = index.config_near(&item.addr, &mut tapes.last_config);
    // Most resources of a large plan are fully known: their configuration is read only when a
    // value is unknown or the type reads it anyway (priorities, legacy blocks, documents).
    let holds_policy = matches!(
        item.type_,
        "aws_s3_bucket_policy" | "aws_kms_key" | "aws_kms_replica_key" | "aws_kms_key_policy"
    ) && item.mode == "managed";
    let needs_config = holds_policy
        || matches!(
            item.type_,
            "aws_s3_bucket" | "aws_s3_bucket_replication_configuration" | "aws_iam_policy_document"
        )
        || tapes.unknown.root(text).is_some_and(any_unknown);
    tapes.config.read(
        text,
        config
            .and_then(|c| c.expressions)
            .filter(|_| needs_config)
            .map(RawValue::get),
    );
    let tapes = &*tapes;
    let Some(values) = tapes.values.root(text) else {
        return;
    };
    let unknown = tapes.unknown.root(text);
    let expressions = tapes.config.root(text);
    let env = Env {
        file,
        index,
        scope: Scope::of(&item.addr),
    };
    let at = At::new(Some(values), unknown, expressions, &env);
    let key = provider_key(config);
    let mut depends_on = Vec::new();
    let orders = holds_policy
        || matches!(
            item.type_,
            "aws_s3_bucket" | "aws_s3_bucket_replication_configuration"
        );
    if let Some(c) = config.filter(|_| orders) {
        for d in &c.depends_on {
            push_target(&mut depends_on, index, &env.scope, d);
        }
    }
    if let Some(e) = expressions.filter(|_| orders) {
        collect_references(e, &mut |r| {
            push_target(&mut depends_on, index, &env.scope, r)
        });
    }
    // Without its configuration the plan does not say what the resource waits for.
    if holds_policy && config.is_some() {
        model.orderings.push(crate::model::Ordering {
            address: item.address.to_string(),
            depends_on: depends_on.clone(),
        });
    }
    let before = tapes
        .before
        .root(text)
        .map(|b| At::new(Some(b), None, None, &env));
    let res = Res {
        origin: Origin {
            address: item.address.to_string(),
            file,
            // The resource's address is what "missing X" findings point at.
            header: raw_loc(file, text, item.header),
            format: Format::Plan,
        },
        at,
        account: providers.account(key),
        region: providers.region(key),
        depends_on,
        configured: config.is_some(),
        replaced: item.replaced.map(|a| raw_loc(file, text, a)),
        change: item.change,
        before,
    };
    resources::map(model, res, item.mode, item.type_);
}

/// Adds the resource a reference or `depends_on` entry names, once.
fn push_target(out: &mut Vec<String>, index: &Index<'_>, scope: &Scope, text: &str) {
    let refs = [Cow::Borrowed(text)];
    if let Resolved::Ref(r) = index.resolve_list(&refs, scope) {
        let target = r.target.to_string();
        if !out.contains(&target) {
            out.push(target);
        }
    }
}

/// Whether an `after_unknown` tree marks anything but the resource id unknown (the loader never
/// reads `id` from the configuration, where it cannot be written).
fn any_unknown(tree: NodeRef<'_>) -> bool {
    match tree.kind() {
        // As in a map of the tree, the last of repeated keys is the one that counts.
        Kind::Object => tree.children().any(|member| {
            let key = member.key();
            key != "id"
                && member.any_true()
                && tree
                    .get(&key)
                    .is_some_and(|last| last.index == member.index)
        }),
        _ => tree.any_true(),
    }
}

/// Every reference of an expression tree, in the order of its maps' keys.
fn collect_references(e: NodeRef<'_>, f: &mut impl FnMut(&str)) {
    match e.kind() {
        Kind::Object => {
            if let Some(refs) = e.get("references").filter(|r| r.kind() == Kind::Array) {
                for r in refs.children().filter_map(|r| r.str()) {
                    f(&r);
                }
            }
            for (k, v) in e.members() {
                if k != "references" && k != "constant_value" {
                    collect_references(v, f);
                }
            }
        }
        Kind::Array => e.children().for_each(|v| collect_references(v, f)),
        _ => {}
    }
}

/// serde_json reports 1-based line and byte column; findings want a byte offset.
fn error_offset(text: &str, e: &serde_json::Error) -> usize {
    let line = e.line();
    if line == 0 {
        return 0;
    }
    let line_start = if line == 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(line - 2)
            .map_or(text.len(), |i| i + 1)
    };
    (line_start + e.column().saturating_sub(1)).min(text.len())
}

pub(super) fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message),
        None => message,
    }
}

#[cfg(test)]
mod tests;
