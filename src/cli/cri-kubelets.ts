import { join, resolve } from 'node:path';
import type { ApiServer } from '../apiserver/index.js';
import { RestClient } from '../client/index.js';
import { CriRuntime, type KubeletGroup } from '../kubelet/index.js';
import { componentLog, inProcessTransport } from './in-process-transport.js';
import { processKubelet } from './process-kubelet.js';
import { componentUserAgent } from './user-agent.js';

export interface CriRuntimeChoice {
  runtime: CriRuntime;
  name: string;
  version: string;
}

/** Connects to a CRI runtime (`--container-runtime-endpoint`), checks it speaks runtime.v1 and is ready. */
export async function openCriRuntime(o: { endpoint: string; nodeName: string; dataDir: string; nodeIP: string; log?: (m: string) => void }): Promise<CriRuntimeChoice> {
  if (!/^unix:\/\/\//.test(o.endpoint)) throw new Error(`--container-runtime-endpoint must be unix:///path/to/socket, got ${JSON.stringify(o.endpoint)}`);
  const runtime = new CriRuntime({ endpoint: o.endpoint, nodeName: o.nodeName, rootDir: o.dataDir, hostIP: o.nodeIP, log: o.log });
  try {
    const v = await runtime.version();
    if (v.runtimeApiVersion !== 'v1') throw new Error(`the runtime at ${o.endpoint} speaks CRI ${v.runtimeApiVersion}, not v1`);
    const notReady = (await runtime.status()).find((c) => c.type === 'RuntimeReady' && !c.status);
    if (notReady) throw new Error(`the runtime at ${o.endpoint} is not ready: ${notReady.reason} ${notReady.message}`);
    return { runtime, name: v.runtimeName, version: v.runtimeVersion };
  } catch (err) {
    runtime.close();
    throw new Error(`--container-runtime-endpoint ${o.endpoint}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * `skiff server --runtime cri`: one node per CRI endpoint (node-1 … node-N), each with its log endpoint on
 * 127.0.0.1, calling the API server in process as `system:node:<name>`.
 */
export async function startServerCriKubelets(server: ApiServer, endpoints: readonly string[], dataDir: string, signal: AbortSignal): Promise<void> {
  const clientCaPem = server.caCertPem;
  if (!clientCaPem) throw new Error('--runtime cri needs the API server’s certificate authority (TLS)');
  const log = componentLog(signal);
  const groups: KubeletGroup[] = [];
  for (const [i, endpoint] of endpoints.entries()) {
    const nodeName = `node-${i + 1}`;
    const nodeDir = resolve(join(dataDir, 'kubelet', nodeName));
    const runtime = await openCriRuntime({ endpoint, nodeName, dataDir: nodeDir, nodeIP: '127.0.0.1', log });
    const user = { username: `system:node:${nodeName}`, groups: ['system:nodes', 'system:authenticated'] };
    const client = new RestClient(inProcessTransport(server.inProcess(user)), { userAgent: componentUserAgent('kubelet') });
    const node = await processKubelet({ client, nodeName, dataDir: nodeDir, nodeIP: '127.0.0.1', port: 0, clientCaPem, runtime, log });
    console.log(`skiff server: ${nodeName} runs containers in ${runtime.name} ${runtime.version} at ${endpoint}; container logs on https://127.0.0.1:${node.port}`);
    groups.push(node.group);
    signal.addEventListener('abort', () => void node.server.close().finally(() => node.runtime.close()), { once: true });
  }
  for (const group of groups) group.run(signal).catch((err: unknown) => console.error(`kubelet: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
}
