//! The request being authorized: who, what, on which resource, with which context keys.

use std::sync::Arc;

use super::atom;

/// The caller. For replication this is the session of the replication role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The ARN the request is made with (an assumed-role session ARN, a user ARN, …).
    pub arn: String,
    /// The role behind a session: what `aws:PrincipalArn` holds and what a role-ARN grant names.
    pub role_arn: Option<String>,
    /// The principal's account; `None` for service principals.
    pub account: Option<String>,
    /// Set for service principals (`s3.amazonaws.com` assuming the replication role).
    pub service: Option<String>,
}

/// Splits `arn:partition:service:region:account:resource`; `None` unless there are six parts.
pub fn arn_parts(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    let parts = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    (parts[0] == "arn").then_some(parts)
}

impl Principal {
    /// The session of `role_arn` (`arn:aws:iam::111:role/path/name` →
    /// `arn:aws:sts::111:assumed-role/name/repl-lint`). A role ARN that holds atoms (a reference
    /// to a role created at apply) yields a session identity tied to that reference.
    pub fn role_session(role_arn: &str) -> Principal {
        Principal::role_session_named(role_arn, "repl-lint")
    }

    /// Like [`Principal::role_session`] with a chosen session name.
    pub fn role_session_named(role_arn: &str, session: &str) -> Principal {
        let parsed = arn_parts(role_arn)
            .filter(|p| !atom::contains_atoms(role_arn) && p[5].starts_with("role/"));
        match parsed {
            Some([_, partition, _, _, account, resource]) => {
                let name = resource.rsplit('/').next().unwrap_or(resource);
                Principal {
                    arn: format!("arn:{partition}:sts::{account}:assumed-role/{name}/{session}"),
                    role_arn: Some(role_arn.to_string()),
                    account: Some(account.to_string()),
                    service: None,
                }
            }
            None => {
                let account = arn_parts(role_arn)
                    .map(|p| p[4])
                    .filter(|a| !a.is_empty() && !atom::contains_atoms(a))
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        atom::unknown(&format!("account of role {}", strip_atoms(role_arn)))
                    });
                Principal {
                    arn: atom::identity(&format!("session of {}", strip_atoms(role_arn))),
                    role_arn: Some(role_arn.to_string()),
                    account: Some(account),
                    service: None,
                }
            }
        }
    }

    /// A caller that is not a role session: an IAM user, an account root, or another ARN.
    pub fn from_arn(arn: &str) -> Principal {
        if arn_parts(arn).is_some_and(|p| p[2] == "iam" && p[5].starts_with("role/"))
            || atom::contains_atoms(arn)
        {
            return Principal::role_session(arn);
        }
        let account = arn_parts(arn)
            .map(|p| p[4].to_string())
            .filter(|a| !a.is_empty());
        Principal {
            arn: arn.to_string(),
            role_arn: None,
            account,
            service: None,
        }
    }

    /// An AWS service principal such as `s3.amazonaws.com`.
    pub fn service(name: &str) -> Principal {
        Principal {
            arn: name.to_string(),
            role_arn: None,
            account: None,
            service: Some(name.to_string()),
        }
    }
}

fn strip_atoms(text: &str) -> String {
    atom::pieces(text)
        .into_iter()
        .map(|p| match p {
            atom::Piece::Char(c) => c.to_string(),
            atom::Piece::Identity(s) | atom::Piece::Unknown(s) => s.to_string(),
        })
        .collect()
}

/// Request context keys. Key names compare ignoring ASCII case; values keep their case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// Shared, so that the many requests of one session copy the session's keys cheaply.
    entries: Vec<(Arc<str>, Arc<[String]>)>,
}

impl RequestContext {
    pub fn new() -> RequestContext {
        RequestContext::default()
    }

    /// Sets (or replaces) a key; an empty list is a present key with no values.
    pub fn set<I, S>(&mut self, key: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values: Arc<[String]> = values.into_iter().map(Into::into).collect();
        match self
            .entries
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some(entry) => entry.1 = values,
            None => self.entries.push((key.into(), values)),
        }
    }

    pub fn set_one(&mut self, key: &str, value: impl Into<String>) {
        self.set(key, [value.into()]);
    }

    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| &**v)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn remove(&mut self, key: &str) {
        self.entries.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries.iter().map(|(k, v)| (&**k, &**v))
    }

    /// The keys AWS derives from a role-session caller (replication-rules.md §2.5). Values we
    /// cannot know offline (the role's unique id, the organization) are unknown atoms, so that a
    /// condition on them yields "cannot tell" rather than a guess; keys that are absent on
    /// replication requests (`aws:SourceIp`, `aws:SourceVpce`, …) are left out on purpose.
    pub fn for_role_session(principal: &Principal) -> RequestContext {
        let mut ctx = RequestContext::new();
        let principal_arn = principal
            .role_arn
            .clone()
            .unwrap_or_else(|| principal.arn.clone());
        ctx.set_one("aws:PrincipalArn", principal_arn);
        if let Some(account) = &principal.account {
            ctx.set_one("aws:PrincipalAccount", account.clone());
            ctx.set_one(
                "aws:PrincipalOrgID",
                atom::unknown(&format!("organization of account {}", strip_atoms(account))),
            );
        }
        ctx.set_one("aws:PrincipalIsAWSService", "false");
        ctx.set_one("aws:PrincipalType", "AssumedRole");
        ctx.set_one(
            "aws:userid",
            atom::unknown("unique id of the role session (AROA…:session)"),
        );
        ctx.set_one("aws:SecureTransport", "true");
        ctx.set_one("aws:CurrentTime", atom::unknown("time of the request"));
        ctx.set_one("aws:EpochTime", atom::unknown("time of the request"));
        ctx
    }
}

/// One authorization question.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub principal: &'a Principal,
    pub action: &'a str,
    pub resource: &'a str,
    /// The account owning the resource; `None` when not known (S3 ARNs do not carry it).
    pub resource_owner: Option<&'a str>,
    pub context: &'a RequestContext,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions() {
        let p = Principal::role_session("arn:aws:iam::111111111111:role/path/s3-repl");
        assert_eq!(
            p.arn,
            "arn:aws:sts::111111111111:assumed-role/s3-repl/repl-lint"
        );
        assert_eq!(p.account.as_deref(), Some("111111111111"));
        let ctx = RequestContext::for_role_session(&p);
        assert_eq!(
            ctx.get("AWS:PRINCIPALARN").unwrap(),
            ["arn:aws:iam::111111111111:role/path/s3-repl"]
        );
        let r = atom::identity("aws_iam_role.repl.arn");
        let p = Principal::role_session(&r);
        assert!(atom::contains_atoms(&p.arn));
        assert!(atom::contains_atoms(p.account.as_deref().unwrap()));
        assert_eq!(p.role_arn.as_deref(), Some(r.as_str()));
    }

    #[test]
    fn context_keys_ignore_case() {
        let mut c = RequestContext::new();
        c.set_one("kms:ViaService", "s3.us-east-1.amazonaws.com");
        c.set("KMS:VIASERVICE", ["x", "y"]);
        assert_eq!(c.get("kms:viaservice").unwrap(), ["x", "y"]);
        c.remove("Kms:ViaService");
        assert!(!c.contains("kms:ViaService"));
    }
}
