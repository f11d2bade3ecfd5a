//! Where rules put their findings.

use crate::finding::{Finding, Related, Severity};
use crate::source::Loc;

use super::RuleMeta;

/// Collects the findings of one rule.
pub struct Sink<'a> {
    rule: &'static RuleMeta,
    findings: &'a mut Vec<Finding>,
}

impl<'a> Sink<'a> {
    pub fn new(rule: &'static RuleMeta, findings: &'a mut Vec<Finding>) -> Sink<'a> {
        Sink { rule, findings }
    }

    /// A finding at the rule's own severity.
    pub fn report(&mut self, loc: &Loc, message: impl Into<String>) -> FindingBuilder<'_> {
        let severity = self.rule.severity;
        self.start(severity, loc, message.into())
    }

    /// An info "cannot verify": a decisive input is unknown until apply or outside the input.
    /// `message` says what could not be verified, `how` what the user can pass to decide it.
    pub fn cannot_verify(
        &mut self,
        loc: &Loc,
        message: impl AsRef<str>,
        how: impl AsRef<str>,
    ) -> FindingBuilder<'_> {
        let text = format!("cannot verify: {}", message.as_ref());
        let mut b = self.start(Severity::Info, loc, text);
        let how = how.as_ref();
        if !how.is_empty() {
            b = b.help(how.to_string());
        }
        b
    }

    fn start(&mut self, severity: Severity, loc: &Loc, message: String) -> FindingBuilder<'_> {
        FindingBuilder {
            finding: Some(Finding {
                rule: self.rule,
                severity,
                message,
                primary: loc.clone(),
                label: String::new(),
                related: Vec::new(),
                help: None,
                resource: String::new(),
                discriminator: String::new(),
            }),
            out: self.findings,
        }
    }
}

/// Builds one finding; it is recorded when the builder is dropped.
pub struct FindingBuilder<'s> {
    finding: Option<Finding>,
    out: &'s mut Vec<Finding>,
}

impl FindingBuilder<'_> {
    fn with(mut self, f: impl FnOnce(&mut Finding)) -> Self {
        if let Some(finding) = self.finding.as_mut() {
            f(finding);
        }
        self
    }

    pub fn label(self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.with(|f| f.label = text)
    }

    pub fn related(self, loc: &Loc, message: impl Into<String>) -> Self {
        let message = message.into();
        if loc.is_none() {
            return self;
        }
        let loc = loc.clone();
        self.with(|f| f.related.push(Related { loc, message }))
    }

    pub fn help(self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.with(|f| f.help = Some(text))
    }

    pub fn resource(self, address: impl Into<String>) -> Self {
        let address = address.into();
        self.with(|f| f.resource = address)
    }

    pub fn discriminator(self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.with(|f| f.discriminator = text)
    }

    pub fn severity(self, severity: Severity) -> Self {
        self.with(|f| f.severity = severity)
    }
}

impl Drop for FindingBuilder<'_> {
    fn drop(&mut self) {
        if let Some(f) = self.finding.take() {
            self.out.push(f);
        }
    }
}
