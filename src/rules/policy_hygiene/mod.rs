//! A. Policy-document hygiene.
