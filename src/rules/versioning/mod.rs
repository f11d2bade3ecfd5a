//! B. Versioning.

mod ver_dst_not_enabled;
mod ver_object_lock_implies_versioning;
mod ver_order_dependency;
mod ver_src_not_enabled;
mod ver_suspend_while_replicating;

pub use ver_dst_not_enabled::VerDstNotEnabled;
pub use ver_object_lock_implies_versioning::VerObjectLockImpliesVersioning;
pub use ver_order_dependency::VerOrderDependency;
pub use ver_src_not_enabled::VerSrcNotEnabled;
pub use ver_suspend_while_replicating::VerSuspendWhileReplicating;

use crate::graph::{BucketView, Graph};
use crate::model::{BucketSettings, Value, Versioning};

/// The settings (of the bucket or of a separate resource) that hold the bucket's versioning.
pub(crate) fn versioning_holder<'m>(g: &Graph<'m>, b: &BucketView<'m>) -> &'m BucketSettings {
    let origin = b.versioning.origin;
    b.settings_resources
        .iter()
        .map(|&i| &g.model.bucket_settings[i])
        .find(|s| std::ptr::eq(&s.origin, origin))
        .map_or(&b.bucket.settings, |s| &s.settings)
}

/// A plan that turns versioning from Enabled to Suspended or Disabled on this bucket
/// (`ver-suspend-while-replicating` reports it; the "not enabled" rules stay silent).
pub(crate) fn suspended_by_plan(g: &Graph<'_>, b: &BucketView<'_>) -> bool {
    let holder = versioning_holder(g, b);
    matches!(
        holder.versioning_before,
        Value::Known(Versioning::Enabled, _)
    ) && matches!(
        b.versioning.value,
        Value::Known(Versioning::Suspended | Versioning::Disabled, _)
    )
}

/// Versioning explicitly not Enabled on a bucket with Object Lock
/// (`ver-object-lock-implies-versioning` reports it as an error).
pub(crate) fn suspended_under_object_lock(b: &BucketView<'_>) -> bool {
    b.object_lock.value.is_true()
        && matches!(
            b.versioning.value,
            Value::Known(Versioning::Suspended | Versioning::Disabled, _)
        )
}

/// Buckets that replicate or receive replicas, once each: (bucket index, is a source).
pub(crate) fn replication_buckets(g: &Graph<'_>) -> Vec<(usize, bool)> {
    let mut out: Vec<(usize, bool)> = Vec::new();
    // Where each bucket sits in `out`: a search of `out` per configuration was quadratic.
    let mut position: foldhash::HashMap<usize, usize> = foldhash::HashMap::default();
    for view in &g.replications {
        if let Some(s) = view.source.found() {
            match position.get(&s).and_then(|&p| out.get_mut(p)) {
                Some(entry) => entry.1 = true,
                None => {
                    position.insert(s, out.len());
                    out.push((s, true));
                }
            }
        }
        for rv in &view.rules {
            if let Some(d) = rv.destination.found()
                && !position.contains_key(&d)
            {
                position.insert(d, out.len());
                out.push((d, false));
            }
        }
    }
    out
}
