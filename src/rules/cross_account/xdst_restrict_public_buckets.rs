use crate::graph::Graph;
use crate::iam::operators::OpBase;
use crate::iam::policy::Condition;
use crate::iam::{Effect, PrincipalType, Statement};
use crate::model::PublicAccessBlock;
use crate::rules::prelude::*;
use crate::source::Loc;

use super::{cross_account_destinations, principals};

declare_rule! {
    /// The cross-account destination bucket policy is public while RestrictPublicBuckets is on.
    ///
    /// ## What goes wrong
    /// With `RestrictPublicBuckets` (bucket or account level), a bucket whose policy is "public"
    /// accepts only requests from AWS service principals and the bucket owner's account: "all
    /// cross-account access is blocked", including the statement that grants the replication role
    /// of the source account. A policy is public when an Allow for `*` is not limited by a fixed
    /// value of a non-public condition key (`aws:SourceIp` no broader than /8, `aws:SourceArn`,
    /// `aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceOwner`, `aws:SourceAccount`,
    /// `s3:x-amz-server-side-encryption-aws-kms-key-id`, `aws:userid`, `s3:DataAccessPointArn`,
    /// `s3:DataAccessPointAccount`, `aws:PrincipalOrgID`). Replicas then fail with
    /// `DstPutObjectNotPermitted`.
    ///
    /// ## How to fix
    /// Make the policy non-public: replace the `*` principal with accounts or roles, or limit it
    /// with a fixed non-public condition.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_public_access_block" "dst" {
    ///   bucket                  = aws_s3_bucket.dst.id
    ///   restrict_public_buckets = true
    /// }
    /// # in the destination bucket policy:
    /// statement {
    ///   principals {
    ///     type        = "*"
    ///     identifiers = ["*"]
    ///   }
    ///   actions   = ["s3:GetObject"]
    ///   resources = ["${aws_s3_bucket.dst.arn}/*"]
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// statement {
    ///   principals {
    ///     type        = "AWS"
    ///     identifiers = ["arn:aws:iam::222222222222:root"]
    ///   }
    ///   actions   = ["s3:GetObject"]
    ///   resources = ["${aws_s3_bucket.dst.arn}/*"]
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     PublicAccessBlockConfiguration: {RestrictPublicBuckets: true}
    /// DstPolicy:
    ///   Type: AWS::S3::BucketPolicy
    ///   Properties:
    ///     Bucket: !Ref Dst
    ///     PolicyDocument:
    ///       Statement:
    ///         - {Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: !Sub "${Dst.Arn}/*"}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///       Statement:
    ///         - Effect: Allow
    ///           Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
    ///           Action: s3:GetObject
    ///           Resource: !Sub "${Dst.Arn}/*"
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Blocking public access to your Amazon S3 storage" (the meaning of
    /// "public", RestrictPublicBuckets).
    pub XdstRestrictPublicBuckets { id: "xdst-restrict-public-buckets", code: "G9", group: "cross-account", severity: Error }
}

/// Condition keys whose fixed values make a statement non-public (S3-BPA), lower case. The
/// principal keys are accepted too, so that a doubtful case is never reported as public.
const NON_PUBLIC_KEYS: &[&str] = &[
    "aws:sourceip",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "aws:userid",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
];

fn fixes_value(c: &Condition) -> bool {
    let key = c.key.text.to_ascii_lowercase();
    let Some(op) = &c.operator else { return false };
    if !NON_PUBLIC_KEYS.contains(&key.as_str()) || c.values.is_empty() {
        return false;
    }
    let wildcards = |c: &Condition| {
        c.values
            .iter()
            .any(|v| v.text.contains('*') || v.text.contains('?'))
    };
    match op.base {
        OpBase::StringEquals | OpBase::StringEqualsIgnoreCase | OpBase::ArnEquals => true,
        OpBase::StringLike | OpBase::ArnLike => !wildcards(c),
        OpBase::IpAddress => c.values.iter().all(|v| narrow_enough(&v.text)),
        _ => false,
    }
}

/// An IPv4 range no broader than /8 (IPv6 ranges are accepted unless /0).
fn narrow_enough(cidr: &str) -> bool {
    match cidr.split_once('/') {
        None => true,
        Some((addr, bits)) => match bits.parse::<u8>() {
            Ok(b) if addr.contains(':') => b > 0,
            Ok(b) => b >= 8,
            // Unknown until apply: not provably public.
            Err(_) => true,
        },
    }
}

fn is_public(st: &Statement) -> bool {
    st.effect == Some(Effect::Allow)
        && principals(st).iter().any(|p| {
            p.kind == PrincipalType::Wildcard
                || (p.kind == PrincipalType::Aws && p.value.text == "*")
        })
        && !st.conditions.iter().any(fixes_value)
}

/// RestrictPublicBuckets for a bucket: its own setting, else its account's.
fn restricts(g: &Graph<'_>, bucket: usize) -> (Value<bool>, Loc, String) {
    let b = &g.buckets[bucket];
    if let Some((pab, origin)) = b.public_access_block
        && pab.restrict_public_buckets.is_true()
    {
        return own(pab, &origin.address);
    }
    let account = b.account.concrete();
    for a in &g.model.account_public_access_blocks {
        let same = g.resolver.resolve_account(&a.account).concrete() == account;
        if account.is_some() && same && a.settings.restrict_public_buckets.is_true() {
            return own(&a.settings, &a.origin.address);
        }
    }
    match b.public_access_block {
        Some((pab, origin)) => own(pab, &origin.address),
        None => (Value::Absent(Loc::None), Loc::None, String::new()),
    }
}

fn own(pab: &PublicAccessBlock, address: &str) -> (Value<bool>, Loc, String) {
    (
        pab.restrict_public_buckets.clone(),
        pab.restrict_public_buckets.loc().clone(),
        address.to_string(),
    )
}

impl Rule for XdstRestrictPublicBuckets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for d in cross_account_destinations(g, |_| {}) {
            if !seen.insert(d.bucket) {
                continue;
            }
            let Some(id) = d.policy else { continue };
            let Some(policy) = g.policy(id) else { continue };
            let Some(public) = policy.statements.iter().find(|st| is_public(st)) else {
                continue;
            };
            let name = g.bucket_text(&g.buckets[d.bucket]);
            let (restrict, at, setting_address) = restricts(g, d.bucket);
            match restrict {
                Value::Known(true, _) => {
                    sink.report(
                        &public.loc,
                        format!(
                            "the bucket policy of `{name}` is public and RestrictPublicBuckets is on: S3 blocks all cross-account access to the bucket, including the replication role's grant"
                        ),
                    )
                    .label("public statement")
                    .related(&at, "RestrictPublicBuckets enabled here")
                    .help("replace the \"*\" principal with accounts or roles, or limit it with a fixed aws:SourceAccount / aws:SourceArn / aws:PrincipalOrgID condition")
                    .resource(g.doc(id).address.as_str());
                }
                Value::Unknown(..) | Value::Ref(..) | Value::Template(..) => {
                    sink.cannot_verify(
                        &public.loc,
                        format!(
                            "whether RestrictPublicBuckets is on for `{name}`, whose bucket policy is public (it would block the replication role of the other account)"
                        ),
                        "write restrict_public_buckets / RestrictPublicBuckets as a literal, or pass the sources that set it",
                    )
                    .related(&at, "set here")
                    .resource(setting_address);
                }
                _ => {}
            }
        }
    }
}
