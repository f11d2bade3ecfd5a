//! P. Explicit denies and guardrails.
