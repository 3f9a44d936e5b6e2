import { arch, hostname } from 'node:os';
import { join } from 'node:path';
import { SKIFF_GIT_VERSION } from '../apiserver/index.js';
import type { RestClient } from '../client/index.js';
import { type ContainerRuntime, KubeletGroup, KubeletServer, type NodeConfig, ensureServingCert, parseCapacity, ProcessRuntime } from '../kubelet/index.js';
import { realClock } from '../lib/index.js';

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
  capacity?: Record<string, string>;
  backoffBaseMs?: number;
  nodeLeaseDurationSeconds?: number;
  log?: (message: string) => void;
  /** Another runtime than the process runtime (`--runtime cri`), with the name and version the Node reports. */
  runtime?: { runtime: ContainerRuntime & { close(): void }; name: string; version: string };
}

/** One node whose containers are processes on this machine (or run by `o.runtime`), with its log endpoint listening. */
export async function processKubelet(o: ProcessKubeletOptions): Promise<{ group: KubeletGroup; server: KubeletServer; runtime: ContainerRuntime & { close(): void }; port: number }> {
  const runtime = o.runtime?.runtime ?? new ProcessRuntime({ rootDir: o.dataDir, hostIP: o.nodeIP, log: o.log });
  // The endpoint listens first (its port goes into the Node's status); it finds Pods once the group exists.
  const late: { group?: KubeletGroup } = {};
  const { certPem, keyPem } = await ensureServingCert(join(o.dataDir, 'pki'), [o.nodeIP, o.nodeName, hostname()]);
  const server = new KubeletServer({ certPem, keyPem, clientCaPem: o.clientCaPem, findPod: (ns, name) => late.group?.findPod(ns, name), log: o.log });
  const port = await server.listen(o.port, o.nodeIP);
  const config: NodeConfig = {
    nodeName: o.nodeName,
    labels: { ...o.labels },
    taints: o.taints ?? [],
    capacity: o.capacity ?? parseCapacity(''),
    address: o.nodeIP,
    podCIDR: `${o.nodeIP}/32`,
    kubeletVersion: SKIFF_GIT_VERSION,
    runtimeName: o.runtime?.name ?? 'process',
    runtimeVersion: o.runtime?.version ?? '0.1.0',
    operatingSystem: 'linux',
    architecture: arch() === 'arm64' ? 'arm64' : 'amd64',
    kubeletPort: port,
  };
  const group = new KubeletGroup({ client: o.client, clock: realClock, nodes: [{ config, runtime }], backoffBaseMs: o.backoffBaseMs, nodeLeaseDurationSeconds: o.nodeLeaseDurationSeconds, log: o.log });
  late.group = group;
  return { group, server, runtime, port };
}
