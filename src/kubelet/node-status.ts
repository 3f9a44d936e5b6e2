import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import type { NodeConfig } from './node-config.js';

const CONDITIONS: readonly { type: string; status: string; reason: string; message: string }[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/** The Node object a kubelet registers: well-known labels, taints, and its first status. */
export function buildNode(config: NodeConfig, now: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: config.nodeName,
      labels: {
        'beta.kubernetes.io/arch': config.architecture,
        'beta.kubernetes.io/os': config.operatingSystem,
        'kubernetes.io/arch': config.architecture,
        'kubernetes.io/hostname': config.nodeName,
        'kubernetes.io/os': config.operatingSystem,
        ...config.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: config.podCIDR, podCIDRs: [config.podCIDR], ...(config.taints.length > 0 ? { taints: config.taints.map((t) => ({ ...t })) } : {}) },
    status: buildNodeStatus(config, undefined, now),
  };
}

/**
 * The status the kubelet reports: capacity, allocatable, addresses, daemon endpoints, node info and the four
 * conditions. lastTransitionTime is kept from `previous` while a condition's status stays; lastHeartbeatTime is `now`.
 */
export function buildNodeStatus(config: NodeConfig, previous: NodeStatus | undefined, now: number): NodeStatus {
  const time = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const conditions: NodeCondition[] = CONDITIONS.map((c) => {
    const old = previous?.conditions?.find((p) => p.type === c.type);
    const transition = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : time;
    return { type: c.type, status: c.status, lastHeartbeatTime: time, lastTransitionTime: transition, reason: c.reason, message: c.message };
  });
  return {
    capacity: { ...config.capacity },
    allocatable: { ...config.capacity },
    conditions,
    addresses: [
      { type: 'InternalIP', address: config.address },
      { type: 'Hostname', address: config.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: config.kubeletPort ?? 10250 } },
    nodeInfo: {
      machineID: machineId(config.nodeName),
      systemUUID: machineId(`uuid:${config.nodeName}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      bootID: machineId(`boot:${config.nodeName}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      kernelVersion: config.kernelVersion ?? '6.1.0-simulated',
      osImage: config.osImage ?? 'Skiff simulated node',
      containerRuntimeVersion: `${config.runtimeName}://${config.runtimeVersion}`,
      kubeletVersion: config.kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: config.operatingSystem,
      architecture: config.architecture,
    },
  };
}

/**
 * Whether `next` says something `current` does not: anything but the heartbeat times. A status that only renews
 * heartbeats is written every nodeStatusReportFrequency (5 minutes) instead.
 */
export function nodeStatusChanged(current: NodeStatus | undefined, next: NodeStatus): boolean {
  const strip = (s: NodeStatus | undefined) => ({
    ...s,
    images: undefined,
    conditions: (s?.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })).sort((a, b) => a.type.localeCompare(b.type)),
  });
  return !canonicallyEqual(strip(current), strip(next));
}

function machineId(seed: string): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 32; round++) {
    for (const ch of `${seed}/${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 32);
}

/**
 * Whether two JSON values are the same once object key order and null (or undefined) fields are set aside, so that
 * neither the server's field order nor a null it drops or adds (`lastProbeTime: null`; a merge patch removes nulls)
 * counts as a change. Allocates nothing.
 */
export function canonicallyEqual(a: unknown, b: unknown): boolean {
  const aAbsent = a === null || a === undefined;
  const bAbsent = b === null || b === undefined;
  if (aAbsent || bAbsent) return aAbsent === bAbsent;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!canonicallyEqual(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let present = 0;
  for (const key in x) {
    const v = x[key];
    if (v === null || v === undefined) continue;
    present++;
    if (!canonicallyEqual(v, y[key])) return false;
  }
  for (const key in y) if (y[key] !== null && y[key] !== undefined) present--;
  return present === 0;
}

