//! Provider configurations: which account and region each resource is managed in.

use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};

use crate::source::Loc;

use super::eval::{Cx, Ev, Inst, Scope};
use super::parse::FBlock;
use super::value::{VK, Val};

pub struct Provider {
    pub region: Val,
    pub account: Val,
}

fn unknown_account(key: &str, loc: Loc) -> Val {
    Val::unknown(
        format!(
            "the account of provider `{key}` is not in the configuration; pass --account {key}=ID"
        ),
        loc,
    )
}

fn unknown_region(key: &str, loc: Loc) -> Val {
    Val::unknown(
        format!("provider `{key}` sets no region (it comes from the environment at apply)"),
        loc,
    )
}

/// A provider that is used but not configured (Terraform's implicit empty `provider "aws" {}`).
pub fn implicit(ev: &Ev, key: &str) -> Provider {
    let account = match ev.opts.accounts.get(key) {
        Some(a) => Val::str(a.clone(), Loc::None),
        None => unknown_account(key, Loc::None),
    };
    Provider {
        region: unknown_region(key, Loc::None),
        account,
    }
}

fn key_of(fb: &FBlock, cx: &Cx, ev: &Ev) -> String {
    let name = fb.label(0);
    match fb.block.body.get_attribute("alias") {
        Some(a) => match ev.eval(&a.value, cx, 0).as_str() {
            Some(alias) => format!("{name}.{alias}"),
            None => name.to_string(),
        },
        None => name.to_string(),
    }
}

/// Reads a `provider` block; `shown` is the key users pass to `--account`.
fn configured(ev: &Ev, fb: &FBlock, scope: &Scope, shown: &str) -> Provider {
    let cx = Cx {
        scope: scope.clone(),
        file: fb.file,
    };
    let body = &fb.block.body;
    let header = fb.header();
    let region = match body.get_attribute("region") {
        Some(a) => ev.eval(&a.value, &cx, 0),
        None => unknown_region(shown, header.clone()),
    };
    let mut account = ev
        .opts
        .accounts
        .get(shown)
        .map(|a| Val::str(a.clone(), Loc::None));
    if account.is_none() {
        for ar in body.get_blocks("assume_role") {
            if let Some(a) = ar.body.get_attribute("role_arn") {
                let v = ev.eval(&a.value, &cx, 0);
                if let Some(acct) = v.as_str().and_then(arn_account) {
                    account = Some(Val::str(acct, v.loc.clone()));
                }
            }
        }
    }
    if account.is_none()
        && let Some(a) = body.get_attribute("allowed_account_ids")
    {
        let v = ev.eval(&a.value, &cx, 0);
        if let VK::List(items) = &v.kind
            && items.len() == 1
            && let Some(id) = items.first().and_then(Val::to_text)
        {
            account = Some(Val::str(id, v.loc.clone()));
        }
    }
    Provider {
        region,
        account: account.unwrap_or_else(|| unknown_account(shown, header)),
    }
}

fn arn_account(arn: &str) -> Option<String> {
    let acct = arn.split(':').nth(4)?;
    (acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())).then(|| acct.to_string())
}

/// The root module's provider configurations.
pub fn root_providers(ev: &Ev, inst: &Rc<Inst>) {
    let scope = Scope::new(inst.clone());
    let mut map = std::collections::HashMap::new();
    for fb in &inst.src.providers {
        let cx = Cx {
            scope: scope.clone(),
            file: fb.file,
        };
        let key = key_of(fb, &cx, ev);
        map.insert(key.clone(), Rc::new(configured(ev, fb, &scope, &key)));
    }
    map.entry("aws".to_string())
        .or_insert_with(|| Rc::new(implicit(ev, "aws")));
    *inst.providers.borrow_mut() = map;
}

/// A child module's providers: passed in `providers = {...}`, inherited (`aws`), or its own.
pub fn child_providers(ev: &Ev, parent: &Rc<Inst>, child: &Rc<Inst>, call: &FBlock) {
    let mut map = std::collections::HashMap::new();
    let parent_map = parent.providers.borrow().clone();
    if let Some(a) = call.block.body.get_attribute("providers")
        && let Expression::Object(o) = &a.value
    {
        let texts = ev.texts.borrow();
        let text = texts.get(&call.file);
        let src = |span: Option<std::ops::Range<usize>>| -> Option<String> {
            let r = span?;
            Some(text?.get(r)?.trim().trim_matches('"').to_string())
        };
        for (k, v) in o.iter() {
            let key = match k {
                ObjectKey::Ident(id) => Some(id.as_str().to_string()),
                ObjectKey::Expression(e) => src(e.span()),
            };
            let value = src(v.expr().span());
            if let (Some(key), Some(value)) = (key, value)
                && let Some(p) = parent_map.get(&value)
            {
                map.insert(key, p.clone());
            }
        }
    }
    // The default configuration of each provider is inherited when not passed explicitly.
    if !map.contains_key("aws")
        && let Some(p) = parent_map.get("aws")
    {
        map.insert("aws".to_string(), p.clone());
    }
    // Providers the module configures itself (legacy modules) or only declares as proxies.
    let scope = Scope::new(child.clone());
    for fb in &child.src.providers {
        let cx = Cx {
            scope: scope.clone(),
            file: fb.file,
        };
        let key = key_of(fb, &cx, ev);
        if map.contains_key(&key) {
            continue;
        }
        let configured_here = fb
            .block
            .body
            .attributes()
            .any(|a| a.key.as_str() != "alias");
        let shown = format!("{}{key}", child.prefix);
        let p = if configured_here {
            configured(ev, fb, &scope, &shown)
        } else {
            implicit(ev, &shown)
        };
        map.insert(key, Rc::new(p));
    }
    *child.providers.borrow_mut() = map;
}

/// The provider configuration of a resource or data block.
pub fn provider_for(ev: &Ev, scope: &Scope, fb: &FBlock) -> Rc<Provider> {
    let default = fb.label(0).split('_').next().unwrap_or("aws").to_string();
    let key = match fb.block.body.get_attribute("provider") {
        Some(a) => {
            let texts = ev.texts.borrow();
            a.value
                .span()
                .and_then(|r| {
                    texts
                        .get(&fb.file)?
                        .get(r)
                        .map(|t| t.trim().trim_matches('"').to_string())
                })
                .unwrap_or(default)
        }
        None => default,
    };
    if let Some(p) = scope.inst.providers.borrow().get(&key) {
        return p.clone();
    }
    let shown = format!("{}{key}", scope.inst.prefix);
    let p = Rc::new(implicit(
        ev,
        if scope.inst.prefix.is_empty() {
            &key
        } else {
            &shown
        },
    ));
    scope.inst.providers.borrow_mut().insert(key, p.clone());
    p
}

/// The partition of a region (`cn-north-1` → `aws-cn`).
pub fn partition_of(region: &Val) -> Val {
    match region.as_str() {
        Some(r) if r.starts_with("cn-") => Val::str("aws-cn", region.loc.clone()),
        Some(r) if r.starts_with("us-gov-") => Val::str("aws-us-gov", region.loc.clone()),
        Some(r) if r.starts_with("us-iso-") => Val::str("aws-iso", region.loc.clone()),
        Some(r) if r.starts_with("us-isob-") => Val::str("aws-iso-b", region.loc.clone()),
        Some(_) => Val::str("aws", region.loc.clone()),
        None => Val::new(VK::Unknown(region.why()), region.loc.clone()),
    }
}
