//! G. Cross-account destination bucket policy.
