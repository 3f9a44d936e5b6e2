import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject, ResourceType } from '../../client/index.js';

/** Seconds the controller waits for finalizers on remaining content when nothing better is known (upstream's 15). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

/** A resource as upstream prints a GroupVersionResource: `apps/v1, Resource=replicasets`, `/v1, Resource=pods`. */
export function gvrString(r: Pick<ResourceType, 'group' | 'version' | 'resource'>): string {
  return `${r.group}/${r.version}, Resource=${r.resource}`;
}

/** A resource as the NamespaceContentRemaining condition names it: `resource.group` (`pods.` for the core group). */
export function groupResourceKey(r: Pick<ResourceType, 'group' | 'resource'>): string {
  return `${r.resource}.${r.group}`;
}

/**
 * estimateGracefulTerminationForPods: the longest terminationGracePeriodSeconds among Pods not yet Succeeded or
 * Failed, or 0 once that long has passed since the namespace's deletionTimestamp.
 */
export function podTerminationEstimate(pods: readonly Pod[], deletedAtMs: number, nowMs: number): number {
  let estimate = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const grace = pod.spec?.terminationGracePeriodSeconds;
    if (typeof grace === 'number' && grace > estimate) estimate = grace;
  }
  return nowMs - deletedAtMs >= estimate * 1000 ? 0 : estimate;
}

/** Instances by finalizer among what remains of a resource. */
export function finalizersOf(items: readonly KubeObject[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) for (const f of item.metadata?.finalizers ?? []) out.set(f, (out.get(f) ?? 0) + 1);
  return out;
}

/** How long the worker waits before looking at a namespace with remaining content again (upstream: estimate/2 + 1 s). */
export function requeueAfterMs(estimateSeconds: number): number {
  return (Math.floor(estimateSeconds / 2) + 1) * 1000;
}
