//! Accounts and regions of provider configurations (`aws`, `aws.backup`, `module.x:aws`).

use std::collections::HashMap;

use serde_json::Value as Json;

use super::schema::Configuration;
use super::values::Path;
use crate::load::LoadOptions;
use crate::model::{Value, arn};
use crate::source::{FileId, Loc};

#[derive(Default, Clone)]
struct Provider {
    account: Option<(String, Loc)>,
    region: Option<(String, Loc)>,
}

pub struct Providers {
    file: FileId,
    map: HashMap<String, Provider>,
    cli: HashMap<String, String>,
}

impl Providers {
    pub fn new(config: Option<&Configuration<'_>>, options: &LoadOptions, file: FileId) -> Self {
        let mut map = HashMap::new();
        let base = Path::root().key("configuration").key("provider_config");
        for (key, pc) in config.iter().flat_map(|c| c.provider_config.iter()) {
            let exprs = pc
                .expressions
                .and_then(|raw| serde_json::from_str::<Json>(raw.get()).ok());
            let at = base.name(key).key("expressions");
            let mut p = Provider::default();
            if let Some(e) = &exprs {
                if let Some(region) = constant_str(e.get("region")) {
                    p.region = Some((region, at.key("region").key("constant_value").loc(file)));
                }
                let role = e
                    .get("assume_role")
                    .and_then(|a| a.get(0))
                    .and_then(|a| constant_str(a.get("role_arn")));
                if let Some(account) = role.as_deref().and_then(arn::account_of)
                    && arn::is_account_id(account)
                {
                    let loc = at
                        .key("assume_role")
                        .index(0)
                        .key("role_arn")
                        .key("constant_value")
                        .loc(file);
                    p.account = Some((account.to_string(), loc));
                } else if let Some(Json::Array(ids)) = e
                    .get("allowed_account_ids")
                    .and_then(|a| a.get("constant_value"))
                    && let [Json::String(id)] = ids.as_slice()
                {
                    let loc = at
                        .key("allowed_account_ids")
                        .key("constant_value")
                        .index(0)
                        .loc(file);
                    p.account = Some((id.clone(), loc));
                }
            }
            map.insert(key.to_string(), p);
        }
        Providers {
            file,
            map,
            cli: options
                .accounts
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
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
        if self.map.contains_key(key) {
            Path::root()
                .key("configuration")
                .key("provider_config")
                .name(key)
                .loc(self.file)
        } else {
            Loc::None
        }
    }
}

fn constant_str(e: Option<&Json>) -> Option<String> {
    match e?.get("constant_value")? {
        Json::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}
