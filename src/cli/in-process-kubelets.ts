import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ApiServer, pkiFiles, SIMULATED_NODES_GROUP } from '../apiserver/index.js';
import type { KubeletGroup } from '../kubelet/index.js';
import { startKubeletLogEndpoint } from './kubelet-log-endpoint.js';
import { componentLog, inProcessClient } from './in-process-transport.js';
import { processKubelet } from './process-kubelet.js';
import { simulatedKubelets } from './simulated-kubelets.js';

/** `skiff server`'s nodes are node-1 … node-N. */
export const SERVER_NODE_PREFIX = 'node';

/** Where the in-process kubelets' one HTTPS endpoint listens, once it does (the API server's pods/log proxy reads it). */
export interface KubeletEndpointHolder {
  port: number;
}

export interface InProcessKubeletsOptions {
  server: ApiServer;
  dataDir: string;
  count: number;
  runtime: 'simulated' | 'process';
  endpoint: KubeletEndpointHolder;
  signal: AbortSignal;
  /** Requests the nodes keep in flight at once, all together. */
  maxInflight: number;
}

/**
 * `skiff server`'s kubelets: N simulated nodes (logs: a line per start and exit), or one node whose containers are
 * processes; in both cases one HTTPS endpoint on 127.0.0.1 serves the container logs of every node of the process.
 */
export async function startInProcessKubelets(o: InProcessKubeletsOptions): Promise<void> {
  if (o.count <= 0) return;
  const nodeName = o.runtime === 'process' ? `${SERVER_NODE_PREFIX}-1` : SERVER_NODE_PREFIX;
  // Each node writes as its own identity (system:node:node-K); the simulated nodes' Pods and Nodes are watched once for
  // all of them, as system:skiff:simulated-nodes. All share one in-flight budget.
  const shared = inProcessClient(o.server, { username: SIMULATED_NODES_GROUP, groups: [SIMULATED_NODES_GROUP, 'system:authenticated'] }, 'kubelet', { maxInflight: o.maxInflight });
  const nodeClient = (name: string) => inProcessClient(o.server, { username: `system:node:${name}`, groups: ['system:nodes', 'system:authenticated'] }, 'kubelet', { inflightOf: shared });
  const client = o.runtime === 'process' ? nodeClient(nodeName) : shared;
  const clientCaPem = readFileSync(pkiFiles(o.dataDir).caCert, 'utf8');
  const log = componentLog(o.signal);
  let group: KubeletGroup;
  if (o.runtime === 'process') {
    const node = await processKubelet({ client, nodeName, dataDir: resolve(o.dataDir, 'kubelet', nodeName), nodeIP: '127.0.0.1', port: 0, clientCaPem, log });
    o.endpoint.port = node.port;
    group = node.group;
    o.signal.addEventListener('abort', () => void node.server.close().finally(() => node.runtime.close()), { once: true });
  } else {
    const endpoint = await startKubeletLogEndpoint({ pkiDir: join(o.dataDir, 'kubelet', 'pki'), names: ['localhost'], clientCaPem, host: '127.0.0.1', port: 0, log });
    o.endpoint.port = endpoint.port;
    group = simulatedKubelets({ client, clientFor: nodeClient, nodeName, count: o.count, kubeletPort: endpoint.port, logDir: resolve(o.dataDir, 'kubelet', 'logs'), log });
    endpoint.serve(group);
    o.signal.addEventListener('abort', () => void endpoint.server.close(), { once: true });
  }
  group.run(o.signal).catch((err: unknown) => console.error(`kubelet: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
}
