use crate::graph::{Link, Resolved};
use crate::iam::matching::{Match, glob};
use crate::iam::policy::Condition;
use crate::iam::{Effect, PrincipalSpec, PrincipalType, Statement};
use crate::rules::grants::covers_action;
use crate::rules::prelude::*;

use super::{S3_SERVICE, replication_trusts};

declare_rule! {
    /// The trust statement for S3 carries conditions, or a Deny in the trust policy matches S3.
    ///
    /// ## What goes wrong
    /// AWS's documented replication trust policies have no condition. A positive condition on a
    /// key the `AssumeRole` request of S3 does not carry (`aws:SourceIp`, MFA, a tag) evaluates
    /// false, and a Deny that matches `s3.amazonaws.com` wins over the Allow: S3 cannot assume the
    /// role and every object fails with `AssumeRoleNotPermitted`. Conditions on `aws:SourceAccount`
    /// or `aws:SourceArn` are fine when they name the source bucket's account or ARN; repl-lint
    /// checks them against the replication configurations that use the role.
    ///
    /// ## How to fix
    /// Remove the condition (or the Deny), or make sure it only pins `aws:SourceAccount` to the
    /// source account or `aws:SourceArn` to the source bucket ARN.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// assume_role_policy = jsonencode({
    ///   Version = "2012-10-17"
    ///   Statement = [{
    ///     Effect    = "Allow"
    ///     Principal = { Service = "s3.amazonaws.com" }
    ///     Action    = "sts:AssumeRole"
    ///     Condition = { IpAddress = { "aws:SourceIp" = "203.0.113.0/24" } }
    ///   }]
    /// })
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// assume_role_policy = jsonencode({
    ///   Version = "2012-10-17"
    ///   Statement = [{
    ///     Effect    = "Allow"
    ///     Principal = { Service = "s3.amazonaws.com" }
    ///     Action    = "sts:AssumeRole"
    ///   }]
    /// })
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// AssumeRolePolicyDocument:
    ///   Statement:
    ///     - Effect: Allow
    ///       Principal: {Service: s3.amazonaws.com}
    ///       Action: sts:AssumeRole
    ///       Condition:
    ///         Bool: {"aws:MultiFactorAuthPresent": "true"}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// AssumeRolePolicyDocument:
    ///   Statement:
    ///     - Effect: Allow
    ///       Principal: {Service: s3.amazonaws.com}
    ///       Action: sts:AssumeRole
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; IAM User Guide, "IAM JSON
    /// policy elements: Condition operators" (missing keys).
    pub TrustConditionsOrDeny { id: "trust-conditions-or-deny", code: "D3", group: "trust", severity: Warning }
}

fn names_s3(st: &Statement) -> bool {
    matches!(&st.principal, Some(PrincipalSpec::Principal(items))
    if items.iter().any(|p| match p.kind {
        PrincipalType::Service => p.value.text == S3_SERVICE,
        PrincipalType::Wildcard => true,
        PrincipalType::Aws => p.value.text == "*",
        _ => false,
    }))
}

/// The source accounts and source bucket ARNs of the configurations using the role; `None`
/// when one of them is not known.
fn sources(g: &Graph<'_>, role: usize) -> Option<(Vec<String>, Vec<String>)> {
    let mut accounts = Vec::new();
    let mut arns = Vec::new();
    for (ri, view) in g.replications.iter().enumerate() {
        if view.role != Link::Found(role) {
            continue;
        }
        let src = view.source.found().map(|s| &g.buckets[s])?;
        let account = match &src.account {
            Resolved::Known(a) => a.clone(),
            _ => g.rule_ref(ri, 0)?.source_account().known()?.to_string(),
        };
        accounts.push(account);
        arns.push(src.arn.known()?.to_string());
    }
    Some((accounts, arns))
}

/// What a trust condition means for S3's `AssumeRole` request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// It pins `aws:SourceAccount` / `aws:SourceArn` to the replication's own source.
    OwnSource,
    /// It pins the source keys to values not known before apply, or the source is not known.
    Unknown,
    /// Anything else: S3's request may not satisfy it.
    Doubtful,
}

fn verdict(c: &Condition, own: Option<&(Vec<String>, Vec<String>)>) -> Verdict {
    let key = c.key.text.to_ascii_lowercase();
    let negated = c.operator_text.text.contains("Not");
    let source_key = matches!(key.as_str(), "aws:sourceaccount" | "aws:sourcearn");
    if !source_key || negated || c.values.is_empty() {
        return Verdict::Doubtful;
    }
    let Some((accounts, arns)) = own else {
        return Verdict::Unknown;
    };
    let expected = if key == "aws:sourceaccount" {
        accounts
    } else {
        arns
    };
    let mut unknown = false;
    for want in expected {
        let best = c
            .values
            .iter()
            .map(|v| glob(&v.text, want, false))
            .fold(Match::No, |acc, m| match (acc, m) {
                (Match::Yes, _) | (_, Match::Yes) => Match::Yes,
                (Match::Maybe, _) | (_, Match::Maybe) => Match::Maybe,
                _ => Match::No,
            });
        match best {
            Match::Yes => {}
            Match::Maybe => unknown = true,
            Match::No => return Verdict::Doubtful,
        }
    }
    if unknown {
        Verdict::Unknown
    } else {
        Verdict::OwnSource
    }
}

impl Rule for TrustConditionsOrDeny {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (role, trust) in replication_trusts(g) {
            let Some(policy) = trust.and_then(|id| g.policy(id)) else {
                continue;
            };
            let address = g.model.roles[role].origin.address.as_str();
            let s3_allows: Vec<&Statement> = policy
                .statements
                .iter()
                .filter(|st| {
                    st.effect == Some(Effect::Allow)
                        && covers_action(st, "sts:AssumeRole")
                        && names_s3(st)
                })
                .collect();
            let unconditional = s3_allows.iter().any(|st| st.conditions.is_empty());
            if !unconditional {
                let own = sources(g, role);
                for st in &s3_allows {
                    let verdicts: Vec<(&Condition, Verdict)> = st
                        .conditions
                        .iter()
                        .map(|c| (c, verdict(c, own.as_ref())))
                        .collect();
                    let doubtful: Vec<&Condition> = verdicts
                        .iter()
                        .filter(|(_, v)| *v == Verdict::Doubtful)
                        .map(|(c, _)| *c)
                        .collect();
                    let Some(first) = doubtful.first() else {
                        if let Some((c, _)) = verdicts.iter().find(|(_, v)| *v == Verdict::Unknown)
                        {
                            sink.cannot_verify(
                                &c.key.loc,
                                format!(
                                    "whether the trust condition on {} of `{address}` names the replication's source (its value or the source is known only after apply)",
                                    c.key.text
                                ),
                                "pass --account for the source provider or stack, or the source bucket's sources",
                            )
                            .resource(address);
                        }
                        continue;
                    };
                    let keys: Vec<&str> = doubtful.iter().map(|c| c.key.text.as_str()).collect();
                    sink.report(
                        &first.key.loc,
                        format!(
                            "the trust statement for s3.amazonaws.com in `{address}` has a condition on {}: if S3's AssumeRole request does not satisfy it, replication fails with AssumeRoleNotPermitted",
                            keys.join(", ")
                        ),
                    )
                    .label("condition on the S3 trust")
                    .related(&st.loc, "trust statement")
                    .help("remove the condition, or limit it to aws:SourceAccount = the source account / aws:SourceArn = the source bucket ARN")
                    .resource(address);
                }
            }
            for st in &policy.statements {
                if st.effect == Some(Effect::Deny)
                    && covers_action(st, "sts:AssumeRole")
                    && names_s3(st)
                {
                    sink.report(
                        &st.loc,
                        format!(
                            "a Deny in the trust policy of `{address}` matches s3.amazonaws.com: when it applies, S3 cannot assume the role (AssumeRoleNotPermitted)"
                        ),
                    )
                    .label("Deny that matches S3")
                    .help("remove the Deny, or exclude the S3 service principal from it")
                    .resource(address);
                }
            }
        }
    }
}
