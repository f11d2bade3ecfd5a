//! Accounts and regions of provider configurations (`aws`, `aws.backup`, `module.x:aws`).

use std::collections::HashMap;

use super::schema::Configuration;
use crate::load::LoadOptions;
use crate::model::{Value, arn};
use crate::source::{FileId, Loc};
use crate::syntax::json_tape::{Kind, NodeRef, Tape};

#[derive(Default, Clone)]
struct Provider {
    /// The provider configuration's object.
    loc: Loc,
    account: Option<(String, Loc)>,
    region: Option<(String, Loc)>,
}

pub struct Providers {
    map: HashMap<String, Provider>,
    cli: HashMap<String, String>,
}

impl Providers {
    pub fn new(
        config: Option<&Configuration<'_>>,
        options: &LoadOptions,
        file: FileId,
        text: &str,
        tape: &mut Tape,
    ) -> Self {
        let mut map = HashMap::new();
        let loc = |node: NodeRef<'_>| {
            let (start, end) = node.span();
            Loc::span(file, start, end)
        };
        for (key, pc) in config.iter().flat_map(|c| c.provider_config.iter()) {
            let mut p = Provider {
                loc: super::raw_loc(file, text, pc.raw),
                ..Provider::default()
            };
            let parsed = pc
                .expressions
                .is_some_and(|raw| tape.parse(text, raw.get()).is_ok());
            if let Some(e) = tape.root(text).filter(|_| parsed) {
                if let Some((region, node)) = constant_str(e.get("region")) {
                    p.region = Some((region, loc(node)));
                }
                let role = e
                    .get("assume_role")
                    .and_then(|a| a.item(0))
                    .and_then(|a| constant_str(a.get("role_arn")));
                if let Some((account, node)) = role
                    .as_ref()
                    .and_then(|(r, node)| Some((arn::account_of(r)?, *node)))
                    && arn::is_account_id(account)
                {
                    p.account = Some((account.to_string(), loc(node)));
                } else if let Some(ids) = e
                    .get("allowed_account_ids")
                    .and_then(|a| a.get("constant_value"))
                    .filter(|ids| ids.kind() == Kind::Array && ids.len() == 1)
                    && let Some(id) = ids.item(0)
                    && let Some(text) = id.str()
                {
                    p.account = Some((text.into_owned(), loc(id)));
                }
            }
            map.insert(key.to_string(), p);
        }
        Providers {
            map,
            cli: options
                .accounts
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Whether the provider's account is already known (set or learned).
    pub fn knows_account(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|p| p.account.is_some())
    }

    /// Whether the provider's region is already known (set or learned).
    pub fn knows_region(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|p| p.region.is_some())
    }

    /// `data.aws_caller_identity` read during plan: the account of its provider configuration.
    pub fn learn_account(&mut self, key: &str, account: String, loc: Loc) {
        let p = self.map.entry(key.to_string()).or_default();
        if p.account.is_none() {
            p.account = Some((account, loc));
        }
    }

    /// `data.aws_region` read during plan.
    pub fn learn_region(&mut self, key: &str, region: String, loc: Loc) {
        let p = self.map.entry(key.to_string()).or_default();
        if p.region.is_none() {
            p.region = Some((region, loc));
        }
    }

    pub fn account(&self, key: &str) -> Value<String> {
        if let Some(id) = self.cli.get(key) {
            return Value::Known(id.clone(), Loc::None);
        }
        match self.map.get(key).and_then(|p| p.account.as_ref()) {
            Some((id, loc)) => Value::Known(id.clone(), loc.clone()),
            None => Value::unknown(
                format!("the account of provider {key} is not known: pass --account {key}=ID"),
                self.provider_loc(key),
            ),
        }
    }

    pub fn region(&self, key: &str) -> Value<String> {
        match self.map.get(key).and_then(|p| p.region.as_ref()) {
            Some((r, loc)) => Value::Known(r.clone(), loc.clone()),
            None => Value::unknown(
                format!(
                    "the region of provider {key} is not in the plan (set by a variable or the environment)"
                ),
                self.provider_loc(key),
            ),
        }
    }

    fn provider_loc(&self, key: &str) -> Loc {
        self.map.get(key).map_or(Loc::None, |p| p.loc.clone())
    }
}

/// A non-empty literal string of a configuration expression, and where it is.
fn constant_str(e: Option<NodeRef<'_>>) -> Option<(String, NodeRef<'_>)> {
    let value = e?.get("constant_value")?;
    value
        .str()
        .filter(|s| !s.is_empty())
        .map(|s| (s.into_owned(), value))
}
