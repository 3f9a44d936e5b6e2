import { SKIFF_GIT_VERSION } from '../apiserver/index.js';
import type { RestClient } from '../client/index.js';
import { KubeletGroup, nodeNameHash, type NodeConfig, parseCapacity, SimulatedRuntime } from '../kubelet/index.js';
import { type Clock, realClock } from '../lib/index.js';

export interface SimulatedKubeletsOptions {
  client: RestClient;
  /** The client each node writes with (its own identity); `client` when absent. */
  clientFor?: (nodeName: string) => RestClient;
  clock?: Clock;
  /** The node's name, or with `count` the prefix of NAME-1 … NAME-count. */
  nodeName: string;
  count?: number;
  labels?: Record<string, string>;
  taints?: NodeConfig['taints'];
  capacity?: Record<string, string>;
  backoffBaseMs?: number;
  pullDelayMs?: number;
  startDelayMs?: number;
  nodeLeaseDurationSeconds?: number;
  /** The port of the HTTPS endpoint that serves these nodes' logs (Node status); 10250 by default. */
  kubeletPort?: number;
  /** The nodes' InternalIP when their logs are served (every node the same); else a made-up 10.64.0.0/10 address each. */
  address?: string;
  /** Where the simulated containers' logs are written; without it, none are. */
  logDir?: string;
  log?: (message: string) => void;
}

/** Builds the KubeletGroup of one or more simulated nodes. */
export function simulatedKubelets(o: SimulatedKubeletsOptions): KubeletGroup {
  const clock = o.clock ?? realClock;
  const names = o.count === undefined ? [o.nodeName] : Array.from({ length: o.count }, (_, i) => `${o.nodeName}-${i + 1}`);
  const nodes = names.map((nodeName) => {
    const h = nodeNameHash(nodeName, 64 * 256);
    const subnet = h % 256;
    const second = 64 + Math.floor(h / 256);
    const config: NodeConfig = {
      nodeName,
      labels: { 'type': 'simulated', ...o.labels },
      taints: o.taints ?? [],
      capacity: o.capacity ?? parseCapacity(''),
      address: o.address ?? `10.${second}.${subnet}.1`,
      podCIDR: `10.${128 + (second - 64)}.${subnet}.0/24`,
      kubeletVersion: SKIFF_GIT_VERSION,
      runtimeName: 'simulated',
      runtimeVersion: '0.1.0',
      operatingSystem: 'linux',
      architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
      kubeletPort: o.kubeletPort,
    };
    const runtime = new SimulatedRuntime({ clock, pullDelayMs: o.pullDelayMs, startDelayMs: o.startDelayMs, logDir: o.logDir, podNetwork: `10.${128 + (second - 64)}`, subnet });
    return { config, runtime };
  });
  return new KubeletGroup({ client: o.client, clientFor: o.clientFor, clock, nodes, backoffBaseMs: o.backoffBaseMs, nodeLeaseDurationSeconds: o.nodeLeaseDurationSeconds, log: o.log });
}
