/**
 * One step of a rolling update (upstream's rolling.go): grow the new ReplicaSet within replicas + maxSurge, or shrink
 * old ones without going below replicas − maxUnavailable available Pods.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { desiredReplicas, maxUnavailable } from './fenceposts.js';
import type { ReplicaSetScaler } from './replica-set-scaler.js';
import { availableFloor, byCreationTimestamp, newRSNewReplicas, replicaCount, specReplicas } from './replica-sets.js';

/** reconcileNewReplicaSet: true when the new ReplicaSet was resized. `ceiling` counts a ReplicaSet's possible Pods. */
export async function reconcileNewReplicaSet(scaler: ReplicaSetScaler, all: (ReplicaSet | undefined)[], newRS: ReplicaSet, d: Deployment, ceiling: (rs: ReplicaSet) => number): Promise<boolean> {
  const want = desiredReplicas(d);
  if (specReplicas(newRS) === want) return false;
  if (specReplicas(newRS) > want) return (await scaler.scaleAndRecordEvent(newRS, want, d))[0];
  return (await scaler.scaleAndRecordEvent(newRS, newRSNewReplicas(d, all, newRS, ceiling), d))[0];
}

/**
 * reconcileOldReplicaSets: true when an old ReplicaSet was shrunk. At most replicas + surge − minAvailable − the new
 * ReplicaSet's unavailable Pods go: first old Pods that are not available, then available ones above the minimum.
 * A failed write ends the step without an error (the next sync tries again), as upstream.
 */
export async function reconcileOldReplicaSets(scaler: ReplicaSetScaler, all: (ReplicaSet | undefined)[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - availableFloor(newRS);
  const maxScaledDown = replicaCount(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  let cleaned: [ReplicaSet[], number];
  try {
    cleaned = await cleanupUnhealthyReplicas(scaler, oldRSs, d, maxScaledDown);
  } catch {
    return false;
  }
  let scaledDown: number;
  try {
    scaledDown = await scaleDownOldReplicaSets(scaler, [...cleaned[0], newRS], cleaned[0], d);
  } catch {
    return false;
  }
  return cleaned[1] + scaledDown > 0;
}

/** cleanupUnhealthyReplicas: scales old ReplicaSets down by their unavailable replicas, oldest first. */
async function cleanupUnhealthyReplicas(scaler: ReplicaSetScaler, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<[ReplicaSet[], number]> {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  for (const [i, rs] of sorted.entries()) {
    if (total >= maxCleanup) break;
    const replicas = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCleanup - total, replicas - available);
    if (count <= 0) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata?.namespace ?? ''}/${rs.metadata?.name ?? ''} ${replicas} -> ${replicas - count}`);
    const [, updated] = await scaler.scaleAndRecordEvent(rs, replicas - count, d);
    total += count;
    sorted[i] = updated;
  }
  return [sorted, total];
}

/** scaleDownOldReplicaSetsForRollingUpdate: scales old ReplicaSets down by what is available beyond the minimum. */
async function scaleDownOldReplicaSets(scaler: ReplicaSetScaler, all: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const available = all.reduce((n, rs) => n + availableFloor(rs), 0);
  if (available <= minAvailable) return 0;
  const totalToScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= totalToScaleDown) break;
    if (specReplicas(rs) === 0) continue;
    const count = Math.min(specReplicas(rs), totalToScaleDown - total);
    await scaler.scaleAndRecordEvent(rs, specReplicas(rs) - count, d);
    total += count;
  }
  return total;
}
