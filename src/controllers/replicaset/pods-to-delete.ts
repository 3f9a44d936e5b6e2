/**
 * Which pods a ReplicaSet deletes when it has too many: upstream's ActivePodsWithRanks ordering
 * (pkg/controller/controller_utils.go) with PodDeletionCost and LogarithmicScaleDown on, as in v1.32,
 * and the active-pod filter the controller applies first.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady, timestampMs } from './replicaset-status.js';

/** The annotation whose int32 value makes a pod cheaper (lower) or dearer (higher) to delete. */
export const PodDeletionCost = 'controller.kubernetes.io/pod-deletion-cost';

/** True when the pod has not finished (phase not Succeeded or Failed) and is not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
  return phase !== 'Succeeded' && phase !== 'Failed' && !deleting;
}

/** The active pods of `pods`, in their order. */
export function filterActivePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The pod-deletion-cost of a pod's annotations: its value when it is a decimal int32 written
 * without a '+' sign or leading zeros (a '-' sign is allowed), otherwise 0, as upstream's
 * GetDeletionCostFromPodAnnotations.
 */
export function deletionCost(annotations: Readonly<Record<string, string>> | undefined): number {
  const value = annotations?.[PodDeletionCost];
  if (value === undefined) return 0;
  const first = value[0];
  const validFirst = first === '-' || value === '0' || (first !== undefined && first >= '1' && first <= '9');
  if (!validFirst || !/^-?[0-9]+$/.test(value)) return 0;
  const n = Number(value);
  if (n < INT32_MIN || n > INT32_MAX) return 0;
  return n === 0 ? 0 : n; // not -0
}

const phaseOrdinal: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

function phaseRank(pod: Pod): number {
  const phase = pod.status?.phase ?? '';
  return Object.hasOwn(phaseOrdinal, phase) ? (phaseOrdinal[phase] ?? 0) : 0;
}

/** Restart counts: the highest of the regular containers, then of the sidecars (restartable init containers). */
function maxContainerRestarts(pod: Pod): { regular: number; sidecar: number } {
  let regular = 0;
  for (const c of pod.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let sidecar = 0;
  for (const c of pod.status?.initContainerStatuses ?? []) {
    if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  }
  return { regular, sidecar };
}

function readyTime(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  return timestampMs(ready?.lastTransitionTime);
}

/** t1 is after t2, a zero (undefined) time counting as after any other. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** floor(log2(age in ns)) of each time relative to now (ms), -1 for a time not in the past; the difference. */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const ns = (now - t) * 1e6;
    return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** Orders two times newest first in logarithmic buckets; within one bucket by UID. Times differ. */
function newerFirst(t1: number | undefined, t2: number | undefined, a: Pod, b: Pod, now: number): boolean {
  if (t1 === undefined || t2 === undefined) return afterOrZero(t1, t2);
  const diff = logarithmicRankDiff(t1, t2, now);
  if (diff === 0) return (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '');
  return diff < 0;
}

/** A pod with its rank: the number of active related pods on the same node. */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

/**
 * Whether `a` is deleted before `b` (upstream's ActivePodsWithRanks.Less), `now` in ms:
 * 1. unassigned before assigned; 2. Pending, then Unknown, then Running (other phases as Pending);
 * 3. not ready before ready; 4. lower pod-deletion-cost first; 5. higher rank first;
 * 6. when both are ready, ready for less time first, compared in log2 buckets of the time since
 *    (a missing time first), ties within a bucket broken by lower UID;
 * 7. more regular-container restarts first, then more sidecar restarts;
 * 8. newer creationTimestamp first, in log2 buckets with the same UID tie-break (missing first).
 * False when none of these tells them apart.
 */
export function deletesBefore(a: RankedPod, b: RankedPod, now: number): boolean {
  const pi = a.pod;
  const pj = b.pod;
  const nodeI = pi.spec?.nodeName ?? '';
  const nodeJ = pj.spec?.nodeName ?? '';
  if (nodeI !== nodeJ && (nodeI === '' || nodeJ === '')) return nodeI === '';
  if (phaseRank(pi) !== phaseRank(pj)) return phaseRank(pi) < phaseRank(pj);
  const readyI = isPodReady(pi);
  const readyJ = isPodReady(pj);
  if (readyI !== readyJ) return !readyI;
  const costI = deletionCost(pi.metadata?.annotations);
  const costJ = deletionCost(pj.metadata?.annotations);
  if (costI !== costJ) return costI < costJ;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (readyI && readyJ) {
    const t1 = readyTime(pi);
    const t2 = readyTime(pj);
    if (t1 !== t2) return newerFirst(t1, t2, pi, pj, now);
  }
  const restartsI = maxContainerRestarts(pi);
  const restartsJ = maxContainerRestarts(pj);
  if (restartsI.regular !== restartsJ.regular) return restartsI.regular > restartsJ.regular;
  if (restartsI.sidecar !== restartsJ.sidecar) return restartsI.sidecar > restartsJ.sidecar;
  const c1 = timestampMs(pi.metadata?.creationTimestamp);
  const c2 = timestampMs(pj.metadata?.creationTimestamp);
  if (c1 !== c2) return newerFirst(c1, c2, pi, pj, now);
  return false;
}

/**
 * Ranks each of `pods` by how many active pods of `relatedPods` (the pods of every ReplicaSet with
 * the same controller) run on its node; unassigned pods share the rank of the unassigned ones.
 */
export function rankPodsByRelatedPodsOnSameNode(pods: readonly Pod[], relatedPods: readonly Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const pod of relatedPods) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/**
 * The `diff` pods of `filteredPods` to delete (upstream getPodsToDelete): when fewer than all are to
 * go, the pods are ordered by deletesBefore with ranks from relatedPods and the first `diff` taken;
 * otherwise the first `diff` in the given order. `now` is ms. Does not modify its arguments; pods
 * that no rule tells apart keep their input order (upstream's sort is not stable).
 */
export function getPodsToDelete(filteredPods: readonly Pod[], relatedPods: readonly Pod[], diff: number, now: number): Pod[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, Math.max(diff, 0));
  const ranked = rankPodsByRelatedPodsOnSameNode(filteredPods, relatedPods);
  ranked.sort((a, b) => (deletesBefore(a, b, now) ? -1 : deletesBefore(b, a, now) ? 1 : 0));
  return ranked.slice(0, Math.max(diff, 0)).map((r) => r.pod);
}
