//! CDK cloud assemblies (`cdk.out`): the stacks of `manifest.json` with their environments.

use std::path::{Path, PathBuf};

use super::StackInfo;
use crate::load::LoadOptions;

/// One stack artifact of an assembly.
#[derive(Clone, Debug)]
pub struct CdkStack {
    pub template: PathBuf,
    pub stack_name: String,
    /// The artifact id in the manifest (often the stack name).
    pub artifact: String,
    pub account: Option<String>,
    pub region: Option<String>,
}

impl CdkStack {
    /// The stack as loaded: `--account`/`--region` given for the stack name, the artifact id or
    /// the template file win over the manifest.
    pub fn info(&self, options: &LoadOptions) -> StackInfo {
        let mut stack = StackInfo::from_path(&self.template, options);
        let cli = |map: &std::collections::BTreeMap<String, String>| {
            map.get(&self.stack_name)
                .or_else(|| map.get(&self.artifact))
                .cloned()
        };
        stack.account = cli(&options.accounts)
            .or(stack.account)
            .or_else(|| self.account.clone());
        stack.region = cli(&options.regions)
            .or(stack.region)
            .or_else(|| self.region.clone());
        stack.name = self.stack_name.clone();
        stack.stack_name = Some(self.stack_name.clone());
        stack
    }
}

/// Nested assemblies (CDK stages) deeper than this are not followed.
const MAX_NESTING: usize = 8;

/// The stacks of the assembly in `dir`, or `None` when `dir` holds no CDK `manifest.json`.
pub fn stacks(dir: &Path) -> Option<Result<Vec<CdkStack>, String>> {
    let manifest = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value.get("artifacts")?.as_object()?;
    value.get("version")?;
    let mut out = Vec::new();
    match collect(dir, &value, 0, &mut out) {
        Ok(()) => Some(Ok(out)),
        Err(e) => Some(Err(e)),
    }
}

fn collect(
    dir: &Path,
    manifest: &serde_json::Value,
    depth: usize,
    out: &mut Vec<CdkStack>,
) -> Result<(), String> {
    let Some(artifacts) = manifest.get("artifacts").and_then(|a| a.as_object()) else {
        return Ok(());
    };
    for (id, artifact) in artifacts {
        let kind = artifact.get("type").and_then(|t| t.as_str()).unwrap_or("");
        let props = artifact.get("properties");
        match kind {
            "aws:cloudformation:stack" => {
                let Some(file) = props
                    .and_then(|p| p.get("templateFile"))
                    .and_then(|f| f.as_str())
                else {
                    continue;
                };
                let template = dir.join(file);
                let stack_name = props
                    .and_then(|p| p.get("stackName"))
                    .and_then(|s| s.as_str())
                    .unwrap_or(id)
                    .to_string();
                let (account, region) = environment(artifact.get("environment"));
                out.push(CdkStack {
                    template,
                    stack_name,
                    artifact: id.clone(),
                    account,
                    region,
                });
            }
            "cdk:cloud-assembly" if depth < MAX_NESTING => {
                let Some(sub) = props
                    .and_then(|p| p.get("directoryName"))
                    .and_then(|d| d.as_str())
                else {
                    continue;
                };
                let sub_dir = dir.join(sub);
                let text = std::fs::read_to_string(sub_dir.join("manifest.json"))
                    .map_err(|e| format!("cannot read {}: {e}", sub_dir.display()))?;
                let value: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|e| format!("{}: {e}", sub_dir.join("manifest.json").display()))?;
                collect(&sub_dir, &value, depth + 1, out)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// `aws://ACCOUNT/REGION`; CDK writes `unknown-account` / `unknown-region` for
/// environment-agnostic stacks.
fn environment(env: Option<&serde_json::Value>) -> (Option<String>, Option<String>) {
    let Some(rest) = env
        .and_then(|e| e.as_str())
        .and_then(|e| e.strip_prefix("aws://"))
    else {
        return (None, None);
    };
    let (account, region) = rest.split_once('/').unwrap_or((rest, ""));
    let known = |s: &str| {
        (!s.is_empty() && !s.starts_with("unknown-") && !s.contains("${")).then(|| s.to_string())
    };
    (known(account), known(region))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments() {
        let e = serde_json::json!("aws://123456789012/eu-west-1");
        assert_eq!(
            environment(Some(&e)),
            (Some("123456789012".into()), Some("eu-west-1".into()))
        );
        let e = serde_json::json!("aws://unknown-account/unknown-region");
        assert_eq!(environment(Some(&e)), (None, None));
    }
}
