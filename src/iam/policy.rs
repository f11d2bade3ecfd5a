//! Typed policy documents with a location on every element.
//!
//! `from_node` never fails: it keeps whatever it can read and reports the rest as issues, so one
//! bad statement does not hide findings about the others.

use crate::source::Loc;
use crate::syntax::node::{Node, NodeKind};

use super::atom;
use super::operators::Operator;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    Identity,
    Trust,
    Boundary,
    Bucket,
    Key,
    Scp,
}

impl PolicyKind {
    /// Resource-based documents name who they apply to; the others apply to their holder.
    pub fn has_principal(self) -> bool {
        matches!(
            self,
            PolicyKind::Trust | PolicyKind::Bucket | PolicyKind::Key
        )
    }
}

/// A string element with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub text: String,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub kind: PolicyKind,
    pub version: Option<Item>,
    pub id: Option<Item>,
    pub statements: Vec<Statement>,
    /// Why parts of the document could not be read (values unknown before apply). A policy with
    /// opaque parts may allow more than its statements show.
    pub opaque: Vec<String>,
    pub loc: Loc,
}

pub const VERSION_2012: &str = "2012-10-17";
pub const VERSION_2008: &str = "2008-10-17";

impl Policy {
    /// Policy variables are substituted only under `2012-10-17`; elsewhere `${…}` is literal.
    pub fn variables_enabled(&self) -> bool {
        self.version
            .as_ref()
            .is_some_and(|v| v.text == VERSION_2012)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ActionSpec {
    Action(Vec<Item>),
    NotAction(Vec<Item>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResourceSpec {
    Resource(Vec<Item>),
    NotResource(Vec<Item>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum PrincipalSpec {
    Principal(Vec<PrincipalItem>),
    NotPrincipal(Vec<PrincipalItem>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    /// The bare string `"*"` (everyone, including anonymous callers).
    Wildcard,
    Aws,
    Service,
    Federated,
    CanonicalUser,
    Other(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalItem {
    pub kind: PrincipalType,
    pub value: Item,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// `None` when the operator is not one AWS knows; such a statement is invalid.
    pub operator: Option<Operator>,
    /// The operator as written (`ForAnyValue:StringLikeIfExists`).
    pub operator_text: Item,
    pub key: Item,
    pub values: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub index: usize,
    pub sid: Option<Item>,
    pub effect: Option<Effect>,
    pub effect_loc: Loc,
    pub action: Option<ActionSpec>,
    pub resource: Option<ResourceSpec>,
    pub principal: Option<PrincipalSpec>,
    pub conditions: Vec<Condition>,
    pub loc: Loc,
}

impl Statement {
    /// A statement AWS would reject: it never applies, but it may hide a grant or a deny.
    pub fn is_invalid(&self) -> bool {
        self.conditions.iter().any(|c| c.operator.is_none())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IssueKind {
    NotAnObject,
    MissingVersion,
    InvalidVersion,
    MissingElement,
    WrongType,
    UnknownElement,
    DuplicateKey,
    InvalidEffect,
    ConflictingElements,
    PrincipalNotAllowed,
    InvalidPrincipal,
    UnknownOperator,
    EmptyElement,
}

impl IssueKind {
    /// Warnings are documents AWS accepts but that probably do not mean what was intended.
    pub fn severity(self) -> Severity {
        match self {
            IssueKind::MissingVersion | IssueKind::DuplicateKey => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyIssue {
    pub kind: IssueKind,
    pub message: String,
    pub loc: Loc,
}

impl Policy {
    pub fn from_node(node: &Node, kind: PolicyKind) -> (Policy, Vec<PolicyIssue>) {
        let mut r = Reader { issues: Vec::new() };
        let policy = r.policy(node, kind);
        (policy, r.issues)
    }

    /// Parses JSON text and reads it as a policy; convenience for tests and the simulator.
    pub fn parse(
        text: &str,
        file: crate::source::FileId,
        kind: PolicyKind,
    ) -> Result<(Policy, Vec<PolicyIssue>), crate::syntax::json::JsonError> {
        let node = crate::syntax::json::parse(text, file)?;
        Ok(Policy::from_node(&node, kind))
    }
}

/// The text of a string-like node; references and unknown values become atoms.
pub fn lower_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Str(s) => Some(s.to_string()),
        NodeKind::Template(parts) => {
            let mut out = String::new();
            for part in parts {
                match part {
                    crate::syntax::node::Part::Lit(s) => out.push_str(s),
                    crate::syntax::node::Part::Ref(r) => {
                        out.push_str(&atom::identity(&r.to_string()))
                    }
                    crate::syntax::node::Part::Unknown(why) => out.push_str(&atom::unknown(&why.0)),
                }
            }
            Some(out)
        }
        NodeKind::Unknown(why) => Some(atom::unknown(&why.0)),
        _ => None,
    }
}

const POLICY_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

struct Reader {
    issues: Vec<PolicyIssue>,
}

impl Reader {
    fn issue(&mut self, kind: IssueKind, message: impl Into<String>, loc: &Loc) {
        self.issues.push(PolicyIssue {
            kind,
            message: message.into(),
            loc: loc.clone(),
        });
    }

    /// Reports unknown and duplicate keys of an object, suggesting the right spelling.
    fn check_keys(&mut self, node: &Node, allowed: &[&str], what: &str) {
        let entries = node.entries();
        for (i, (key, _)) in entries.iter().enumerate() {
            if !allowed.contains(&&*key.text) {
                let hint = allowed
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(&key.text))
                    .map(|a| format!(" (element names are case-sensitive: did you mean \"{a}\"?)"))
                    .unwrap_or_default();
                self.issue(
                    IssueKind::UnknownElement,
                    format!("unknown {what} element \"{}\"{hint}", key.text),
                    &key.loc,
                );
            }
            if entries.iter().take(i).any(|(k, _)| k.text == key.text) {
                self.issue(
                    IssueKind::DuplicateKey,
                    format!("duplicate key \"{}\": AWS keeps only one of them", key.text),
                    &key.loc,
                );
            }
        }
    }

    /// A single string element.
    fn string(&mut self, node: &Node, what: &str) -> Option<Item> {
        match lower_text(node) {
            Some(text) => Some(Item {
                text,
                loc: node.loc.clone(),
            }),
            None => {
                self.issue(
                    IssueKind::WrongType,
                    format!("{what} must be a string, not {}", node.type_name()),
                    &node.loc,
                );
                None
            }
        }
    }

    /// A string or a list of strings. `scalars` admits booleans and numbers (condition values).
    fn strings(&mut self, node: &Node, what: &str, scalars: bool) -> Vec<Item> {
        let one = |r: &mut Reader, n: &Node| -> Option<Item> {
            match (&n.kind, scalars) {
                (NodeKind::Bool(b), true) => Some(Item {
                    text: b.to_string(),
                    loc: n.loc.clone(),
                }),
                (NodeKind::Number(x), true) => Some(Item {
                    text: x.to_string(),
                    loc: n.loc.clone(),
                }),
                _ => r.string(n, what),
            }
        };
        match &node.kind {
            NodeKind::List(items) => {
                if items.is_empty() {
                    self.issue(
                        IssueKind::EmptyElement,
                        format!("{what} is an empty list"),
                        &node.loc,
                    );
                }
                items.iter().filter_map(|n| one(self, n)).collect()
            }
            _ => one(self, node).into_iter().collect(),
        }
    }

    fn policy(&mut self, node: &Node, kind: PolicyKind) -> Policy {
        let mut policy = Policy {
            kind,
            version: None,
            id: None,
            statements: Vec::new(),
            opaque: Vec::new(),
            loc: node.loc.clone(),
        };
        match &node.kind {
            NodeKind::Map(_) => {}
            NodeKind::Unknown(why) => {
                policy.opaque.push(why.to_string());
                return policy;
            }
            _ => {
                self.issue(
                    IssueKind::NotAnObject,
                    format!(
                        "a policy document must be a JSON object, not {}",
                        node.type_name()
                    ),
                    &node.loc,
                );
                return policy;
            }
        }
        self.check_keys(node, POLICY_KEYS, "policy");
        match node.get("Version") {
            None => self.issue(
                IssueKind::MissingVersion,
                "no \"Version\": AWS then uses 2008-10-17, where policy variables are literal text; add \"Version\": \"2012-10-17\"",
                &node.loc,
            ),
            Some(v) => {
                if let Some(item) = self.string(v, "Version") {
                    let ok = item.text == VERSION_2012 || item.text == VERSION_2008;
                    if !ok && !atom::contains_atoms(&item.text) {
                        let dash = item.text.chars().any(|c| matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}'));
                        let hint = if dash { " (it contains a typographic dash instead of '-')" } else { "" };
                        self.issue(
                            IssueKind::InvalidVersion,
                            format!("invalid Version \"{}\"{hint}: use \"2012-10-17\"", item.text),
                            &item.loc,
                        );
                    }
                    policy.version = Some(item);
                }
            }
        }
        if let Some(id) = node.get("Id") {
            policy.id = self.string(id, "Id");
        }
        match node.get("Statement") {
            None => self.issue(
                IssueKind::MissingElement,
                "the policy has no \"Statement\"",
                &node.loc,
            ),
            Some(s) => match &s.kind {
                NodeKind::List(items) => {
                    for item in items {
                        self.statement_or_opaque(item, kind, &mut policy);
                    }
                }
                NodeKind::Map(_) | NodeKind::Unknown(_) => {
                    self.statement_or_opaque(s, kind, &mut policy)
                }
                _ => self.issue(
                    IssueKind::WrongType,
                    format!(
                        "\"Statement\" must be an object or a list of objects, not {}",
                        s.type_name()
                    ),
                    &s.loc,
                ),
            },
        }
        policy
    }

    fn statement_or_opaque(&mut self, node: &Node, kind: PolicyKind, policy: &mut Policy) {
        match &node.kind {
            NodeKind::Map(_) => {
                let index = policy.statements.len();
                policy.statements.push(self.statement(node, kind, index));
            }
            NodeKind::Unknown(why) => policy.opaque.push(why.to_string()),
            _ => self.issue(
                IssueKind::WrongType,
                format!("a statement must be an object, not {}", node.type_name()),
                &node.loc,
            ),
        }
    }

    fn statement(&mut self, node: &Node, kind: PolicyKind, index: usize) -> Statement {
        self.check_keys(node, STATEMENT_KEYS, "statement");
        let mut st = Statement {
            index,
            sid: None,
            effect: None,
            effect_loc: Loc::None,
            action: None,
            resource: None,
            principal: None,
            conditions: Vec::new(),
            loc: node.loc.clone(),
        };
        if let Some(sid) = node.get("Sid") {
            st.sid = self.string(sid, "Sid");
        }
        match node.get("Effect") {
            None => self.issue(
                IssueKind::MissingElement,
                "the statement has no \"Effect\"",
                &node.loc,
            ),
            Some(e) => {
                st.effect_loc = e.loc.clone();
                if let Some(item) = self.string(e, "Effect") {
                    st.effect = match item.text.as_str() {
                        "Allow" => Some(Effect::Allow),
                        "Deny" => Some(Effect::Deny),
                        other => {
                            self.issue(
                                IssueKind::InvalidEffect,
                                format!("Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"{other}\""),
                                &item.loc,
                            );
                            None
                        }
                    };
                }
            }
        }
        let (pos, neg) = self.pair(node, "Action", "NotAction", true);
        st.action = pos
            .map(ActionSpec::Action)
            .or(neg.map(ActionSpec::NotAction));
        let (pos, neg) = self.pair(node, "Resource", "NotResource", kind != PolicyKind::Trust);
        st.resource = pos
            .map(ResourceSpec::Resource)
            .or(neg.map(ResourceSpec::NotResource));
        st.principal = self.principal(node, kind);
        if let Some(c) = node.get("Condition") {
            st.conditions = self.conditions(c);
        }
        st
    }

    /// Reads an element and its `Not` form, which are mutually exclusive.
    fn pair(
        &mut self,
        node: &Node,
        pos: &str,
        neg: &str,
        required: bool,
    ) -> (Option<Vec<Item>>, Option<Vec<Item>>) {
        let p = node.get(pos).map(|n| self.strings(n, pos, false));
        let n = node.get(neg).map(|n| self.strings(n, neg, false));
        if p.is_some() && n.is_some() {
            let loc = node
                .get_ignore_case(neg)
                .map(|(k, _)| k.loc.clone())
                .unwrap_or_default();
            self.issue(
                IssueKind::ConflictingElements,
                format!("a statement may not have both \"{pos}\" and \"{neg}\""),
                &loc,
            );
        } else if p.is_none() && n.is_none() && required {
            self.issue(
                IssueKind::MissingElement,
                format!("the statement has neither \"{pos}\" nor \"{neg}\""),
                &node.loc,
            );
        }
        (p, n)
    }

    fn principal(&mut self, node: &Node, kind: PolicyKind) -> Option<PrincipalSpec> {
        let p = node
            .get_ignore_case("Principal")
            .filter(|(k, _)| &*k.text == "Principal");
        let n = node
            .get_ignore_case("NotPrincipal")
            .filter(|(k, _)| &*k.text == "NotPrincipal");
        if !kind.has_principal() {
            for (key, _) in p.iter().chain(n.iter()) {
                self.issue(
                    IssueKind::PrincipalNotAllowed,
                    format!("\"{}\" is not allowed in this kind of policy (it applies to the principal that holds it)", key.text),
                    &key.loc,
                );
            }
            return None;
        }
        match (p, n) {
            (Some(_), Some((k, _))) => {
                self.issue(
                    IssueKind::ConflictingElements,
                    "a statement may not have both \"Principal\" and \"NotPrincipal\"",
                    &k.loc,
                );
                None
            }
            (Some((_, v)), None) => Some(PrincipalSpec::Principal(self.principal_items(v))),
            (None, Some((_, v))) => Some(PrincipalSpec::NotPrincipal(self.principal_items(v))),
            (None, None) => {
                self.issue(
                    IssueKind::MissingElement,
                    "a statement of a resource policy needs \"Principal\" or \"NotPrincipal\"",
                    &node.loc,
                );
                None
            }
        }
    }

    fn principal_items(&mut self, node: &Node) -> Vec<PrincipalItem> {
        if let NodeKind::Map(entries) = &node.kind {
            let mut out = Vec::new();
            for (key, value) in entries {
                let kind = match &*key.text {
                    "AWS" => PrincipalType::Aws,
                    "Service" => PrincipalType::Service,
                    "Federated" => PrincipalType::Federated,
                    "CanonicalUser" => PrincipalType::CanonicalUser,
                    other => {
                        self.issue(
                            IssueKind::InvalidPrincipal,
                            format!("unknown principal type \"{other}\" (use AWS, Service, Federated or CanonicalUser)"),
                            &key.loc,
                        );
                        PrincipalType::Other(other.to_string())
                    }
                };
                for value in self.strings(value, "a principal", false) {
                    self.check_principal_value(&kind, &value);
                    out.push(PrincipalItem {
                        kind: kind.clone(),
                        value,
                    });
                }
            }
            return out;
        }
        match self.string(node, "Principal") {
            Some(item) if item.text == "*" => vec![PrincipalItem {
                kind: PrincipalType::Wildcard,
                value: item,
            }],
            Some(item) if atom::contains_atoms(&item.text) => {
                vec![PrincipalItem {
                    kind: PrincipalType::Aws,
                    value: item,
                }]
            }
            Some(item) => {
                self.issue(
                    IssueKind::InvalidPrincipal,
                    format!(
                        "Principal must be \"*\" or an object such as {{\"AWS\": \"{}\"}}",
                        item.text
                    ),
                    &item.loc,
                );
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    fn check_principal_value(&mut self, kind: &PrincipalType, value: &Item) {
        if *kind == PrincipalType::Aws && value.text != "*" && value.text.contains(['*', '?']) {
            self.issue(
                IssueKind::InvalidPrincipal,
                format!("principal \"{}\" has a wildcard: only a bare \"*\" is allowed (use a condition on aws:PrincipalArn)", value.text),
                &value.loc,
            );
        }
    }

    fn conditions(&mut self, node: &Node) -> Vec<Condition> {
        let NodeKind::Map(ops) = &node.kind else {
            self.issue(
                IssueKind::WrongType,
                format!("\"Condition\" must be an object, not {}", node.type_name()),
                &node.loc,
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (op_key, block) in ops {
            let operator = Operator::parse(&op_key.text);
            if operator.is_none() {
                self.issue(
                    IssueKind::UnknownOperator,
                    format!(
                        "unknown condition operator \"{}\": AWS rejects the policy",
                        op_key.text
                    ),
                    &op_key.loc,
                );
            }
            let NodeKind::Map(keys) = &block.kind else {
                self.issue(
                    IssueKind::WrongType,
                    format!(
                        "the block of \"{}\" must be an object of condition keys, not {}",
                        op_key.text,
                        block.type_name()
                    ),
                    &block.loc,
                );
                continue;
            };
            let op_item = Item {
                text: op_key.text.to_string(),
                loc: op_key.loc.clone(),
            };
            for (key, values) in keys {
                let values = self.strings(values, "a condition value", true);
                out.push(Condition {
                    operator,
                    operator_text: op_item.clone(),
                    key: Item {
                        text: key.text.to_string(),
                        loc: key.loc.clone(),
                    },
                    values,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};
    use crate::syntax::node::{Part, Reference};

    fn read(text: &str, kind: PolicyKind) -> (Policy, Vec<PolicyIssue>) {
        Policy::parse(text, FileId(0), kind).expect("valid JSON")
    }

    fn slice<'t>(text: &'t str, loc: &Loc) -> &'t str {
        match loc {
            Loc::Span(Span { start, end, .. }) => &text[*start as usize..*end as usize],
            _ => panic!("no span: {loc:?}"),
        }
    }

    #[test]
    fn reads_every_element_with_locations() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"]},
            {"Effect": "Deny", "NotAction": ["s3:*"], "NotResource": "*",
             "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", true, 5]}}}]}"#;
        let (p, issues) = read(text, PolicyKind::Identity);
        assert!(issues.is_empty(), "{issues:?}");
        assert!(p.variables_enabled());
        assert_eq!(p.statements.len(), 2);
        let s0 = &p.statements[0];
        assert_eq!(s0.sid.as_ref().unwrap().text, "A");
        assert_eq!(s0.effect, Some(Effect::Allow));
        let Some(ResourceSpec::Resource(r)) = &s0.resource else {
            panic!()
        };
        assert_eq!(slice(text, &r[1].loc), "\"arn:aws:s3:::c/*\"");
        assert!(slice(text, &s0.loc).starts_with("{\"Sid\": \"A\""));
        let s1 = &p.statements[1];
        assert!(matches!(&s1.action, Some(ActionSpec::NotAction(a)) if a[0].text == "s3:*"));
        assert!(matches!(&s1.resource, Some(ResourceSpec::NotResource(_))));
        let c = &s1.conditions[0];
        let op = c.operator.unwrap();
        assert!(op.if_exists);
        assert_eq!(
            c.values.iter().map(|v| v.text.as_str()).collect::<Vec<_>>(),
            ["a*", "true", "5"]
        );
        assert_eq!(slice(text, &c.key.loc), "\"aws:TagKeys\"");
    }

    #[test]
    fn principal_forms() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": ["123456789012", "arn:aws:iam::1:role/r"], "Service": "s3.amazonaws.com",
              "Federated": "cognito-identity.amazonaws.com", "CanonicalUser": "abc"}, "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*", "Resource": "*"}]}"#;
        let (p, issues) = read(text, PolicyKind::Bucket);
        assert!(issues.is_empty(), "{issues:?}");
        let Some(PrincipalSpec::Principal(a)) = &p.statements[0].principal else {
            panic!()
        };
        assert_eq!(a[0].kind, PrincipalType::Wildcard);
        let Some(PrincipalSpec::Principal(b)) = &p.statements[1].principal else {
            panic!()
        };
        let kinds: Vec<_> = b.iter().map(|i| i.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                PrincipalType::Aws,
                PrincipalType::Aws,
                PrincipalType::Service,
                PrincipalType::Federated,
                PrincipalType::CanonicalUser
            ]
        );
        assert!(matches!(
            &p.statements[2].principal,
            Some(PrincipalSpec::NotPrincipal(_))
        ));
    }

    #[test]
    fn issues_with_locations() {
        let text = "{\"Version\": \"2012\u{2013}10\u{2013}17\", \"Statement\": [{\"Effect\": \"allow\", \"Action\": 5, \"Resource\": \"*\", \"Principal\": \"*\", \"Condition\": {\"StringEqualz\": {\"k\": \"v\"}}, \"effect\": 1}]}";
        let (p, issues) = read(text, PolicyKind::Identity);
        let find = |k: IssueKind| {
            issues
                .iter()
                .find(|i| i.kind == k)
                .unwrap_or_else(|| panic!("no {k:?} in {issues:?}"))
        };
        let v = find(IssueKind::InvalidVersion);
        assert!(v.message.contains("typographic dash"), "{}", v.message);
        assert_eq!(slice(text, &v.loc), "\"2012\u{2013}10\u{2013}17\"");
        assert!(!p.variables_enabled());
        assert_eq!(
            slice(text, &find(IssueKind::InvalidEffect).loc),
            "\"allow\""
        );
        assert_eq!(slice(text, &find(IssueKind::WrongType).loc), "5");
        assert_eq!(
            slice(text, &find(IssueKind::PrincipalNotAllowed).loc),
            "\"Principal\""
        );
        let op = find(IssueKind::UnknownOperator);
        assert_eq!(slice(text, &op.loc), "\"StringEqualz\"");
        assert!(p.statements[0].is_invalid());
        assert!(
            find(IssueKind::UnknownElement)
                .message
                .contains("did you mean \"Effect\"")
        );
        assert_eq!(
            find(IssueKind::UnknownOperator).kind.severity(),
            Severity::Error
        );
    }

    #[test]
    fn missing_and_conflicting_elements() {
        let (_, issues) = read(
            r#"{"Statement": {"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:Get*"}}"#,
            PolicyKind::Bucket,
        );
        let kinds: Vec<_> = issues.iter().map(|i| i.kind).collect();
        assert!(kinds.contains(&IssueKind::MissingVersion));
        assert!(kinds.contains(&IssueKind::ConflictingElements));
        assert!(kinds.contains(&IssueKind::MissingElement), "{kinds:?}");
        let (_, issues) = read(r#"[1]"#, PolicyKind::Identity);
        assert_eq!(issues[0].kind, IssueKind::NotAnObject);
        let (_, issues) = read(
            r#"{"Version": "2012-10-17", "Statement": "x"}"#,
            PolicyKind::Identity,
        );
        assert_eq!(issues[0].kind, IssueKind::WrongType);
        let (_, issues) = read(
            r#"{"Version": "2012-10-17", "Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:role/*"}, "Action": "sts:AssumeRole"}]}"#,
            PolicyKind::Trust,
        );
        let kinds: Vec<_> = issues.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [IssueKind::DuplicateKey, IssueKind::InvalidPrincipal]
        );
    }

    #[test]
    fn templates_and_unknowns_become_atoms() {
        let loc = Loc::None;
        let key = |t: &str| crate::syntax::node::Key {
            text: t.into(),
            loc: Loc::None,
        };
        let resource = Node::new(
            NodeKind::Template(vec![
                Part::Ref(Reference::new("aws_s3_bucket.dst", "arn")),
                Part::Lit("/*".into()),
            ]),
            loc.clone(),
        );
        let stmt = Node::new(
            NodeKind::Map(vec![
                (key("Effect"), Node::str("Allow", loc.clone())),
                (
                    key("Action"),
                    Node::unknown("known after apply", loc.clone()),
                ),
                (key("Resource"), resource),
            ]),
            loc.clone(),
        );
        let doc = Node::new(
            NodeKind::Map(vec![
                (key("Version"), Node::str("2012-10-17", loc.clone())),
                (
                    key("Statement"),
                    Node::new(
                        NodeKind::List(vec![
                            stmt,
                            Node::unknown("computed statement", loc.clone()),
                        ]),
                        loc.clone(),
                    ),
                ),
            ]),
            loc,
        );
        let (p, issues) = Policy::from_node(&doc, PolicyKind::Identity);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(p.opaque, ["computed statement"]);
        let Some(ResourceSpec::Resource(r)) = &p.statements[0].resource else {
            panic!()
        };
        assert_eq!(
            r[0].text,
            format!("{}/*", atom::identity("aws_s3_bucket.dst.arn"))
        );
        let Some(ActionSpec::Action(a)) = &p.statements[0].action else {
            panic!()
        };
        assert_eq!(a[0].text, atom::unknown("known after apply"));
    }
}
