//! Terraform addresses: `module.a["x"].module.b.aws_s3_bucket.src[0]`.
//!
//! Instance keys may hold dots and brackets inside quoted strings, so addresses are split by a
//! small scanner rather than by `split('.')`.

/// One dotted step with its optional instance key (the raw text between the brackets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step<'s> {
    pub name: &'s str,
    pub key: Option<&'s str>,
}

/// Splits `a.b[0].c["x.y"]` into steps; `None` when brackets or quotes do not balance.
pub fn steps(text: &str) -> Option<Vec<Step<'_>>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while bytes.get(i).is_some_and(|b| *b != b'.' && *b != b'[') {
            i += 1;
        }
        let name = text.get(start..i)?;
        let mut key = None;
        if bytes.get(i) == Some(&b'[') {
            let open = i + 1;
            let mut in_str = false;
            i += 1;
            loop {
                let b = *bytes.get(i)?;
                if in_str {
                    if b == b'\\' {
                        i += 1;
                    } else if b == b'"' {
                        in_str = false;
                    }
                } else if b == b'"' {
                    in_str = true;
                } else if b == b']' {
                    break;
                }
                i += 1;
            }
            key = Some(text.get(open..i)?);
            i += 1;
            // Splat or attribute index after a key (`x[0][1]`) is not part of an address.
            while bytes.get(i) == Some(&b'[') {
                i += 1;
                while bytes.get(i).is_some_and(|b| *b != b']') {
                    i += 1;
                }
                i += 1;
            }
        }
        if name.is_empty() {
            return None;
        }
        out.push(Step { name, key });
        if let Some(b) = bytes.get(i) {
            if *b != b'.' {
                return None;
            }
            i += 1;
            if i == bytes.len() {
                return None;
            }
        }
    }
    Some(out)
}

/// A resource instance address taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceAddr {
    /// `module.a["x"].module.b` (empty for the root module).
    pub module_instance: String,
    /// `module.a.module.b`: the configuration path, without instance keys.
    pub module_config: String,
    /// `aws_s3_bucket.src` or `data.aws_iam_policy_document.x`.
    pub resource: String,
    /// Raw key text of the resource instance: `0` or `"key"`.
    pub key: Option<String>,
    /// Raw key of the innermost module instance.
    pub module_key: Option<String>,
}

impl ResourceAddr {
    pub fn parse(address: &str) -> Option<ResourceAddr> {
        let steps = steps(address)?;
        let mut rest = steps.as_slice();
        let mut module_instance = String::new();
        let mut module_config = String::new();
        let mut module_key = None;
        while let [module, m, tail @ ..] = rest
            && module.name == "module"
            && module.key.is_none()
        {
            if !module_instance.is_empty() {
                module_instance.push('.');
                module_config.push('.');
            }
            module_instance.push_str("module.");
            module_instance.push_str(m.name);
            if let Some(k) = m.key {
                module_instance.push('[');
                module_instance.push_str(k);
                module_instance.push(']');
            }
            module_config.push_str("module.");
            module_config.push_str(m.name);
            module_key = m.key.map(str::to_string);
            rest = tail;
        }
        let (resource, key) = match rest {
            [d, t, n] if d.name == "data" && d.key.is_none() && t.key.is_none() => {
                (format!("data.{}.{}", t.name, n.name), n.key)
            }
            [t, n] if t.key.is_none() => (format!("{}.{}", t.name, n.name), n.key),
            _ => return None,
        };
        Some(ResourceAddr {
            module_instance,
            module_config,
            resource,
            key: key.map(str::to_string),
            module_key,
        })
    }
}

/// `prefix.rest`, or `rest` when the prefix is the root module.
pub fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else {
        format!("{prefix}.{rest}")
    }
}

/// `name[key]`, or `name` without a key.
pub fn with_key(name: &str, key: Option<&str>) -> String {
    match key {
        Some(k) => format!("{name}[{k}]"),
        None => name.to_string(),
    }
}

/// The parent of a module instance path: `module.a["x"].module.b` → (`module.a["x"]`, `b`, key).
pub fn split_last_module(module_instance: &str) -> Option<(String, String, Option<String>)> {
    let steps = steps(module_instance)?;
    if steps.len() < 2 || steps.len() % 2 != 0 {
        return None;
    }
    let (parent, last) = steps.split_at(steps.len() - 2);
    let mut prefix = String::new();
    for pair in parent.chunks(2) {
        if let [m, n] = pair {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(&with_key(m.name, None));
            prefix.push('.');
            prefix.push_str(&with_key(n.name, n.key));
        }
    }
    let call = last.get(1)?;
    Some((prefix, call.name.to_string(), call.key.map(str::to_string)))
}

/// Drops the last `.module.x` of a configuration path.
pub fn parent_config(module_config: &str) -> &str {
    match module_config.rfind(".module.") {
        Some(i) => &module_config[..i],
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_keys_with_dots() {
        let s = steps(r#"module.sg["a.b[c]"].aws_x.y[0]"#).unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(s[1].key, Some(r#""a.b[c]""#));
        assert_eq!(
            s[3],
            Step {
                name: "y",
                key: Some("0")
            }
        );
        assert!(steps("a..b").is_none());
        assert!(steps("a[0").is_none());
        assert!(steps("a.").is_none());
    }

    #[test]
    fn parses_resource_addresses() {
        let a = ResourceAddr::parse(r#"module.a["x"].module.b.data.aws_iam_role.r[2]"#).unwrap();
        assert_eq!(a.module_instance, r#"module.a["x"].module.b"#);
        assert_eq!(a.module_config, "module.a.module.b");
        assert_eq!(a.resource, "data.aws_iam_role.r");
        assert_eq!(a.key.as_deref(), Some("2"));
        let b = ResourceAddr::parse("aws_s3_bucket.src").unwrap();
        assert_eq!(b.module_instance, "");
        assert_eq!(b.resource, "aws_s3_bucket.src");
        assert!(ResourceAddr::parse("module.a").is_none());
        let (p, n, k) = split_last_module(r#"module.a["x"].module.b[1]"#).unwrap();
        assert_eq!(
            (p.as_str(), n.as_str(), k.as_deref()),
            (r#"module.a["x"]"#, "b", Some("1"))
        );
        assert_eq!(parent_config("module.a.module.b"), "module.a");
        assert_eq!(parent_config("module.a"), "");
    }
}
