import { readFileSync } from 'node:fs';
import { arch, cpus, hostname, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { SKIFF_GIT_VERSION } from '../apiserver/index.js';
import type { RestClient } from '../client/index.js';
import { type ContainerRuntime, DEFAULT_CAPACITY, KubeletGroup, type KubeletServer, type NodeConfig, ProcessRuntime } from '../kubelet/index.js';
import { realClock } from '../lib/index.js';
import { startKubeletLogEndpoint } from './kubelet-log-endpoint.js';

export interface ProcessKubeletOptions {
  client: RestClient;
  nodeName: string;
  /** The kubelet's data dir: runtime state, container logs, its serving certificate. */
  dataDir: string;
  /** The node's InternalIP, every Pod's IP, and where the kubelet's HTTPS endpoint listens. */
  nodeIP: string;
  /** The endpoint's port (0: any free one). */
  port: number;
  /** The CA of client certificates (the cluster CA from the kubeconfig). */
  clientCaPem: string;
  labels?: Record<string, string>;
  taints?: NodeConfig['taints'];
  /** What the node offers, over this machine's CPUs and memory (and the defaults for the rest). */
  capacity?: Record<string, string>;
  backoffBaseMs?: number;
  nodeLeaseDurationSeconds?: number;
  /** hostPath volumes are allowed. */
  allowHostPath?: boolean;
  log?: (message: string) => void;
  /** Another runtime than the process runtime (`--runtime cri`), with the name and version the Node reports. */
  runtime?: { runtime: ContainerRuntime & { close(): void }; name: string; version: string };
}

/** One node whose containers are processes on this machine (or run by `o.runtime`), with its log endpoint listening. */
export async function processKubelet(o: ProcessKubeletOptions): Promise<{ group: KubeletGroup; server: KubeletServer; runtime: ContainerRuntime & { close(): void }; port: number }> {
  const runtime = o.runtime?.runtime ?? new ProcessRuntime({ rootDir: o.dataDir, hostIP: o.nodeIP, log: o.log });
  const endpoint = await startKubeletLogEndpoint({ pkiDir: join(o.dataDir, 'pki'), names: [o.nodeIP, o.nodeName, hostname()], clientCaPem: o.clientCaPem, host: o.nodeIP, port: o.port, authorizeFor: { client: o.client, nodeName: o.nodeName }, log: o.log });
  const port = endpoint.port;
  const config: NodeConfig = {
    nodeName: o.nodeName,
    labels: { ...o.labels },
    taints: o.taints ?? [],
    capacity: { ...DEFAULT_CAPACITY, cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, ...o.capacity },
    address: o.nodeIP,
    podCIDR: `${o.nodeIP}/32`,
    kubeletVersion: SKIFF_GIT_VERSION,
    runtimeName: o.runtime?.name ?? 'process',
    runtimeVersion: o.runtime?.version ?? '0.1.0',
    operatingSystem: 'linux',
    architecture: arch() === 'arm64' ? 'arm64' : 'amd64',
    osImage: osImage(),
    kernelVersion: release(),
    kubeletPort: port,
  };
  const group = new KubeletGroup({ client: o.client, clock: realClock, nodes: [{ config, runtime, podsDir: join(o.dataDir, 'pods') }], allowHostPath: o.allowHostPath, backoffBaseMs: o.backoffBaseMs, nodeLeaseDurationSeconds: o.nodeLeaseDurationSeconds, log: o.log });
  endpoint.serve(group);
  return { group, server: endpoint.server, runtime, port };
}

/** PRETTY_NAME of /etc/os-release, as upstream's cadvisor reports osImage. */
function osImage(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}
