//! The format-neutral model: what loaders emit and what the graph and rules read.
//!
//! Loaders put every resource they understand here as it is written: a bucket's settings may come
//! from the bucket itself or from separate resources (`aws_s3_bucket_versioning`, ...), which name
//! their bucket by a [`Value`] that the graph joins. Nothing here knows HCL, JSON or YAML.

pub mod arn;
pub mod change;
pub mod value;

use crate::source::{FileId, Loc};
use crate::syntax::{Node, Reference, Why};
pub use change::ChangeActions;
pub use value::Value;

/// Where a model item was declared.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    /// Terraform address (`module.x.aws_s3_bucket.src["a"]`) or CloudFormation logical id.
    pub address: String,
    pub file: FileId,
    /// The declaration header (resource block, logical id key): "missing X" findings point here.
    pub header: Loc,
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Plan,
    Terraform,
    CloudFormation,
    Policy,
}

impl Format {
    pub fn is_terraform(self) -> bool {
        matches!(self, Format::Plan | Format::Terraform)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Versioning {
    Enabled,
    Suspended,
    /// Never enabled (Terraform `Disabled`, or no versioning configured at all).
    Disabled,
}

#[derive(Clone, Debug, Default)]
pub struct Sse {
    /// `AES256`, `aws:kms`, `aws:kms:dsse`.
    pub algorithm: Value<String>,
    pub kms_key: Value<String>,
    pub bucket_key: Value<bool>,
    pub blocked_encryption_types: Value<Vec<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct PublicAccessBlock {
    pub block_public_acls: Value<bool>,
    pub ignore_public_acls: Value<bool>,
    pub block_public_policy: Value<bool>,
    pub restrict_public_buckets: Value<bool>,
}

/// A policy document as the input holds it. Parsing into an IAM policy happens once, in the graph.
#[derive(Clone, Debug)]
pub struct PolicyDoc {
    /// The attribute or property holding the document.
    pub loc: Loc,
    pub content: PolicyContent,
}

#[derive(Clone, Debug)]
pub enum PolicyContent {
    /// Policy JSON held in a string of the input; parsed once by the graph. `origin` maps offsets
    /// of `text` back to the bytes of the input file.
    Json {
        text: std::sync::Arc<str>,
        origin: std::sync::Arc<crate::source::StringOrigin>,
    },
    /// A parsed document (from an object, a JSON string, `jsonencode`, a policy-document data source).
    Parsed(Node),
    /// A JSON string that does not parse: the message and the offending position.
    Invalid {
        message: String,
        loc: Loc,
    },
    /// A reference to a document defined elsewhere (`data.aws_iam_policy_document.x.json`).
    Ref(Reference),
    Unknown(Why),
}

impl PolicyDoc {
    pub fn parsed(node: Node, loc: Loc) -> PolicyDoc {
        PolicyDoc {
            loc,
            content: PolicyContent::Parsed(node),
        }
    }
    pub fn unknown(why: impl Into<Box<str>>, loc: Loc) -> PolicyDoc {
        PolicyDoc {
            loc,
            content: PolicyContent::Unknown(Why::new(why)),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Bucket {
    pub origin: Origin,
    pub name: Value<String>,
    /// Known when the input states it; otherwise derived from the name by the graph.
    pub arn: Value<String>,
    pub account: Value<String>,
    pub region: Value<String>,
    /// Settings written inline on the bucket resource (legacy Terraform blocks, CloudFormation).
    pub settings: BucketSettings,
}

/// Bucket settings; each may be written on the bucket or on a separate resource.
#[derive(Clone, Debug, Default)]
pub struct BucketSettings {
    pub versioning: Value<Versioning>,
    pub object_lock: Value<bool>,
    /// `BucketOwnerEnforced`, `BucketOwnerPreferred`, `ObjectWriter`.
    pub ownership: Value<String>,
    pub sse: Option<Sse>,
    pub policy: Option<PolicyDoc>,
    pub public_access_block: Option<PublicAccessBlock>,
    /// `BucketOwner` or `Requester`.
    pub request_payer: Value<String>,
    /// Plans only: what the plan does to the resource holding these settings.
    pub change: Option<ChangeActions>,
    /// Plans only: the versioning status before the plan, when this resource sets versioning.
    pub versioning_before: Value<Versioning>,
    pub lifecycle: Option<Lifecycle>,
    /// The mode (`GOVERNANCE`, `COMPLIANCE`) of the Object Lock default retention, located at
    /// the default retention block.
    pub object_lock_default_retention: Value<String>,
    /// The legacy `x-amz-bucket-object-lock-token` of an Object Lock configuration.
    pub object_lock_token: Value<String>,
}

/// A bucket's lifecycle configuration: what batch and archive rules need to know.
#[derive(Clone, Debug, Default)]
pub struct Lifecycle {
    pub loc: Loc,
    pub rules: Vec<LifecycleRule>,
}

#[derive(Clone, Debug, Default)]
pub struct LifecycleRule {
    pub loc: Loc,
    pub id: Value<String>,
    /// `Enabled` or `Disabled`.
    pub status: Value<String>,
    /// The prefix the rule applies to (filter, `And` or rule-level prefix); absent for all keys.
    pub prefix: Value<String>,
    /// Target storage classes of current-version transitions.
    pub transitions: Vec<Value<String>>,
    /// Target storage classes of noncurrent-version transitions.
    pub noncurrent_transitions: Vec<Value<String>>,
    /// Where current versions expire (adds delete markers in a versioned bucket).
    pub expiration: Option<Loc>,
    pub expired_object_delete_marker: Value<bool>,
    /// Where noncurrent versions are permanently deleted.
    pub noncurrent_expiration: Option<Loc>,
}

/// The account-level S3 Block Public Access settings (`aws_s3_account_public_access_block`;
/// CloudFormation has no such resource). They apply to every bucket of the account, OR-ed with
/// the bucket's own settings.
#[derive(Clone, Debug)]
pub struct AccountPublicAccessBlock {
    pub origin: Origin,
    /// `account_id` when written, else the provider's account.
    pub account: Value<String>,
    pub settings: PublicAccessBlock,
}

/// Whether an account has an opt-in region enabled (`aws_account_region`; CloudFormation has no
/// such resource).
#[derive(Clone, Debug)]
pub struct AccountRegion {
    pub origin: Origin,
    /// `account_id` when written, else the provider's account.
    pub account: Value<String>,
    pub region: Value<String>,
    pub enabled: Value<bool>,
}

/// A separate resource that configures a bucket named by `bucket` (name or reference).
#[derive(Clone, Debug)]
pub struct BucketSettingsResource {
    pub origin: Origin,
    pub bucket: Value<String>,
    pub expected_owner: Value<String>,
    pub settings: BucketSettings,
}

#[derive(Clone, Debug)]
pub struct Replication {
    pub origin: Origin,
    /// The source bucket: its name, or a reference to the bucket resource.
    pub source: Value<String>,
    pub role: Value<String>,
    pub token: Value<String>,
    pub rules: Vec<ReplicationRule>,
    /// Terraform resources this one depends on explicitly or by reference (for ordering rules).
    pub depends_on: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct ReplicationRule {
    pub loc: Loc,
    pub id: Value<String>,
    pub status: Value<String>,
    /// As written in the configuration (the plan shows 0 for an omitted Terraform priority).
    pub priority: Value<i64>,
    /// The rule-level prefix of the V1 schema.
    pub prefix: Value<String>,
    pub filter: Option<Filter>,
    pub delete_marker_replication: Value<String>,
    pub source_selection: Option<SourceSelection>,
    pub existing_object_replication: Value<String>,
    pub destination: Destination,
    /// What the deploying tool fills in before S3 sees the rule.
    pub deploy_defaults: DeployDefaults,
    /// Where the value of the prefix (filter or rule-level) was written, when that is outside
    /// the rule: a variable default, a local, a module argument.
    pub prefix_origin: Option<Loc>,
}

/// What the tool that deploys a replication rule adds to it before S3 sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeployDefaults {
    /// Sent as written (CloudFormation, the S3 API).
    #[default]
    AsWritten,
    /// Terraform `aws_s3_bucket_replication_configuration`: an omitted `priority` of a rule with
    /// a filter is sent as 0; everything else as written.
    PriorityZero,
    /// Terraform's legacy inline `replication_configuration`: the provider builds the filter (an
    /// `And` when needed), sends priority 0 and DeleteMarkerReplication `Disabled` when omitted on
    /// a rule with a filter, and drops delete marker replication from a rule without one.
    LegacyProvider,
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub loc: Loc,
    pub prefix: Value<String>,
    pub tags: Vec<Tag>,
    /// How many of `Prefix`, `Tag`, `And` are set at the top level of the filter.
    pub top_level_children: usize,
    /// Whether the filter used the `And` operator.
    pub and: Option<Loc>,
}

#[derive(Clone, Debug)]
pub struct Tag {
    pub key: Value<String>,
    pub value: Value<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug, Default)]
pub struct SourceSelection {
    pub loc: Loc,
    pub sse_kms: Value<String>,
    pub replica_modifications: Value<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Destination {
    pub loc: Loc,
    /// The destination bucket ARN as written.
    pub bucket: Value<String>,
    pub account: Value<String>,
    /// `AccessControlTranslation.Owner`.
    pub owner_override: Value<String>,
    pub storage_class: Value<String>,
    pub replica_kms_key: Value<String>,
    pub metrics: Option<Toggle>,
    pub replication_time: Option<Toggle>,
}

/// A `{status, minutes}` block (metrics, replication time).
#[derive(Clone, Debug, Default)]
pub struct Toggle {
    pub loc: Loc,
    pub status: Value<String>,
    pub minutes: Value<i64>,
}

#[derive(Clone, Debug)]
pub struct Role {
    pub origin: Origin,
    pub name: Value<String>,
    pub path: Value<String>,
    pub arn: Value<String>,
    pub account: Value<String>,
    pub trust: Option<PolicyDoc>,
    pub inline_policies: Vec<PolicyDoc>,
    /// Managed policy ARNs attached on the role itself.
    pub managed_policy_arns: Vec<Value<String>>,
    /// The permissions boundary policy ARN.
    pub boundary: Value<String>,
    /// Where a Terraform plan says it deletes and recreates the role (its change `actions`).
    /// Sources and templates do not say what a deploy changes: always `None` there.
    pub replaced: Option<Loc>,
    /// Resources the role's inline policies reference, as written (CloudFormation `Ref`,
    /// `Fn::GetAtt`, `Fn::Sub`), with where: the dependencies a deploy orders by. Empty where the
    /// format resolves the order itself.
    pub policy_references: Vec<(String, Loc)>,
}

/// A customer managed policy.
#[derive(Clone, Debug)]
pub struct ManagedPolicy {
    pub origin: Origin,
    pub name: Value<String>,
    pub arn: Value<String>,
    pub document: PolicyDoc,
    /// Roles this policy names directly (CloudFormation `Roles`), by name or reference.
    pub roles: Vec<Value<String>>,
}

/// Attaches a policy to a role from outside the role (`aws_iam_role_policy`,
/// `aws_iam_role_policy_attachment`, `AWS::IAM::Policy`, ...).
#[derive(Clone, Debug)]
pub struct RolePolicyAttachment {
    pub origin: Origin,
    /// The role, by name or reference.
    pub roles: Vec<Value<String>>,
    pub policy: AttachedPolicy,
}

#[derive(Clone, Debug)]
pub enum AttachedPolicy {
    Inline(PolicyDoc),
    Managed(Value<String>),
}

#[derive(Clone, Debug)]
pub struct Key {
    pub origin: Origin,
    pub arn: Value<String>,
    pub key_id: Value<String>,
    pub account: Value<String>,
    pub region: Value<String>,
    /// `None` means the AWS default key policy (root "Enable IAM policies").
    pub policy: Option<PolicyDoc>,
    pub enabled: Value<bool>,
    pub key_spec: Value<String>,
    pub key_usage: Value<String>,
    pub multi_region: Value<bool>,
    /// For a replica key: its primary key's ARN.
    pub primary: Value<String>,
}

/// A separate key policy resource (`aws_kms_key_policy`).
#[derive(Clone, Debug)]
pub struct KeyPolicyResource {
    pub origin: Origin,
    pub key: Value<String>,
    pub policy: PolicyDoc,
}

#[derive(Clone, Debug)]
pub struct KeyAlias {
    pub origin: Origin,
    /// `alias/name`.
    pub name: Value<String>,
    pub target: Value<String>,
    pub account: Value<String>,
    pub region: Value<String>,
}

#[derive(Clone, Debug)]
pub struct OrgPolicy {
    pub origin: Origin,
    pub id: Value<String>,
    /// `SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY`.
    pub kind: Value<String>,
    pub document: PolicyDoc,
    /// Targets (account ids, OU ids, root ids) named on the policy itself.
    pub targets: Vec<Value<String>>,
}

#[derive(Clone, Debug)]
pub struct OrgPolicyAttachment {
    pub origin: Origin,
    pub policy: Value<String>,
    pub target: Value<String>,
}

/// A policy document defined once and referenced by others
/// (`data.aws_iam_policy_document.x` → `.json`).
#[derive(Clone, Debug)]
pub struct NamedDocument {
    pub origin: Origin,
    pub document: PolicyDoc,
}

/// A bare policy document given on the command line.
#[derive(Clone, Debug)]
pub struct StandalonePolicy {
    pub origin: Origin,
    pub document: PolicyDoc,
    /// Recognized by shape: identity, trust, bucket or key policy.
    pub kind: crate::model::DocKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    Identity,
    Trust,
    Bucket,
    Key,
}

/// What a resource holding a bucket or key policy is ordered after: Terraform `depends_on` and
/// references, CloudFormation `DependsOn`. Recorded only where the loader can tell; a resource
/// without an entry has unknown ordering.
#[derive(Clone, Debug)]
pub struct Ordering {
    /// The resource (Terraform address, qualified CloudFormation logical id).
    pub address: String,
    /// Addresses it waits for.
    pub depends_on: Vec<String>,
}

/// An input error: a file or part of a file that could not be read.
#[derive(Clone, Debug)]
pub struct InputError {
    pub loc: Loc,
    pub file: FileId,
    pub message: String,
    /// Warnings (an unknown YAML tag) do not fail the run.
    pub warning: bool,
}

#[derive(Default, Debug)]
pub struct Model {
    pub buckets: Vec<Bucket>,
    pub bucket_settings: Vec<BucketSettingsResource>,
    pub account_public_access_blocks: Vec<AccountPublicAccessBlock>,
    pub account_regions: Vec<AccountRegion>,
    pub replications: Vec<Replication>,
    pub roles: Vec<Role>,
    pub managed_policies: Vec<ManagedPolicy>,
    pub role_policy_attachments: Vec<RolePolicyAttachment>,
    pub keys: Vec<Key>,
    pub key_policies: Vec<KeyPolicyResource>,
    pub aliases: Vec<KeyAlias>,
    pub org_policies: Vec<OrgPolicy>,
    pub org_policy_attachments: Vec<OrgPolicyAttachment>,
    pub documents: Vec<NamedDocument>,
    pub standalone_policies: Vec<StandalonePolicy>,
    pub orderings: Vec<Ordering>,
    pub input_errors: Vec<InputError>,
    /// Notes for the user that are not findings (a module that needs `terraform init`, ...).
    pub notes: Vec<InputError>,
}

impl Model {
    /// Appends everything of `other` (one model per input file, merged in input order).
    pub fn merge(&mut self, other: Model) {
        let Model {
            buckets,
            bucket_settings,
            account_public_access_blocks,
            account_regions,
            replications,
            roles,
            managed_policies,
            role_policy_attachments,
            keys,
            key_policies,
            aliases,
            org_policies,
            org_policy_attachments,
            documents,
            standalone_policies,
            orderings,
            input_errors,
            notes,
        } = other;
        self.buckets.extend(buckets);
        self.bucket_settings.extend(bucket_settings);
        self.account_public_access_blocks
            .extend(account_public_access_blocks);
        self.account_regions.extend(account_regions);
        self.replications.extend(replications);
        self.roles.extend(roles);
        self.managed_policies.extend(managed_policies);
        self.role_policy_attachments.extend(role_policy_attachments);
        self.keys.extend(keys);
        self.key_policies.extend(key_policies);
        self.aliases.extend(aliases);
        self.org_policies.extend(org_policies);
        self.org_policy_attachments.extend(org_policy_attachments);
        self.documents.extend(documents);
        self.standalone_policies.extend(standalone_policies);
        self.orderings.extend(orderings);
        self.input_errors.extend(input_errors);
        self.notes.extend(notes);
    }
}
