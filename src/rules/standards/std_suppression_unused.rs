use crate::rules::prelude::*;

declare_rule! {
    /// A suppression suppresses nothing.
    ///
    /// ## What goes wrong
    /// The rule it names reports nothing on this resource any more (or the id is misspelled), so
    /// the suppression would silently hide a future, unrelated failure.
    ///
    /// ## How to fix
    /// Remove the suppression, or correct the rule id.
    ///
    /// ## Sources
    /// repl-lint suppressions.
    pub StdSuppressionUnused { id: "std-suppression-unused", code: "S8", group: "standards", severity: Warning }
}

impl Rule for StdSuppressionUnused {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the engine when it applies suppressions: rules never see them.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
