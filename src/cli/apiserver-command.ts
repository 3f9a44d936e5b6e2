import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ApiServer, enabledAdmissionPlugins, parseAuditPolicy, parseAuthorizationModes, type AuditPolicy } from '../apiserver/index.js';
import { ControllerManager } from '../controllers/index.js';
import { PrometheusSchedulerMetrics, SchedulerServer } from '../scheduler/index.js';
import { childSignal, realClock } from '../lib/index.js';
import { componentLog, inProcessBudgets, inProcessClient } from './in-process-transport.js';
import { flagBoolean } from './component-flags.js';
import { openStorage, parseDuration } from './open-storage.js';
import { type KubeletEndpointHolder, startInProcessKubelets } from './in-process-kubelets.js';
import { startServerCriKubelets } from './cri-kubelets.js';
import { boundHeapGrowth } from './heap-growth.js';

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
  enableAdmissionPlugins: string[];
  disableAdmissionPlugins: string[];
  serviceAccountIssuer: string[];
  apiAudiences: string[];
  serviceAccountMaxTokenExpiration: string;
  serviceAccountExtendTokenExpiration: boolean | string;
  authorizationMode: string;
  auditPolicyFile?: string;
  auditLogPath?: string;
  auditLogMaxsize: string;
  auditLogMaxbackup: string;
  auditLogMaxage: string;
}

/** A comma-separated list flag that may also be repeated. */
const commaList = (v: string, all: string[]) => [...all, ...v.split(',').map((x) => x.trim()).filter((x) => x !== '')];

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
    .option('--default-unreachable-toleration-seconds <n>', 'tolerationSeconds of the unreachable:NoExecute toleration added to Pods that have none', '300')
    .option('--enable-admission-plugins <names>', 'admission plugins to turn on besides the defaults (comma-separated)', commaList, [] as string[])
    .option('--disable-admission-plugins <names>', 'admission plugins to turn off, defaults included (comma-separated)', commaList, [] as string[])
    .option('--service-account-issuer <url>', 'the iss of service account tokens; repeat to also accept older issuers (the first issues)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--api-audiences <names>', 'the audiences the API server accepts tokens for (default: the issuers)', commaList, [] as string[])
    .option('--service-account-max-token-expiration <duration>', 'the longest token a TokenRequest gets (0: no limit)', '0s')
    .option('--service-account-extend-token-expiration [bool]', 'issue Pod-bound 3607 s tokens for a year, warning after 3607 s', flagBoolean, true)
    .option('--authorization-mode <modes>', 'authorizers in order, comma-separated: Node, RBAC, AlwaysAllow, AlwaysDeny', 'Node,RBAC')
    .option('--audit-policy-file <file>', 'an audit.k8s.io/v1 Policy (YAML or JSON): which requests the audit log gets, at which level (default: every request at Metadata)')
    .option('--audit-log-path <file>', "the audit log ('-': standard output; '': none) (default: DATA_DIR/audit.log)")
    .option('--audit-log-maxsize <MB>', 'the size at which the audit log is rotated', '100')
    .option('--audit-log-maxbackup <n>', 'rotated audit logs kept (0: all)', '3')
    .option('--audit-log-maxage <days>', 'rotated audit logs older than this are removed (0: kept)', '0');
}

/** Starts storage and the API server from the flags; resolves when it is ready. */
export async function startApiserver(flags: ApiserverFlags, signal: AbortSignal, kubeletEndpoint?: KubeletEndpointHolder): Promise<ApiServer> {
  boundHeapGrowth();
  try {
    enabledAdmissionPlugins(flags.enableAdmissionPlugins, flags.disableAdmissionPlugins);
  } catch (err) {
    console.error(`skiff: ${(err as Error).message}`);
    process.exit(1);
  }
  const authorizationModes = parseAuthorizationModes(flags.authorizationMode);
  const auditPolicy = flags.auditPolicyFile === undefined ? undefined : loadAuditPolicy(flags.auditPolicyFile);
  const auditLog = {
    auditLogMaxSizeMB: nonNegativeInteger('--audit-log-maxsize', flags.auditLogMaxsize),
    auditLogMaxBackups: nonNegativeInteger('--audit-log-maxbackup', flags.auditLogMaxbackup),
    auditLogMaxAgeDays: nonNegativeInteger('--audit-log-maxage', flags.auditLogMaxage),
  };
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
    enableAdmissionPlugins: flags.enableAdmissionPlugins,
    disableAdmissionPlugins: flags.disableAdmissionPlugins,
    serviceAccountIssuers: flags.serviceAccountIssuer,
    apiAudiences: flags.apiAudiences,
    serviceAccountMaxTokenExpirationSeconds: Math.round(parseDuration(flags.serviceAccountMaxTokenExpiration) / 1000),
    serviceAccountExtendTokenExpiration: flagBoolean(flags.serviceAccountExtendTokenExpiration),
    authorizationModes,
    auditPolicy,
    auditLogPath: flags.auditLogPath,
    ...auditLog,
    // `skiff server`: every node's kubelet answers on the one in-process endpoint.
    kubeletEndpoint: kubeletEndpoint && (() => (kubeletEndpoint.port > 0 ? { host: '127.0.0.1', port: kubeletEndpoint.port } : undefined)),
    log: (m) => console.error(m),
  });
  // Once the API server has drained and storage is closed there is nothing left to serve: the process ends then, as
  // upstream's binaries do when their main returns, even if a component in it still holds a timer.
  signal.addEventListener(
    'abort',
    () =>
      void server
        .stop()
        .then(() => storage.close())
        .then(
          () => process.exit(0),
          (err: unknown) => {
            console.error(`shutdown: ${err instanceof Error ? err.message : String(err)}`);
            process.exit(1);
          },
        ),
    { once: true },
  );
  await server.start();
  await server.ready();
  return server;
}

/** Reads --audit-policy-file; a file that cannot be used ends the process with status 1 and says why, as upstream does. */
function loadAuditPolicy(file: string): AuditPolicy {
  try {
    return parseAuditPolicy(readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`skiff: --audit-policy-file ${file}: ${(err as Error).message}`);
    process.exit(1);
  }
}

/** A flag that must be a non-negative integer; anything else ends the process with status 1. */
function nonNegativeInteger(flag: string, value: string): number {
  if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  console.error(`skiff: ${flag} must be a non-negative integer, got ${JSON.stringify(value)}`);
  process.exit(1);
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

/** The controller-manager inside `skiff server`, calling the API server in process as system:kube-controller-manager. */
function startInProcessControllers(server: ApiServer, maxInflight: number, signal: AbortSignal): void {
  const client = inProcessClient(server, { username: 'system:kube-controller-manager', groups: ['system:authenticated'] }, 'kube-controller-manager', { maxInflight });
  const manager = new ControllerManager({ client, clock: realClock, rootCA: server.caCertPem, log: componentLog(signal) });
  manager.run(signal).catch((err: unknown) => console.error(`controller-manager: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
}

/** The scheduler inside `skiff server`, calling the API server in process as system:kube-scheduler. */
function startInProcessScheduler(server: ApiServer, maxInflight: number, signal: AbortSignal): void {
  const client = inProcessClient(server, { username: 'system:kube-scheduler', groups: ['system:authenticated'] }, 'kube-scheduler', { maxInflight });
  const metrics = new PrometheusSchedulerMetrics(server.metrics.registry);
  const scheduler = new SchedulerServer({ client, clock: realClock, metrics, log: componentLog(signal) });
  scheduler.run(signal).catch((err: unknown) => console.error(`scheduler: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
}

/** `skiff server`: every component in one process. */
export function serverCommand(): Command {
  return withApiserverFlags(new Command('server').description('run storage, the API server, the controller-manager, the scheduler and N kubelets in one process'))
    .option('--nodes <n>', 'simulated nodes run in process, named node-1 … node-N (0: none)', '3')
    .option('--runtime <kind>', 'the container runtime of the nodes: simulated, process (one node, node-1, whose containers are processes here), or cri (one node per --container-runtime-endpoint)', 'simulated')
    .option('--container-runtime-endpoint <endpoint...>', 'with --runtime cri: CRI sockets (unix:///…/containerd.sock), one node each')
    .action(async (flags: ApiserverFlags & { nodes: string; runtime: string; containerRuntimeEndpoint?: string[] }) => {
      const cri = flags.runtime === 'cri' ? (flags.containerRuntimeEndpoint ?? []) : undefined;
      if (cri?.length === 0) {
        console.error('skiff server: --runtime cri needs --container-runtime-endpoint unix:///…/containerd.sock (one node per endpoint)');
        process.exitCode = 2;
        return;
      }
      if (flags.runtime !== 'simulated' && flags.runtime !== 'process' && !cri) {
        console.error(`skiff server: --runtime ${flags.runtime}: unknown runtime; --runtime simulated, process and cri are available`);
        process.exitCode = 2;
        return;
      }
      const nodes = Number(flags.nodes);
      if (!Number.isInteger(nodes) || nodes < 0 || (flags.runtime === 'process' && nodes > 1)) {
        const want = flags.runtime === 'process' ? '0 or 1 with --runtime process' : 'a non-negative integer';
        console.error(`skiff server: --nodes must be ${want}, got ${JSON.stringify(flags.nodes)}`);
        process.exitCode = 2;
        return;
      }
      const signal = stopOnSignals();
      const started = Date.now();
      const where = flags.storage === 'etcd' ? `etcd at ${flags.etcdEndpoints ?? ''}` : `SQLite in ${resolve(flags.dataDir)}`;
      console.log(`skiff server: starting storage (${where}) and the API server`);
      // Simulated and process nodes answer pods/log on one in-process endpoint; CRI nodes each on the port their Node reports.
      const endpoint: KubeletEndpointHolder = { port: 0 };
      const server = await startApiserver(flags, signal, cri ? undefined : endpoint);
      console.log(`skiff server: API server ready at ${server.url}`);
      console.log('skiff server: starting the controller-manager and the scheduler');
      const budgets = inProcessBudgets(Number(flags.maxRequestsInflight), Number(flags.maxMutatingRequestsInflight));
      // Each component stops on a signal of its own, so none pays for the others' listeners.
      startInProcessControllers(server, budgets.controllerManager, childSignal(signal));
      startInProcessScheduler(server, budgets.scheduler, childSignal(signal));
      const nodesSignal = childSignal(signal);
      if (cri) await startServerCriKubelets(server, cri, flags.dataDir, nodesSignal);
      else {
        if (nodes > 0) console.log(`skiff server: starting ${nodes} ${flags.runtime} kubelet(s): ${nodes === 1 ? 'node-1' : `node-1 … node-${nodes}`}`);
        await startInProcessKubelets({ server, dataDir: flags.dataDir, count: nodes, runtime: flags.runtime as 'simulated' | 'process', endpoint, signal: nodesSignal, maxInflight: budgets.nodes });
      }
      console.log(
        [
          `skiff server: serving ${server.url} (ready in ${Date.now() - started} ms); in another terminal:`,
          `  export KUBECONFIG=${resolve(server.kubeconfigs?.admin ?? '')}`,
        ].join('\n'),
      );
    });
}
