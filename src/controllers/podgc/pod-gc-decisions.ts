import type { Node, Pod } from 'kubernetes-types/core/v1.js';

export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

/** A Pod that finished: its phase is neither Pending, Running nor Unknown. */
export function isPodTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

const isEvicted = (pod: Pod) => pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted';

/**
 * gcTerminated: the finished Pods beyond the threshold, evicted ones first, then oldest first (name breaking ties).
 * A threshold ≤ 0 turns this off.
 */
export function terminatedPodsToDelete(pods: readonly Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  const created = (p: Pod) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
  terminated.sort((a, b) => {
    if (isEvicted(a) !== isEvicted(b)) return isEvicted(a) ? -1 : 1;
    if (created(a) !== created(b)) return created(a) - created(b);
    return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
  });
  return terminated.slice(0, excess);
}

/** gcTerminating: terminating Pods on a node that is not Ready and carries the out-of-service taint. */
export function terminatingOutOfServicePods(pods: readonly Pod[], nodeByName: (name: string) => Node | undefined): Pod[] {
  return pods.filter((pod) => {
    if (!pod.metadata?.deletionTimestamp) return false;
    const node = nodeByName(pod.spec?.nodeName ?? '');
    if (!node) return false;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    return !ready && (node.spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE);
  });
}

/** gcUnscheduledTerminating: Pods being deleted that were never bound to a node. */
export function unscheduledTerminatingPods(pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => !!p.metadata?.deletionTimestamp && !p.spec?.nodeName);
}
