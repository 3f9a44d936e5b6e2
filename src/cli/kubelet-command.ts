import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { componentUserAgent } from './user-agent.js';
import { Command } from 'commander';
import { loadClientConfig, type RestClient } from '../client/index.js';
import { type KubeletGroup, parseCapacity, parseNodeLabels, parseTaints } from '../kubelet/index.js';
import { SIMULATED_NODES_GROUP } from '../apiserver/index.js';
import { processKubelet } from './process-kubelet.js';
import { startKubeletLogEndpoint } from './kubelet-log-endpoint.js';
import { openCriRuntime } from './cri-kubelets.js';
import { clientFromKubeconfig } from './component-flags.js';
import { parseDuration } from './open-storage.js';
import { stopOnSignals } from './apiserver-command.js';
import { simulatedKubelets } from './simulated-kubelets.js';

interface KubeletFlags {
  kubeconfig?: string;
  nodeName?: string;
  runtime: string;
  dataDir?: string;
  nodeLabels: string;
  registerWithTaints: string;
  capacity: string;
  simulatedNodes?: string;
  crashLoopBackoffBase: string;
  simulatedPullDelay: string;
  simulatedStartDelay: string;
  kubeApiQps: string;
  kubeApiBurst: string;
  nodeLeaseDurationSeconds: string;
  nodeIp: string;
  port?: string;
  allowHostPath: boolean;
  containerRuntimeEndpoint?: string;
}

export function kubeletCommand(): Command {
  return new Command('kubelet')
    .description('run a node agent (kubelet) against an API server')
    .option('--kubeconfig <file>', 'how to reach and authenticate to the API server (default: $KUBECONFIG)')
    .option('--node-name <name>', 'the Node to register (with --simulated-nodes: the prefix of NAME-1 … NAME-N)')
    .option('--runtime <name>', 'the container runtime: simulated, process (containers are processes on this machine), or cri', 'simulated')
    .option('--container-runtime-endpoint <endpoint>', 'with --runtime cri: the CRI socket, unix:///…/containerd.sock')
    .option('--node-ip <ip>', "the node's address and where the HTTPS endpoint listens; with --runtime process every Pod's IP", '127.0.0.1')
    .option('--allow-host-path', 'with --runtime process or cri: allow hostPath volumes (off: a Pod with one waits with a FailedMount event)', false)
    .option('--port <n>', 'the port of the HTTPS endpoint (container logs), 0 picks a free one; default 10250 with --runtime process or cri, none with --runtime simulated')
    .option('--data-dir <dir>', 'container logs and runtime state (default .skiff/kubelet/<node>)')
    .option('--node-labels <list>', 'extra labels for the Node: k=v,…', '')
    .option('--register-with-taints <list>', 'taints of the Node when registering: key=value:Effect,…', '')
    .option('--capacity <list>', 'what the node offers: cpu=4,memory=8Gi,pods=110', '')
    .option('--simulated-nodes <n>', 'run N simulated nodes NAME-1 … NAME-N in this process')
    .option('--crash-loop-backoff-base <duration>', 'first CrashLoopBackOff delay (doubles up to 5m)', '10s')
    .option('--simulated-pull-delay <duration>', 'how long a simulated image pull takes', '0s')
    .option('--simulated-start-delay <duration>', 'how long a simulated container takes to start', '0s')
    .option('--kube-api-qps <n>', 'requests per second to the API server (0: no limit)', '0')
    .option('--kube-api-burst <n>', 'requests allowed in a burst above the QPS', '100')
    .option('--node-lease-duration-seconds <n>', 'the duration of the node Lease; it is renewed every quarter of it', '40')
    .action(async (flags: KubeletFlags) => {
      const kubeconfig = flags.kubeconfig ?? process.env.KUBECONFIG;
      if (!kubeconfig) throw new Error('--kubeconfig (or $KUBECONFIG) is required');
      if (!flags.nodeName) throw new Error('--node-name is required');
      if (!['simulated', 'process', 'cri'].includes(flags.runtime)) throw new Error(`unsupported --runtime ${JSON.stringify(flags.runtime)}: "simulated", "process" and "cri" are built`);
      if ((flags.runtime === 'cri') !== (flags.containerRuntimeEndpoint !== undefined)) throw new Error('--container-runtime-endpoint goes with --runtime cri, and --runtime cri needs it');
      const count = flags.simulatedNodes === undefined ? undefined : Number(flags.simulatedNodes);
      if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new Error('--simulated-nodes must be a positive integer');
      if (count !== undefined && flags.runtime !== 'simulated') throw new Error('--simulated-nodes needs --runtime simulated');
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new Error(`--port must be a port number, got ${JSON.stringify(flags.port)}`);
      const dataDir = flags.dataDir ?? join('.skiff', 'kubelet', flags.nodeName);
      mkdirSync(dataDir, { recursive: true });
      const signal = stopOnSignals();
      const client = clientFromKubeconfig(kubeconfig, Number(flags.kubeApiQps), Number(flags.kubeApiBurst), componentUserAgent('kubelet'));
      const common = {
        client,
        nodeName: flags.nodeName,
        labels: parseNodeLabels(flags.nodeLabels),
        taints: parseTaints(flags.registerWithTaints),
        capacity: parseCapacity(flags.capacity),
        backoffBaseMs: parseDuration(flags.crashLoopBackoffBase),
        nodeLeaseDurationSeconds: Number(flags.nodeLeaseDurationSeconds),
        log: (m: string) => console.error(m),
      };
      const clientCaPem = loadClientConfig(kubeconfig).ca;
      if (!clientCaPem && (flags.runtime !== 'simulated' || port !== undefined)) throw new Error('the kubeconfig names no certificate authority, which the kubelet needs to check the clients of its HTTPS endpoint');
      if (flags.runtime === 'process' || flags.runtime === 'cri') {
        const cri = flags.containerRuntimeEndpoint === undefined ? undefined : await openCriRuntime({ endpoint: flags.containerRuntimeEndpoint, nodeName: flags.nodeName, dataDir: resolve(dataDir), nodeIP: flags.nodeIp, log: common.log });
        const node = await processKubelet({ ...common, capacity: parseNodeLabels(flags.capacity), dataDir: resolve(dataDir), nodeIP: flags.nodeIp, port: port ?? 10250, clientCaPem: clientCaPem!, allowHostPath: flags.allowHostPath, runtime: cri });
        console.log(`skiff kubelet: serving container logs on https://${flags.nodeIp}:${node.port}`);
        await runGroup(node.group, signal);
        await node.server.close();
        node.runtime.close();
        client.transport.close();
        return;
      }
      // With --port, the simulated nodes' logs are served there, and the nodes say they are at --node-ip.
      const endpoint = port === undefined ? undefined : await startKubeletLogEndpoint({ pkiDir: join(dataDir, 'pki'), names: ['localhost'], clientCaPem: clientCaPem!, host: flags.nodeIp, port, authorizeFor: count === undefined ? { client, nodeName: flags.nodeName } : undefined, log: common.log });
      if (endpoint) console.log(`skiff kubelet: serving container logs on https://${flags.nodeIp}:${endpoint.port}`);
      const group = simulatedKubelets({
        ...common,
        count,
        pullDelayMs: parseDuration(flags.simulatedPullDelay),
        startDelayMs: parseDuration(flags.simulatedStartDelay),
        ...(endpoint ? { kubeletPort: endpoint.port, address: flags.nodeIp, logDir: resolve(dataDir, 'logs') } : {}),
      });
      if ((count ?? 1) > 1) await warnIfSingleNodeIdentity(client);
      endpoint?.serve(group);
      await runGroup(group, signal);
      await endpoint?.server.close();
      client.transport.close();
    });
}

/**
 * Many simulated nodes in one process act for every node, which one node's identity may not (the Node authorizer and
 * NodeRestriction): say so at start rather than leave the nodes retrying forbidden requests.
 */
async function warnIfSingleNodeIdentity(client: RestClient): Promise<void> {
  try {
    const review = await client.json<{ status?: { userInfo?: { username?: string } } }>({
      method: 'POST',
      url: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
    });
    const user = review.status?.userInfo?.username ?? '';
    if (user.startsWith('system:node:')) {
      console.error(
        `skiff kubelet: --simulated-nodes runs many nodes but ${user} may act only for its own node; use an identity in the group ${SIMULATED_NODES_GROUP} (skiff kubeconfig --user ${SIMULATED_NODES_GROUP} --group ${SIMULATED_NODES_GROUP})`,
      );
    }
  } catch {
    // Only a hint: the nodes report their own errors.
  }
}

async function runGroup(group: KubeletGroup, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  console.log(`skiff kubelet: ${group.kubelets.size} node(s) starting`);
  const run = group.run(signal);
  await group.whenRegistered(signal);
  if (!signal.aborted) console.log(`skiff kubelet: ${group.kubelets.size} node(s) registered in ${Date.now() - started} ms`);
  await run;
}
