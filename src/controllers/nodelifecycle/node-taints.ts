import type { Node, Taint } from 'kubernetes-types/core/v1.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** The NoSchedule taint each node condition status stands for (upstream's nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
/** Every taint key the taint-nodes-by-condition pass owns. */
const MANAGED_NO_SCHEDULE = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_UNSCHEDULABLE]);

/**
 * doNoScheduleTaintingPass: the node's taints with the NoSchedule taints its conditions (and spec.unschedulable) call
 * for, and without those they no longer call for; undefined when nothing changes. Other taints are kept in order.
 */
export function noScheduleTaints(node: Node): Taint[] | undefined {
  const wanted = new Set<string>();
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) wanted.add(key);
  }
  if (node.spec?.unschedulable) wanted.add(TAINT_UNSCHEDULABLE);
  const taints = node.spec?.taints ?? [];
  const kept = taints.filter((t) => !(t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key) && !wanted.has(t.key)));
  const have = new Set(taints.filter((t) => t.effect === 'NoSchedule').map((t) => t.key));
  const added: Taint[] = [...wanted].filter((k) => !have.has(k)).map((key) => ({ key, effect: 'NoSchedule' }));
  if (added.length === 0 && kept.length === taints.length) return undefined;
  return [...kept, ...added];
}

/** The NoExecute taint a Ready status calls for: not-ready for False, unreachable for Unknown, none for True. */
export function noExecuteTaintKey(readyStatus: string | undefined): string | undefined {
  if (readyStatus === 'False') return TAINT_NOT_READY;
  if (readyStatus === 'Unknown') return TAINT_UNREACHABLE;
  return undefined;
}

/**
 * The node's taints with `key`:NoExecute (timeAdded now) instead of the other node-controller NoExecute taint
 * (SwapNodeControllerTaint), or without both when key is undefined (markNodeAsReachable); undefined when unchanged.
 */
export function withNoExecuteTaint(node: Node, key: string | undefined, now: string): Taint[] | undefined {
  const taints = node.spec?.taints ?? [];
  const isOurs = (t: Taint) => t.effect === 'NoExecute' && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE);
  const kept = taints.filter((t) => !isOurs(t) || t.key === key);
  const has = key !== undefined && kept.some((t) => t.key === key && t.effect === 'NoExecute');
  if (has && kept.length === taints.length) return undefined;
  if (key === undefined) return kept.length === taints.length ? undefined : kept;
  return has ? kept : [...kept, { key, effect: 'NoExecute', timeAdded: now }];
}

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

/**
 * ComputeZoneState: a zone with no Ready node (and some not ready) is FullDisruption; with more than two not ready
 * making at least the unhealthy threshold (0.55) of it, PartialDisruption; else Normal.
 */
export function computeZoneState(readyStatuses: readonly (string | undefined)[], unhealthyZoneThreshold: number): { state: ZoneState; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const s of readyStatuses) {
    if (s === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { state: 'FullDisruption', notReady };
  if (notReady > 2 && notReady / (ready + notReady) >= unhealthyZoneThreshold) return { state: 'PartialDisruption', notReady };
  return { state: 'Normal', notReady };
}

/** upstream's GetZoneKey: region and zone from the topology labels ('' when the node has neither). */
export function zoneKey(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
}
