import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';

/** What the controller remembers of a node between passes (upstream's nodeHealthData). */
export interface NodeHealth {
  /** When we last heard from the kubelet (a new Ready heartbeat or a renewed Lease), on our clock (ms). */
  readonly probeTimestamp: number;
  readonly readyTransitionTimestamp: number;
  /** The Ready condition as last seen (undefined: the node had none). */
  readonly ready?: NodeCondition;
  readonly leaseRenewTime?: string;
}

export interface HealthOutcome {
  readonly health: NodeHealth;
  /** The Ready condition as the node reported it before this pass (a made-up Unknown one when it has none). */
  readonly observedReady: NodeCondition;
  /** The Ready condition after this pass (undefined: the node has none). */
  readonly currentReady: NodeCondition | undefined;
  /** The node with its conditions set to Unknown, when that changed anything: to be written through `nodes/status`. */
  readonly statusUpdate?: Node;
}

/** The conditions set to Unknown when the kubelet stops posting (NetworkUnavailable belongs to the control plane). */
export const CONDITIONS_SET_UNKNOWN = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export const readyCondition = (node: Node): NodeCondition | undefined => node.status?.conditions?.find((c) => c.type === 'Ready');

const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const parseTime = (t: string | undefined) => (t ? Date.parse(t) : Number.NaN);

/**
 * upstream's tryUpdateNodeHealth: decides from the node's Ready heartbeat and its Lease whether the kubelet is still
 * posting. A node not heard from for the grace period (the startup grace period while it never posted Ready) gets
 * Ready, MemoryPressure, DiskPressure and PIDPressure Unknown: reason NodeStatusUnknown "Kubelet stopped posting node
 * status." (lastHeartbeatTime kept, lastTransitionTime now), or NodeStatusNeverUpdated "Kubelet never posted node
 * status." for a condition it never had.
 */
export function tryUpdateNodeHealth(
  node: Node,
  saved: NodeHealth | undefined,
  lease: Lease | undefined,
  nowMs: number,
  graces: { readonly gracePeriodMs: number; readonly startupGracePeriodMs: number },
): HealthOutcome {
  const created = parseTime(node.metadata?.creationTimestamp);
  const createdMs = Number.isNaN(created) ? nowMs : created;
  const current = readyCondition(node);
  const observedReady: NodeCondition = current
    ? { ...current }
    : { type: 'Ready', status: 'Unknown', lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: node.metadata?.creationTimestamp };
  const gracePeriod = current ? graces.gracePeriodMs : graces.startupGracePeriodMs;

  let health: NodeHealth;
  if (!saved) {
    health = { probeTimestamp: createdMs, readyTransitionTimestamp: createdMs, ready: current };
  } else if (!saved.ready !== !current || (saved.ready && current && saved.ready.lastHeartbeatTime !== current.lastHeartbeatTime)) {
    const transitioned = !saved.ready || !current || saved.ready.lastTransitionTime !== current.lastTransitionTime;
    health = { ...saved, probeTimestamp: nowMs, readyTransitionTimestamp: transitioned ? nowMs : saved.readyTransitionTimestamp, ready: current };
  } else {
    health = { ...saved, ready: current };
  }
  const renew = lease?.spec?.renewTime;
  if (renew && (saved?.leaseRenewTime === undefined || parseTime(saved.leaseRenewTime) < parseTime(renew))) {
    health = { ...health, probeTimestamp: nowMs, leaseRenewTime: renew };
  }

  if (!(nowMs > health.probeTimestamp + gracePeriod)) return { health, observedReady, currentReady: current };

  const now = rfc3339(nowMs);
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  for (const type of CONDITIONS_SET_UNKNOWN) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: now });
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = now;
    }
  }
  const updated: Node = { ...node, status: { ...node.status, conditions } };
  const currentReady = readyCondition(updated);
  if (sameCondition(currentReady, observedReady) && current) return { health, observedReady, currentReady: current };
  return {
    health: { ...health, readyTransitionTimestamp: nowMs, ready: currentReady },
    observedReady,
    currentReady,
    statusUpdate: updated,
  };
}

function sameCondition(a: NodeCondition | undefined, b: NodeCondition | undefined): boolean {
  return !!a && !!b && a.status === b.status && a.reason === b.reason && a.message === b.message && a.lastTransitionTime === b.lastTransitionTime && a.lastHeartbeatTime === b.lastHeartbeatTime;
}
