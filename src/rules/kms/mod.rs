//! K. Encryption and KMS.

mod kms_aws_managed_xacct;
mod kms_dst_encrypt;
mod kms_dst_generatedatakey;
mod kms_key_policy_no_path;
mod kms_opt_in_missing;
mod kms_replica_key_missing;
mod kms_src_decrypt;
mod kms_xacct_both_sides;

pub use kms_aws_managed_xacct::KmsAwsManagedXacct;
pub use kms_dst_encrypt::KmsDstEncrypt;
pub use kms_dst_generatedatakey::KmsDstGeneratedatakey;
pub use kms_key_policy_no_path::KmsKeyPolicyNoPath;
pub use kms_opt_in_missing::KmsOptInMissing;
pub use kms_replica_key_missing::KmsReplicaKeyMissing;
pub use kms_src_decrypt::KmsSrcDecrypt;
pub use kms_xacct_both_sides::KmsXacctBothSides;
