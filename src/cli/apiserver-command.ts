import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ApiServer } from '../apiserver/index.js';
import { RestClient } from '../client/index.js';
import { ControllerManager } from '../controllers/index.js';
import { PrometheusSchedulerMetrics, SchedulerServer } from '../scheduler/index.js';
import { realClock } from '../lib/index.js';
import { inProcessTransport } from './in-process-transport.js';
import { componentUserAgent } from './user-agent.js';
import { openStorage, parseDuration } from './open-storage.js';
import { defaultNodeName, simulatedKubelets } from './simulated-kubelets.js';

interface ApiserverFlags {
  dataDir: string;
  port: string;
  bindAddress: string;
  advertiseAddress?: string;
  tlsSan: string[];
  storage: string;
  etcdEndpoints?: string;
  etcdCompactionInterval: string;
  tokenAuthFile?: string;
  eventTtl: string;
  watchCacheSize: string;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  maxRequestsInflight: string;
  maxMutatingRequestsInflight: string;
  requestTimeout: string;
  shutdownDelayDuration: string;
  defaultNotReadyTolerationSeconds: string;
  defaultUnreachableTolerationSeconds: string;
}

/** Adds the API server's flags (shared with `skiff server`). */
export function withApiserverFlags(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'where certificates, kubeconfigs and the SQLite database live', '.skiff')
    .option('--port <n>', 'the HTTPS port (0 picks a free one)', '6443')
    .option('--bind-address <ip>', 'the address to listen on', '127.0.0.1')
    .option('--advertise-address <ip>', 'the address clients are told to use')
    .option('--tls-san <name>', 'an extra name or IP for the serving certificate (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .addOption(new Option('--storage <kind>', 'the store').choices(['sqlite', 'etcd']).default('sqlite'))
    .option('--etcd-endpoints <urls>', 'etcd client URLs, comma-separated')
    .option('--etcd-compaction-interval <duration>', 'how often old revisions are compacted (0 turns it off)', '5m')
    .option('--token-auth-file <file>', 'static bearer tokens (CSV: token,user,uid,"group1,group2")')
    .option('--event-ttl <duration>', 'how long Events are kept', '1h')
    .option('--watch-cache-size <n>', 'events each watch cache keeps for resuming watchers', '10000')
    .option('--service-cluster-ip-range <cidr>', 'where Service ClusterIPs come from', '10.96.0.0/12')
    .option('--service-node-port-range <range>', 'where Service NodePorts come from', '30000-32767')
    .option('--max-requests-inflight <n>', 'read-only requests served at once before 429 (0: no limit)', '400')
    .option('--max-mutating-requests-inflight <n>', 'mutating requests served at once before 429 (0: no limit)', '200')
    .option('--request-timeout <duration>', 'a non-watch request still running after this is answered 504', '60s')
    .option('--shutdown-delay-duration <duration>', 'how long /readyz fails before the server stops accepting on SIGTERM', '0s')
    .option('--default-not-ready-toleration-seconds <n>', 'tolerationSeconds of the not-ready:NoExecute toleration added to Pods that have none', '300')
    .option('--default-unreachable-toleration-seconds <n>', 'tolerationSeconds of the unreachable:NoExecute toleration added to Pods that have none', '300');
}

/** Starts storage and the API server from the flags; resolves when it is ready. */
export async function startApiserver(flags: ApiserverFlags, signal: AbortSignal): Promise<ApiServer> {
  const storage = await openStorage(
    flags.dataDir,
    { storage: flags.storage, etcdEndpoints: flags.etcdEndpoints, compactionIntervalMs: parseDuration(flags.etcdCompactionInterval) },
    signal,
  );
  const server = new ApiServer({
    dataDir: flags.dataDir,
    storage,
    port: Number(flags.port),
    bindAddress: flags.bindAddress,
    advertiseAddress: flags.advertiseAddress,
    tlsSans: flags.tlsSan,
    tokenAuthFile: flags.tokenAuthFile,
    eventTtlSeconds: Math.round(parseDuration(flags.eventTtl) / 1000),
    watchCacheSize: Number(flags.watchCacheSize),
    serviceClusterIPRange: flags.serviceClusterIpRange,
    serviceNodePortRange: flags.serviceNodePortRange,
    maxRequestsInflight: Number(flags.maxRequestsInflight),
    maxMutatingRequestsInflight: Number(flags.maxMutatingRequestsInflight),
    requestTimeoutMs: parseDuration(flags.requestTimeout),
    shutdownDelayMs: parseDuration(flags.shutdownDelayDuration),
    defaultNotReadyTolerationSeconds: Number(flags.defaultNotReadyTolerationSeconds),
    defaultUnreachableTolerationSeconds: Number(flags.defaultUnreachableTolerationSeconds),
    log: (m) => console.error(m),
  });
  signal.addEventListener('abort', () => void server.stop().then(() => storage.close()), { once: true });
  await server.start();
  await server.ready();
  return server;
}

/** Runs until SIGINT or SIGTERM, then stops the server and closes storage. */
export function stopOnSignals(): AbortSignal {
  const ac = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => ac.abort());
  return ac.signal;
}

export function apiserverCommand(): Command {
  return withApiserverFlags(new Command('apiserver').description('run the API server')).action(async (flags: ApiserverFlags) => {
    const signal = stopOnSignals();
    const started = Date.now();
    const server = await startApiserver(flags, signal);
    console.log(`skiff apiserver: serving ${server.url} (ready in ${Date.now() - started} ms)`);
    console.log(`admin kubeconfig: ${server.kubeconfigs?.admin ?? ''}`);
  });
}

/** `skiff server --kubelets N`: simulated nodes in process, as `system:node:<name>`. */
function startInProcessKubelets(server: ApiServer, count: number, signal: AbortSignal): void {
  if (count <= 0) return;
  const nodeName = defaultNodeName();
  const user = { username: `system:node:${nodeName}`, groups: ['system:nodes', 'system:authenticated'] };
  const client = new RestClient(inProcessTransport(server.inProcess(user)), { userAgent: componentUserAgent('kubelet') });
  const group = simulatedKubelets({ client, nodeName, count: count === 1 ? undefined : count, log: (m) => console.error(m) });
  group.run(signal).catch((err: unknown) => console.error(`kubelet: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
}

/** The controller-manager inside `skiff server`, calling the API server in process as system:kube-controller-manager. */
function startInProcessControllers(server: ApiServer, signal: AbortSignal, kubelets = 0): void {
  startInProcessKubelets(server, kubelets, signal);
  const user = { username: 'system:kube-controller-manager', groups: ['system:authenticated'] };
  const client = new RestClient(inProcessTransport(server.inProcess(user)), { userAgent: componentUserAgent('kube-controller-manager') });
  const manager = new ControllerManager({ client, clock: realClock, log: (m) => console.error(m) });
  manager.run(signal).catch((err: unknown) => console.error(`controller-manager: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
}

/** The scheduler inside `skiff server`, calling the API server in process as system:kube-scheduler. */
function startInProcessScheduler(server: ApiServer, signal: AbortSignal): void {
  const user = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };
  const client = new RestClient(inProcessTransport(server.inProcess(user)), { userAgent: componentUserAgent('kube-scheduler') });
  const metrics = new PrometheusSchedulerMetrics(server.metrics.registry);
  const scheduler = new SchedulerServer({ client, clock: realClock, metrics, log: (m) => console.error(m) });
  scheduler.run(signal).catch((err: unknown) => console.error(`scheduler: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
}

/** `skiff server`: every component in one process. */
export function serverCommand(): Command {
  return withApiserverFlags(new Command('server').description('run the control plane in one process'))
    .option('--kubelets <n>', 'simulated nodes run in process (named after the host; NAME-1 … NAME-N when more than one)', '1')
    .action(async (flags: ApiserverFlags & { kubelets: string }) => {
    const signal = stopOnSignals();
    const started = Date.now();
    const server = await startApiserver(flags, signal);
    startInProcessControllers(server, signal, Number(flags.kubelets));
    startInProcessScheduler(server, signal);
    console.log(
      [
        `  export KUBECONFIG=${resolve(server.kubeconfigs?.admin ?? '')}`,
        `  running: storage, API server, controller-manager, scheduler, ${flags.kubelets} simulated kubelet(s).`,
        `skiff server: serving ${server.url} (ready in ${Date.now() - started} ms)`,
      ].join('\n'),
    );
  });
}
