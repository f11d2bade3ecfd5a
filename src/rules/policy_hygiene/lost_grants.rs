//! Grants that a hygiene mistake makes ineffective: a misspelled action, an action written on a
//! resource type it does not apply to. When such a mistake is why the role lacks a permission
//! replication needs, the hygiene rule reports it (it points at the exact item to correct) and
//! the permission rules (`srcp-*`, `dstp-*`, `kms-*`) stay silent about that need.

use foldhash::{HashMap, HashMapExt};
use std::cell::RefCell;

use crate::graph::{DocId, Graph};
use crate::iam::operators::{OpBase, SetQualifier};
use crate::iam::policy::Condition;
use crate::iam::{self, ActionSpec, Effect, Item, Match, ResourceSpec, Statement, atom, catalogue};
use crate::rules::Context;
use crate::rules::access::{self, Checked, Gap};

/// Actions whose need the catalogue rates a warning (AWS sources disagree), so losing them is a
/// warning too.
const RECOMMENDED_ONLY: &[&str] = &["s3:ReplicateTags", "kms:GenerateDataKey"];

thread_local! {
    /// Answers by action text: policies of a large input repeat the same few actions, and a
    /// wildcard is expanded against the whole catalogue.
    static KNOWN: RefCell<HashMap<Box<str>, bool>> = RefCell::new(HashMap::new());
}

/// Frees this thread's answers of [`is_unknown_action`]: they are for one run's policies.
pub(crate) fn forget_answers_of_this_thread() {
    KNOWN.with(|known| drop(known.take()));
}

/// Whether an action item names nothing in the embedded catalogue, for a service it covers.
pub fn is_unknown_action(text: &str) -> bool {
    KNOWN.with(|known| {
        if let Some(&answer) = known.borrow().get(text) {
            return answer;
        }
        let answer = names_no_catalogued_action(text);
        let mut known = known.borrow_mut();
        if known.len() >= crate::iam::catalogue::MAX_CACHED_ANSWERS {
            known.clear();
        }
        known.insert(text.into(), answer);
        answer
    })
}

fn names_no_catalogued_action(text: &str) -> bool {
    if atom::contains_atoms(text) || text == "*" {
        return false;
    }
    let Some((service, name)) = text.split_once(':') else {
        return false;
    };
    if service.is_empty() || name.is_empty() || !catalogue::covers_service(text) {
        return false;
    }
    if name.contains(['*', '?']) {
        catalogue::expand(text).is_empty()
    } else {
        catalogue::lookup(text).is_none()
    }
}

/// Whether a statement's Resource (or NotResource) may cover `resource`.
pub fn reaches(st: &Statement, resource: &str) -> bool {
    match &st.resource {
        Some(ResourceSpec::Resource(items)) => items
            .iter()
            .any(|i| iam::matching::glob(&i.text, resource, false) != Match::No),
        Some(ResourceSpec::NotResource(items)) => items
            .iter()
            .all(|i| iam::matching::glob(&i.text, resource, false) != Match::Yes),
        None => false,
    }
}

fn allow_statements<'g>(g: &'g Graph<'_>, docs: &[DocId]) -> impl Iterator<Item = &'g Statement> {
    docs.iter()
        .filter_map(|id| g.policy(*id))
        .flat_map(|p| p.statements.iter())
        .filter(|st| st.effect == Some(Effect::Allow))
}

fn action_items(st: &Statement) -> &[Item] {
    match &st.action {
        Some(ActionSpec::Action(items)) => items,
        _ => &[],
    }
}

/// A misspelled action item in the role's identity policies that was meant as `c`'s action
/// (its closest catalogue action), on a resource that covers the need.
pub fn misspelled_grant<'g>(g: &'g Graph<'_>, docs: &[DocId], c: &Checked) -> Option<&'g Item> {
    allow_statements(g, docs)
        .filter(|st| reaches(st, &c.need.resource))
        .flat_map(|st| action_items(st).iter())
        .find(|item| {
            is_unknown_action(&item.text)
                && catalogue::may_be_meant_as(&item.text, c.need.action)
                && catalogue::closest(&item.text)
                    .is_some_and(|a| a.eq_ignore_ascii_case(c.need.action))
        })
}

/// Whether a Resource item can denote a resource of one of the action's types; unknown values
/// may.
pub fn fits_resource_type(action: &str, resource: &str) -> bool {
    atom::contains_unknown(resource) || catalogue::any_resource_type_matching(action, resource)
}

/// A statement naming `c`'s action explicitly whose every Resource item is of a resource type
/// the action does not apply to (`s3:ListBucket` only on `arn:aws:s3:::B/*`), for the bucket the
/// need is about.
pub fn mismatched_grant<'g>(g: &'g Graph<'_>, docs: &[DocId], c: &Checked) -> Option<&'g Item> {
    let bucket_arn = c.need.grant.split('/').next().unwrap_or_default();
    allow_statements(g, docs)
        .filter(|st| {
            action_items(st)
                .iter()
                .any(|i| i.text.eq_ignore_ascii_case(c.need.action))
        })
        .find_map(|st| {
            let Some(ResourceSpec::Resource(items)) = &st.resource else {
                return None;
            };
            if items
                .iter()
                .any(|i| fits_resource_type(c.need.action, &i.text))
            {
                return None;
            }
            items
                .iter()
                .find(|i| !bucket_arn.is_empty() && i.text.starts_with(bucket_arn))
        })
}

/// A statement that would grant `c`'s need but for a positive condition on a misspelled key
/// (the key is never present, so the Allow never applies); the condition's key item.
pub fn condition_typo_grant<'g>(g: &'g Graph<'_>, docs: &[DocId], c: &Checked) -> Option<&'g Item> {
    allow_statements(g, docs)
        .filter(|st| reaches(st, &c.need.resource))
        .filter(|st| crate::rules::grants::covers_action(st, c.need.action))
        .find_map(|st| {
            st.conditions
                .iter()
                .find(|cond| {
                    needs_the_key(cond) && misspelled_condition_key(&cond.key.text).is_some()
                })
                .map(|cond| &cond.key)
        })
}

/// Whether a hygiene rule reports the reason this identity-side need is not met.
pub fn explains_identity_gap(g: &Graph<'_>, docs: &[DocId], c: &Checked) -> bool {
    misspelled_grant(g, docs, c).is_some()
        || mismatched_grant(g, docs, c).is_some()
        || condition_typo_grant(g, docs, c).is_some()
}

/// The needs of replication roles holding `doc` that lack an identity grant and that `lost`
/// attributes to one mistake in `doc`.
pub fn lost_needs<'c>(
    cx: &'c Context<'_>,
    doc: DocId,
    lost: impl Fn(&Checked) -> bool,
) -> Vec<&'c Checked> {
    let g = cx.graph;
    cx.checked()
        .filter(|c| g.roles[c.role].identity.contains(&doc))
        .filter(|c| {
            access::gaps(g, &c.decision)
                .iter()
                .any(|gap| matches!(gap, Gap::Identity))
        })
        .filter(|c| lost(c))
        .collect()
}

/// Whether losing `action` breaks replication (error) or only a recommended permission.
pub fn is_required(action: &str) -> bool {
    !RECOMMENDED_ONLY
        .iter()
        .any(|a| a.eq_ignore_ascii_case(action))
}

/// The encryption context key S3 sets on every KMS request it makes.
const S3_CONTEXT_KEY: &str = "kms:EncryptionContext:aws:s3:arn";

/// Key prefixes whose keys repl-lint knows completely (global keys and the catalogue's services).
const CHECKED_PREFIXES: &[&str] = &["aws", "s3", "kms", "sts", "iam"];

/// `Some(suggestion)` when `key` is not a known key of a prefix repl-lint checks.
pub fn misspelled_condition_key(key: &str) -> Option<Option<String>> {
    if atom::contains_atoms(key) {
        return None;
    }
    let prefix = key
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !CHECKED_PREFIXES.contains(&prefix.as_str()) {
        return None;
    }
    if let Some(context_key) = key
        .get(..22)
        .filter(|p| p.eq_ignore_ascii_case("kms:EncryptionContext:"))
        .and(key.get(22..))
    {
        // Any context key is legal, but one that looks like S3's and is not is a typo.
        let looks_like_s3 = context_key.starts_with("arn:")
            || crate::edit_distance::within(&context_key.to_ascii_lowercase(), "aws:s3:arn", 2)
                .is_some();
        return (looks_like_s3 && context_key != "aws:s3:arn")
            .then(|| Some(S3_CONTEXT_KEY.to_string()));
    }
    if catalogue::condition_key_type(key).is_some() {
        return None;
    }
    Some(closest_key(key))
}

/// The known key nearest to `key`, when it is close enough to be a typo.
fn closest_key(key: &str) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    let limit = catalogue::typo_limit(&lower);
    catalogue::GLOBAL_CONDITION_KEYS
        .iter()
        .map(|(k, _)| *k)
        .chain(catalogue::catalogue().condition_keys())
        .filter(|k| !k.contains("${"))
        .filter_map(|k| {
            let d = crate::edit_distance::within(&lower, &k.to_ascii_lowercase(), limit)?;
            Some((d, k))
        })
        .min()
        .map(|(_, k)| k.to_string())
}

/// Whether the condition is false when its key is absent (so an Allow with it is dead).
pub fn needs_the_key(c: &Condition) -> bool {
    c.operator.is_some_and(|op| {
        !op.base.is_negated()
            && !op.if_exists
            && op.set != SetQualifier::ForAllValues
            && op.base != OpBase::Null
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_key_typos() {
        assert_eq!(
            misspelled_condition_key("kms:EncryptionContext:arn:aws:arn"),
            Some(Some(S3_CONTEXT_KEY.to_string()))
        );
        assert_eq!(
            misspelled_condition_key("kms:EncryptionContext:aws:s3:arn"),
            None
        );
        assert_eq!(
            misspelled_condition_key("kms:EncryptionContext:aws:s3express:arn"),
            None
        );
        assert_eq!(
            misspelled_condition_key("kms:EncryptionContext:Department"),
            None
        );
        assert_eq!(
            misspelled_condition_key("aws:SourceAcount"),
            Some(Some("aws:SourceAccount".to_string()))
        );
        assert_eq!(misspelled_condition_key("aws:SourceVpce"), None);
        assert_eq!(misspelled_condition_key("aws:PrincipalTag/team"), None);
        assert_eq!(
            misspelled_condition_key("s3:x-amz-server-side-encryption"),
            None
        );
        assert_eq!(misspelled_condition_key("ec2:Whatever"), None);
    }

    #[test]
    fn unknown_actions() {
        assert!(is_unknown_action("s3:ReplicationTags"));
        assert!(is_unknown_action("s3:Replicat*Foo"));
        assert!(!is_unknown_action("s3:Replicate*"));
        assert!(!is_unknown_action("S3:REPLICATEOBJECT"));
        assert!(!is_unknown_action("ec2:RunInstancez"));
        assert!(!is_unknown_action("*"));
    }
}
