//! The parts of `terraform show -json` that the loader reads, borrowed from the input text.
//!
//! Resource values stay [`RawValue`]s until the loader knows the resource type matters: most of a
//! large plan is skipped without building a tree.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// `null` where a list or map is expected reads as empty: older Terraform versions write it.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// A value and its source text: where it is in the file is where its text is.
pub struct Spanned<'a, T> {
    pub value: T,
    pub raw: &'a RawValue,
}

/// Reads the value's text first, then the value from it; a type error keeps `serde_json`'s
/// message (its position becomes the end of the value).
fn spanned<'de: 'a, 'a, D, T>(d: D) -> Result<Spanned<'a, T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'a>,
{
    spanned_or(d, |_| None)
}

/// [`spanned`], taking the value `plain` reads from the text when it reads one (a usual form
/// that needs no second parse).
fn spanned_or<'de: 'a, 'a, D, T>(
    d: D,
    plain: impl FnOnce(&'a str) -> Option<T>,
) -> Result<Spanned<'a, T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'a>,
{
    let raw = <&'a RawValue>::deserialize(d)?;
    if let Some(value) = plain(raw.get()) {
        return Ok(Spanned { value, raw });
    }
    match serde_json::from_str::<T>(raw.get()) {
        Ok(value) => Ok(Spanned { value, raw }),
        Err(e) => Err(D::Error::custom(super::strip_position(&e.to_string()))),
    }
}

/// The text of a JSON string literal that needs no decoding (no escapes), or `None`.
///
/// Addresses and action lists are read for every resource of a plan: their usual form is
/// taken as it is written, anything else goes through `serde_json`.
fn plain_string(literal: &str) -> Option<&str> {
    let text = literal.strip_prefix('"')?.strip_suffix('"')?;
    (!text.bytes().any(|b| b == b'\\' || b == b'"' || b < 0x20)).then_some(text)
}

/// A JSON array of strings that need no decoding, or `None`.
fn plain_strings(literal: &str) -> Option<Vec<Cow<'_, str>>> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut rest = literal
        .strip_prefix('[')?
        .strip_suffix(']')?
        .trim_start_matches(is_space);
    let mut out = Vec::new();
    while !rest.is_empty() {
        if !out.is_empty() {
            rest = rest.strip_prefix(',')?.trim_start_matches(is_space);
        }
        let body = rest.strip_prefix('"')?;
        let end = body.find('"')?;
        out.push(Cow::Borrowed(plain_string(rest.get(..end + 2)?)?));
        rest = body.get(end + 1..)?.trim_start_matches(is_space);
    }
    Some(out)
}

/// A string read with [`spanned`].
#[derive(Deserialize)]
pub struct Text<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Spanned<'a, Text<'a>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        spanned_or(d, |literal| {
            plain_string(literal).map(|text| Text(Cow::Borrowed(text)))
        })
    }
}

/// A list of strings read with [`spanned`]; `null` reads as empty.
#[derive(Deserialize, Default)]
pub struct Texts<'a>(#[serde(borrow, deserialize_with = "nullable")] pub Vec<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Spanned<'a, Texts<'a>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        spanned_or(d, |literal| plain_strings(literal).map(Texts))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Spanned<'a, ProviderConfig<'a>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        spanned(d)
    }
}

impl<T> std::ops::Deref for Spanned<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

#[derive(Deserialize, Default)]
pub struct Plan<'a> {
    #[serde(borrow, default)]
    pub format_version: Option<Spanned<'a, Text<'a>>>,
    #[serde(borrow, default)]
    pub planned_values: Option<Values<'a>>,
    /// `terraform show -json` of a state (not a plan) has its resources here.
    #[serde(borrow, default)]
    pub values: Option<Values<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub resource_changes: Vec<ResourceChange<'a>>,
    #[serde(borrow, default)]
    pub prior_state: Option<State<'a>>,
    #[serde(borrow, default)]
    pub configuration: Option<Configuration<'a>>,
}

#[derive(Deserialize)]
pub struct State<'a> {
    #[serde(borrow, default)]
    pub values: Option<Values<'a>>,
}

#[derive(Deserialize)]
pub struct Values<'a> {
    #[serde(borrow, default)]
    pub root_module: Option<Module<'a>>,
}

#[derive(Deserialize)]
pub struct Module<'a> {
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub resources: Vec<Resource<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub child_modules: Vec<Module<'a>>,
}

#[derive(Deserialize)]
pub struct Resource<'a> {
    #[serde(borrow)]
    pub address: Spanned<'a, Text<'a>>,
    #[serde(borrow, default)]
    pub mode: Cow<'a, str>,
    #[serde(borrow, rename = "type")]
    pub type_: Cow<'a, str>,
    #[serde(borrow, default)]
    pub values: Option<&'a RawValue>,
}

#[derive(Deserialize)]
pub struct ResourceChange<'a> {
    #[serde(borrow)]
    pub address: Spanned<'a, Text<'a>>,
    #[serde(borrow, default)]
    pub mode: Cow<'a, str>,
    #[serde(borrow, rename = "type")]
    pub type_: Cow<'a, str>,
    #[serde(borrow)]
    pub change: Change<'a>,
}

#[derive(Deserialize)]
pub struct Change<'a> {
    #[serde(borrow, default)]
    pub actions: Option<Spanned<'a, Texts<'a>>>,
    #[serde(borrow, default)]
    pub before: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub after: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub after_unknown: Option<&'a RawValue>,
}

#[derive(Deserialize)]
pub struct Configuration<'a> {
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub provider_config: BTreeMap<Cow<'a, str>, Spanned<'a, ProviderConfig<'a>>>,
    #[serde(borrow, default)]
    pub root_module: Option<ConfigModule<'a>>,
}

#[derive(Deserialize)]
pub struct ProviderConfig<'a> {
    #[serde(borrow, default)]
    pub expressions: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
pub struct ConfigModule<'a> {
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub resources: Vec<ConfigResource<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub module_calls: BTreeMap<Cow<'a, str>, ModuleCall<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub outputs: BTreeMap<Cow<'a, str>, ConfigOutput<'a>>,
}

#[derive(Deserialize)]
pub struct ConfigResource<'a> {
    #[serde(borrow, default)]
    pub mode: Cow<'a, str>,
    #[serde(borrow, rename = "type")]
    pub type_: Cow<'a, str>,
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(borrow, default)]
    pub provider_config_key: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub expressions: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub depends_on: Vec<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub struct ModuleCall<'a> {
    #[serde(borrow, default)]
    pub expressions: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub module: Option<ConfigModule<'a>>,
}

#[derive(Deserialize)]
pub struct ConfigOutput<'a> {
    #[serde(borrow, default)]
    pub expression: Option<&'a RawValue>,
}

impl Change<'_> {
    pub fn actions(&self) -> &[Cow<'_, str>] {
        self.actions.as_ref().map_or(&[], |a| &a.value.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Taken as written or not, a string or list of strings reads as `serde_json` reads it.
        #[test]
        fn plain_texts_read_as_serde_reads_them(
            literal in r#"\[?( ?"([a-z\- ]|\\"|\\n|\t|\\u0041){0,4}" ?,?){0,3}\]?"#
        ) {
            let ours = plain_strings(&literal);
            let serdes = serde_json::from_str::<Vec<Cow<'_, str>>>(&literal).ok();
            if let Some(ours) = &ours {
                proptest::prop_assert_eq!(Some(ours), serdes.as_ref());
            }
            let ours = plain_string(&literal);
            let serdes = serde_json::from_str::<Cow<'_, str>>(&literal).ok();
            if let Some(ours) = ours {
                proptest::prop_assert_eq!(Some(ours), serdes.as_deref());
            }
        }
    }

    #[test]
    fn usual_forms_are_taken_as_written() {
        assert_eq!(plain_string(r#""aws_s3_bucket.b[\"x\"]""#), None);
        assert_eq!(
            plain_string(r#""aws_s3_bucket.b""#),
            Some("aws_s3_bucket.b")
        );
        assert_eq!(
            plain_strings(r#"[ "delete" ,"create" ]"#),
            Some(vec![Cow::Borrowed("delete"), Cow::Borrowed("create")])
        );
        assert_eq!(plain_strings("[ ]"), Some(Vec::new()));
        assert_eq!(plain_strings(r#"["a",]"#), None);
        assert_eq!(plain_strings(r#"["a" "b"]"#), None);
    }
}
