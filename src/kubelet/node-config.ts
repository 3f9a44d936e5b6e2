import type { Taint } from 'kubernetes-types/core/v1.js';

/** What a kubelet says about its Node when it registers and reports status. */
export interface NodeConfig {
  readonly nodeName: string;
  /** Extra labels (`--node-labels`), on top of the well-known ones. */
  readonly labels: Readonly<Record<string, string>>;
  /** `--register-with-taints`, set on the Node only when the kubelet creates it. */
  readonly taints: readonly Taint[];
  /** cpu, memory, pods … as Quantity strings; allocatable is the same (no reservations). */
  readonly capacity: Readonly<Record<string, string>>;
  /** The node's InternalIP. */
  readonly address: string;
  /** The Pod CIDR the node hands Pod IPs out from (`10.244.N.0/24`). */
  readonly podCIDR: string;
  readonly kubeletVersion: string;
  readonly runtimeName: string;
  readonly runtimeVersion: string;
  readonly operatingSystem: string;
  readonly architecture: string;
  /** nodeInfo.osImage and kernelVersion (a simulated node's by default). */
  readonly osImage?: string;
  readonly kernelVersion?: string;
  /** Where the kubelet's HTTPS endpoint listens (status.daemonEndpoints.kubeletEndpoint.Port; default 10250). */
  readonly kubeletPort?: number;
}

export const DEFAULT_CAPACITY: Readonly<Record<string, string>> = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' };

/** `k=v,k2=v2` (`--node-labels`). */
export function parseNodeLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`invalid label ${JSON.stringify(part)}: want key=value`);
    labels[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return labels;
}

/** `key=value:Effect,key:Effect` (`--register-with-taints`). */
export function parseTaints(text: string): Taint[] {
  const taints: Taint[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const colon = part.lastIndexOf(':');
    if (colon <= 0) throw new Error(`invalid taint ${JSON.stringify(part)}: want key[=value]:Effect`);
    const effect = part.slice(colon + 1);
    if (effect !== 'NoSchedule' && effect !== 'PreferNoSchedule' && effect !== 'NoExecute') throw new Error(`invalid taint effect ${JSON.stringify(effect)}`);
    const kv = part.slice(0, colon);
    const eq = kv.indexOf('=');
    taints.push(eq < 0 ? { key: kv, effect } : { key: kv.slice(0, eq), value: kv.slice(eq + 1), effect });
  }
  return taints;
}

/** `cpu=4,memory=8Gi,pods=110` (`--capacity`), over the defaults. */
export function parseCapacity(text: string): Record<string, string> {
  return { ...DEFAULT_CAPACITY, ...parseNodeLabels(text) };
}

/** A stable small number from a node name (0 … mod-1), for simulated addresses. */
export function nodeNameHash(name: string, mod: number): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h % mod;
}
