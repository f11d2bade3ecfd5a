//! ARN parsing and the ARNs AWS derives.

/// The six parts of `arn:partition:service:region:account:resource`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let partition = parts.next()?;
        let service = parts.next()?;
        let region = parts.next()?;
        let account = parts.next()?;
        let resource = parts.next()?;
        if partition.is_empty() || service.is_empty() {
            return None;
        }
        Some(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }
}

/// `arn:PARTITION:s3:::NAME`.
pub fn bucket_arn(partition: &str, name: &str) -> String {
    format!("arn:{partition}:s3:::{name}")
}

/// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME` (path `/` or `/x/y/`).
pub fn role_arn(partition: &str, account: &str, path: &str, name: &str) -> String {
    let path = path.trim_start_matches('/');
    format!("arn:{partition}:iam::{account}:role/{path}{name}")
}

/// The bucket name of an S3 bucket ARN (`arn:aws:s3:::name`), if it is one.
pub fn bucket_name_of(arn: &str) -> Option<&str> {
    let a = Arn::parse(arn)?;
    if a.service != "s3" || !a.region.is_empty() || !a.account.is_empty() {
        return None;
    }
    if a.resource.is_empty() || a.resource.contains('/') || a.resource.contains(':') {
        return None;
    }
    Some(a.resource)
}

/// Whether `text` is a 12-digit account id.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `text` is a well-formed IAM role ARN (`arn:aws…:iam::123456789012:role/(path/)name`).
pub fn is_role_arn(text: &str) -> bool {
    let Some(a) = Arn::parse(text) else {
        return false;
    };
    if !a.partition.starts_with("aws") || a.service != "iam" || !a.region.is_empty() {
        return false;
    }
    if !is_account_id(a.account) {
        return false;
    }
    let Some(rest) = a.resource.strip_prefix("role/") else {
        return false;
    };
    let name = rest.rsplit('/').next().unwrap_or("");
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// The role name and path of a role ARN: (`/service-role/`, `name`).
pub fn role_path_name(arn: &str) -> Option<(String, &str)> {
    let a = Arn::parse(arn)?;
    let rest = a.resource.strip_prefix("role/")?;
    match rest.rfind('/') {
        Some(i) => Some((format!("/{}/", &rest[..i]), &rest[i + 1..])),
        None => Some(("/".to_string(), rest)),
    }
}

/// The account of an ARN that carries one.
pub fn account_of(arn: &str) -> Option<&str> {
    Arn::parse(arn)
        .map(|a| a.account)
        .filter(|a| is_account_id(a))
}

/// The region of an ARN that carries one.
pub fn region_of(arn: &str) -> Option<&str> {
    Arn::parse(arn).map(|a| a.region).filter(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        assert!(is_role_arn(
            "arn:aws:iam::123456789012:role/service-role/repl"
        ));
        assert!(is_role_arn("arn:aws-us-gov:iam::123456789012:role/repl"));
        assert!(!is_role_arn("repl"));
        assert!(!is_role_arn(
            "arn:aws:iam::123456789012:instance-profile/repl"
        ));
        assert!(!is_role_arn("arn:aws:iam::123456789012:user/repl"));
        assert_eq!(
            role_path_name("arn:aws:iam::123456789012:role/service-role/repl"),
            Some(("/service-role/".to_string(), "repl"))
        );
    }

    #[test]
    fn bucket_arns() {
        assert_eq!(bucket_name_of("arn:aws:s3:::dst"), Some("dst"));
        assert_eq!(bucket_name_of("arn:aws:s3:::dst/key"), None);
        assert_eq!(bucket_name_of("dst"), None);
        assert_eq!(
            bucket_name_of("arn:aws:s3:us-east-1:123456789012:accesspoint/ap"),
            None
        );
    }
}
