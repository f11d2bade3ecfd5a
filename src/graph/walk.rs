//! Iteration over replication rules with everything they link to.

use crate::model::{Replication, ReplicationRule};

use super::{BucketView, Graph, Link, ReplicationView, RuleView};

/// One rule of one replication configuration, with its joined views.
pub struct RuleRef<'g, 'm> {
    pub graph: &'g Graph<'m>,
    pub config: &'m Replication,
    pub view: &'g ReplicationView,
    pub rule: &'m ReplicationRule,
    pub rule_view: &'g RuleView,
}

impl<'g, 'm> RuleRef<'g, 'm> {
    /// Enabled, or status unknown (then checked as if enabled: a paused rule is the exception).
    pub fn is_active(&self) -> bool {
        !matches!(self.rule.status.as_str(), Some(s) if !s.eq_ignore_ascii_case("enabled"))
    }

    pub fn source(&self) -> Option<&'g BucketView<'m>> {
        self.view.source.found().map(|i| &self.graph.buckets[i])
    }

    pub fn destination(&self) -> Option<&'g BucketView<'m>> {
        self.rule_view
            .destination
            .found()
            .map(|i| &self.graph.buckets[i])
    }

    /// The rule's id for messages: its `ID`, else its position.
    pub fn label(&self) -> String {
        match self.rule.id.as_str() {
            Some(id) if !id.is_empty() => format!("rule `{id}`"),
            _ => format!("rule #{}", self.rule_view.index + 1),
        }
    }

    /// A stable discriminator for findings on this rule.
    pub fn key(&self) -> String {
        match self.rule.id.as_str() {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => format!("#{}", self.rule_view.index),
        }
    }

    pub fn address(&self) -> &'m str {
        &self.config.origin.address
    }

    /// The key that encrypts the source bucket's objects by default (SSE-KMS), if any.
    pub fn source_key(&self) -> Option<super::KeyLink> {
        let (sse, _) = self.source()?.sse?;
        let kms = sse
            .algorithm
            .as_str()
            .is_some_and(|a| a.starts_with("aws:kms"));
        if !kms {
            return None;
        }
        if sse.kms_key.is_absent() {
            return Some(super::KeyLink::AwsManaged("alias/aws/s3".into()));
        }
        Some(self.graph.key_by_value(&sse.kms_key))
    }

    /// The account that owns the source bucket: the bucket's, else the role's.
    pub fn source_account(&self) -> super::Resolved {
        if let Some(src) = self.source()
            && src.account.known().is_some()
        {
            return src.account.clone();
        }
        if let Some(role) = self.view.role.found() {
            return self.graph.roles[role].account.clone();
        }
        super::Resolved::Unknown(crate::syntax::Why::new("the source account is not known"))
    }

    /// The account that owns the destination: `Destination.Account` when set, else the bucket's.
    pub fn destination_account(&self) -> super::Resolved {
        if let super::Resolved::Known(a) =
            self.graph.resolver.resolve(&self.rule.destination.account)
        {
            return super::Resolved::Known(a);
        }
        match self.destination() {
            Some(d) if d.account.known().is_some() => d.account.clone(),
            _ => super::Resolved::Unknown(crate::syntax::Why::new(
                "the destination account is not known",
            )),
        }
    }

    /// Whether source and destination belong to different accounts.
    pub fn cross_account(&self) -> super::Tri {
        match Graph::same_account(&self.source_account(), &self.destination_account()) {
            super::Tri::Yes => super::Tri::No,
            super::Tri::No => super::Tri::Yes,
            super::Tri::Unknown => super::Tri::Unknown,
        }
    }

    /// The destination bucket as the user should read it.
    pub fn destination_text(&self) -> String {
        if let Some(d) = self.destination() {
            return self.graph.bucket_text(d);
        }
        match &self.rule_view.destination {
            Link::External(t) => self.graph.display(t),
            _ => "the destination bucket".to_string(),
        }
    }
}

impl<'m> Graph<'m> {
    /// One rule of one replication configuration.
    pub fn rule_ref(&self, replication: usize, rule: usize) -> Option<RuleRef<'_, 'm>> {
        let view = self.replications.get(replication)?;
        let config = self.model.replications.get(view.index)?;
        let rule_view = view.rules.get(rule)?;
        let rule = config.rules.get(rule_view.index)?;
        Some(RuleRef {
            graph: self,
            config,
            view,
            rule,
            rule_view,
        })
    }

    /// Every rule of every replication configuration.
    pub fn each_rule(&self) -> impl Iterator<Item = RuleRef<'_, 'm>> {
        self.replications.iter().flat_map(move |view| {
            let config = &self.model.replications[view.index];
            view.rules.iter().filter_map(move |rule_view| {
                let rule = config.rules.get(rule_view.index)?;
                Some(RuleRef {
                    graph: self,
                    config,
                    view,
                    rule,
                    rule_view,
                })
            })
        })
    }

    /// A bucket's name as the user should read it.
    pub fn bucket_text(&self, b: &BucketView<'_>) -> String {
        match b.name.known() {
            Some(n) => self.display(n),
            None => b.address().to_string(),
        }
    }
}
