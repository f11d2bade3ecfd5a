use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule copies data to an account the organization does not allow.
    ///
    /// ## What goes wrong
    /// Replicas leave the set of accounts listed in `.repl-lint.toml`
    /// `[standards] allowed-destination-accounts`.
    ///
    /// ## How to fix
    /// Replicate to a bucket in an allowed account, or add the account to the list.
    ///
    /// ## Example
    /// With this `.repl-lint.toml`:
    /// ```toml
    /// [standards]
    /// allowed-destination-accounts = ["222222222222"]
    /// ```
    /// Terraform, failing:
    /// ```hcl
    /// destination {
    ///   bucket  = "arn:aws:s3:::partner-replica"
    ///   account = "333333333333"
    ///   access_control_translation { owner = "Destination" }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket  = "arn:aws:s3:::backup-replica"
    ///   account = "222222222222"
    ///   access_control_translation { owner = "Destination" }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::partner-replica
    ///   Account: "333333333333"
    ///   AccessControlTranslation: {Owner: Destination}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::backup-replica
    ///   Account: "222222222222"
    ///   AccessControlTranslation: {Owner: Destination}
    /// ```
    ///
    /// ## Sources
    /// The organization's `.repl-lint.toml`.
    pub StdAllowedDestinationAccounts { id: "std-allowed-destination-accounts", code: "STD3", group: "standards", severity: Error }
}

impl Rule for StdAllowedDestinationAccounts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let allowed = &cx.config.standards.allowed_destination_accounts;
        if allowed.is_empty() {
            return;
        }
        for r in cx.graph.each_rule().filter(|r| r.is_active()) {
            let dest = &r.rule.destination;
            let loc = super::at(&r, &dest.account).or(dest.bucket.loc());
            let account = r.destination_account();
            match account.concrete() {
                Some(a) if allowed.iter().any(|x| x == a) => {}
                Some(a) => {
                    sink.report(
                        &loc,
                        format!(
                            "{} replicates to account {a}, which is not allowed",
                            r.label()
                        ),
                    )
                    .label(super::by(cx))
                    .help(format!(
                        "allowed destination accounts: {}",
                        allowed.join(", ")
                    ))
                    .resource(r.address())
                    .discriminator(r.key());
                }
                None => {
                    sink.cannot_verify(&loc, format!("whether the destination account of {} is allowed", r.label()), "pass the destination account with `--account NAME=ID` or `[accounts]` in .repl-lint.toml")
                        .resource(r.address())
                        .discriminator(r.key());
                }
            }
        }
    }
}
