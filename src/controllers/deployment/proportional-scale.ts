/** Resizing a Deployment's ReplicaSets when its replicas change (upstream's DeploymentController.scale). */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { desiredReplicas, isRollingUpdate, maxSurge } from './fenceposts.js';
import type { ReplicaSetScaler } from './replica-set-scaler.js';
import { bySizeNewer, bySizeOlder, filterActive, findActiveOrLatest, isSaturated, proportion, replicaCount, specReplicas } from './replica-sets.js';

/**
 * The only active (or else the newest) ReplicaSet takes the whole count; a saturated new one leaves the old ones at 0;
 * during a rolling update the difference to replicas + maxSurge is spread over the active ReplicaSets in proportion to
 * their sizes (largest first; newer first when growing, older first when shrinking), the leftover to the first.
 */
export async function scaleDeployment(scaler: ReplicaSetScaler, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const want = desiredReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (specReplicas(activeOrLatest) !== want) await scaler.scaleAndRecordEvent(activeOrLatest, want, d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) await scaler.scaleAndRecordEvent(old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = filterActive([...oldRSs, newRS]);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(all);
  let operation = '';
  if (toAdd > 0) {
    all.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<ReplicaSet, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = proportion(rs, d, toAdd, added);
      sizes.set(rs, specReplicas(rs) + p);
      added += p;
    } else sizes.set(rs, specReplicas(rs));
  }
  for (const [i, rs] of all.entries()) {
    if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, (sizes.get(rs) ?? 0) + toAdd - added));
    await scaler.scale(rs, sizes.get(rs) ?? 0, d, operation);
  }
}
