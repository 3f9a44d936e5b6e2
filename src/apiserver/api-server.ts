import { randomUUID } from 'node:crypto';
import type { Namespace, Node } from 'kubernetes-types/core/v1.js';
import { setMaxListeners } from 'node:events';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { allKinds, ANY_PATCH_META, ApiError, applyDefaults, SYSTEM_PRIORITY_CLASSES, type KindInfo } from '../api/index.js';
import { realClock, type Clock } from '../lib/index.js';
import type { Storage } from '../storage/index.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import {
  BearerTokenAuthenticator,
  InvalidCredentialsError,
  UnionTokenAuthenticator,
  TokenFileAuthenticator,
  UnionAuthenticator,
  withAuthenticatedGroup,
  X509Authenticator,
  type Authenticator,
  type TokenAuthenticator,
  type UserInfo,
} from './authn/index.js';
import { feedNodeGraph, impersonate, impersonationHeaders, NodeGraph, parseAuthorizationModes, reconcileBootstrapPolicy, type AuthorizationMode } from './authz/index.js';
import { buildAuthorization, type Authorization } from './authorization.js';
import { Discovery } from './discovery/discovery.js';
import { ResourceHandler } from './handlers/resource-handler.js';
import { InflightLimiter } from './http/inflight-limiter.js';
import { ApiMetrics } from './metrics/api-metrics.js';
import { AuditLog, AuditPolicyChecker, WatchDeliveryRing, type AuditPolicy } from './audit/index.js';
import { RequestTracker } from './request-tracker.js';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { BINDING_KIND, handleReview, REVIEW_KINDS } from './handlers/review-handler.js';
import { type KubeletEndpoint, servePodLog } from './handlers/pod-log-handler.js';
import type { ServerRequest, ServerResponse } from './http/http-types.js';
import { exchangeInProcess, type InProcessRequest, type InProcessResponse } from './http/in-process.js';
import { authorizationName, parseRequestInfo } from './http/request-info.js';
import { splitRequestTarget } from './http/request-path.js';
import { writeError, writeJson } from './http/respond.js';
import { OpenApiService } from './openapi/openapi-service.js';
import { ensurePki, writeComponentKubeconfigs, type ComponentKubeconfigs, type Pki } from './pki/index.js';
import { eventsV1Conversion } from './registry/event-conversion.js';
import type { NamespacePhase, ResourceDefinition, StoreEnvironment } from './registry/resource-definition.js';
import { ResourceStore } from './registry/resource-store.js';
import { strategies } from './registry/strategies.js';
import { ManagedFieldsTracker } from './registry/managed-fields-tracker.js';
import { fieldSchemaFor } from './openapi/field-schema-of.js';
import { loadDefinitions } from './openapi/load-definitions.js';
import { ClusterIPAllocator, NodePortAllocator } from './registry/service-allocators.js';
import { ensureKubernetesService } from './registry/kubernetes-service.js';
import { validateKind } from './registry/validate-kind.js';
import { versionInfo } from './version-info.js';
import {
  admit,
  defaultTolerationSeconds,
  enabledAdmissionPlugins,
  priorityAdmission,
  nodeRestriction,
  serviceAccountAdmission,
  type MutatingAdmissionPlugin,
} from './admission/index.js';
import { JwtSigner, ServiceAccountTokenAuthenticator, TokenIssuer, type LiveObject } from './serviceaccount/index.js';
import { serveTrace, TRACE_KIND } from './trace/trace-handler.js';
import { TRACE_GROUP } from './trace/build-trace.js';

export interface ApiServerOptions {
  readonly dataDir: string;
  readonly storage: Storage;
  /** 0 picks a free port. */
  readonly port: number;
  readonly bindAddress?: string;
  /** The address clients are told to use (discovery, kubeconfigs); defaults to the bind address or 127.0.0.1. */
  readonly advertiseAddress?: string;
  readonly tlsSans?: readonly string[];
  /** upstream's --token-auth-file. */
  readonly tokenAuthFile?: string;
  /** --event-ttl in seconds (default 3600). */
  readonly eventTtlSeconds?: number;
  /** Events each watch cache keeps for resuming watchers (default 10,000). */
  readonly watchCacheSize?: number;
  /** --service-cluster-ip-range (default 10.96.0.0/12). */
  readonly serviceClusterIPRange?: string;
  /** --service-node-port-range (default 30000-32767). */
  readonly serviceNodePortRange?: string;
  /** --max-requests-inflight (400) and --max-mutating-requests-inflight (200); 0 = no limit. */
  readonly maxRequestsInflight?: number;
  readonly maxMutatingRequestsInflight?: number;
  /** --request-timeout in ms (60 s): a non-watch request still running then is answered 504. */
  readonly requestTimeoutMs?: number;
  /** --shutdown-delay-duration in ms: how long /readyz fails before the server stops accepting (default 0). */
  readonly shutdownDelayMs?: number;
  /** How long a shutdown waits for in-flight requests to finish (default 60 s). */
  readonly shutdownGraceMs?: number;
  /** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds (300 each). */
  readonly defaultNotReadyTolerationSeconds?: number;
  readonly defaultUnreachableTolerationSeconds?: number;
  /** --enable-admission-plugins and --disable-admission-plugins: added to and taken from the default plugins. */
  readonly enableAdmissionPlugins?: readonly string[];
  readonly disableAdmissionPlugins?: readonly string[];
  /** --service-account-issuer: the first issues new tokens, all are accepted (default https://kubernetes.default.svc.cluster.local). */
  readonly serviceAccountIssuers?: readonly string[];
  /** --api-audiences (default: the issuers). */
  readonly apiAudiences?: readonly string[];
  /** --service-account-max-token-expiration in seconds (0: no limit). */
  readonly serviceAccountMaxTokenExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (default true). */
  readonly serviceAccountExtendTokenExpiration?: boolean;
  /** --authorization-mode: the authorizers, in order (default Node, RBAC). */
  readonly authorizationModes?: readonly AuthorizationMode[];
  /** Where a node's kubelet is reached for pods/log (`skiff server`: its in-process endpoint); default InternalIP:Port. */
  readonly kubeletEndpoint?: (node: Node) => KubeletEndpoint | undefined;
  /** --audit-policy-file, parsed: the level the audit log file gives each request; absent: every request at Metadata. */
  readonly auditPolicy?: AuditPolicy;
  /** --audit-log-path: default DIR/audit.log; `-` is standard output; '' writes no file (the in-memory ring is always kept). */
  readonly auditLogPath?: string;
  /** --audit-log-maxsize in MB (default 100; 0: 100). */
  readonly auditLogMaxSizeMB?: number;
  /** --audit-log-maxbackup (default 3; 0 keeps every rotated file). */
  readonly auditLogMaxBackups?: number;
  /** --audit-log-maxage in days: rotated files older than this are removed (default 0: kept). */
  readonly auditLogMaxAgeDays?: number;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

/** upstream's Forbidden answer: `User "x" cannot list resource "pods" in API group "" in the namespace "default"`. */
function forbidden(user: UserInfo, info: ReturnType<typeof parseRequestInfo>, reason: string): ApiError {
  const suffix = reason ? `: ${reason}` : '';
  if (!info.isResourceRequest) {
    return new ApiError({ code: 403, reason: 'Forbidden', message: `forbidden: User "${user.username}" cannot ${info.verb} path "${info.path}"${suffix}`, details: {} });
  }
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const scope = info.namespace ? ` in the namespace "${info.namespace}"` : ' at the cluster scope';
  return ApiError.forbidden({ group: info.apiGroup, resource: info.resource }, info.name, `User "${user.username}" cannot ${info.verb} resource "${resource}" in API group "${info.apiGroup}"${scope}${suffix}`);
}

/** Subresources this server implements (the kinds table lists more, such as pods/log, for later). */
const SERVED_SUBRESOURCES = new Set(['status', 'scale', 'binding', 'eviction', 'finalize', 'token']);
/** While draining, how long no new request must arrive before the remaining connections are closed. */
const DRAIN_QUIET_MS = 150;
const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
const UNAUTHENTICATED_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

/**
 * The API server: HTTPS (HTTP/1.1 and HTTP/2) with x509 and token authentication, discovery, OpenAPI, and the REST
 * verbs of every served kind over a watch cache per resource, backed by a Storage.
 */
export class ApiServer {
  private server: Http2SecureServer | undefined;
  private readonly stores = new Map<string, ResourceStore>();
  private readonly shutdown = new AbortController();
  private readonly cacheRuns: Promise<void>[] = [];
  private readonly clock: Clock;
  private authenticator: Authenticator | undefined;
  private tokens: TokenAuthenticator | undefined;
  private tokenFile: TokenAuthenticator | undefined;
  private serviceAccountTokens: ServiceAccountTokenAuthenticator | undefined;
  private tokenIssuer: TokenIssuer | undefined;
  private readonly apiAudiences: readonly string[];
  /** The admission plugins that run, in order (NamespaceLifecycle is the store's own check). */
  private readonly enabledAdmission: readonly string[];
  private authorization: Authorization | undefined;
  private readonly nodeGraph = new NodeGraph();
  private readonly clusterIPs: ClusterIPAllocator;
  private readonly managedFields: ManagedFieldsTracker;
  private readonly nodePorts: NodePortAllocator;
  private pki: Pki | undefined;
  private openapi: OpenApiService | undefined;
  private discovery: Discovery | undefined;
  private handler: ResourceHandler | undefined;
  private address = '';
  private advertiseIP = '127.0.0.1';
  private readyFlag = false;
  private markReady: () => void = () => {};
  private readonly readyPromise = new Promise<void>((resolve) => (this.markReady = resolve));
  private readonly sockets = new Set<{ destroy(): void }>();
  private readonly sessions = new Set<{ close(): void }>();
  private readonly inflight: InflightLimiter;
  private draining = false;
  readonly metrics = new ApiMetrics();
  /** The audit log (DIR/audit.log by default, at the levels of the audit policy) and its in-memory ring (Metadata level, every request). */
  readonly audit: AuditLog;
  /** Every watch event sent to a client, in memory only (what `skiff trace` reads for the watch hops). */
  readonly watchDeliveries = new WatchDeliveryRing(10_000);
  private readonly tracker: RequestTracker;
  private requestsSeen = 0;
  kubeconfigs: ComponentKubeconfigs | undefined;

  constructor(private readonly opts: ApiServerOptions) {
    this.clock = opts.clock ?? realClock;
    this.enabledAdmission = enabledAdmissionPlugins(opts.enableAdmissionPlugins, opts.disableAdmissionPlugins);
    this.apiAudiences = opts.apiAudiences?.length ? opts.apiAudiences : (opts.serviceAccountIssuers?.length ? opts.serviceAccountIssuers : [DEFAULT_SERVICE_ACCOUNT_ISSUER]);
    this.clusterIPs = new ClusterIPAllocator(opts.serviceClusterIPRange);
    this.inflight = new InflightLimiter({ readOnly: opts.maxRequestsInflight ?? 400, mutating: opts.maxMutatingRequestsInflight ?? 200 });
    const auditLogPath = opts.auditLogPath ?? join(opts.dataDir, 'audit.log');
    this.audit = new AuditLog({
      path: auditLogPath === '' ? undefined : auditLogPath,
      policy: opts.auditPolicy && new AuditPolicyChecker(opts.auditPolicy),
      maxSizeBytes: (opts.auditLogMaxSizeMB || 100) * 1024 * 1024,
      maxBackups: opts.auditLogMaxBackups,
      maxAgeMs: (opts.auditLogMaxAgeDays ?? 0) * 24 * 3600 * 1000,
      clock: this.clock,
      onError: (e) => opts.log?.(`audit log: ${String(e)}`),
    });
    this.tracker = new RequestTracker({
      inflight: this.inflight,
      metrics: this.metrics,
      audit: this.audit,
      clock: this.clock,
      requestTimeoutMs: opts.requestTimeoutMs ?? 60_000,
      isServed: (info) => this.stores.has(`${info.apiGroup}/${info.apiVersion}/${info.resource}`),
      draining: () => this.draining,
    });
    this.managedFields = new ManagedFieldsTracker((g, v, k) => fieldSchemaFor(loadDefinitions(), g, v, k), this.clock);
    this.nodePorts = new NodePortAllocator(opts.serviceNodePortRange);
    // Every watch cache and every open watch listens for shutdown.
    setMaxListeners(0, this.shutdown.signal);
  }

  /** Creates certificates, starts the watch caches and listens; resolves once the port is bound. */
  async start(): Promise<void> {
    const opts = this.opts;
    const advertise = opts.advertiseAddress ?? (opts.bindAddress && opts.bindAddress !== '0.0.0.0' && opts.bindAddress !== '::' ? opts.bindAddress : '127.0.0.1');
    // DIR/kubeconfig.yaml exists only while a server answers: removed now, written (atomically) once ready.
    await rm(join(opts.dataDir, 'kubeconfig.yaml'), { force: true });
    this.pki = await ensurePki({ dataDir: opts.dataDir, hosts: [advertise, ...(opts.tlsSans ?? [])] });
    this.setUpServiceAccountTokens(this.pki.serviceAccountKeyPem);
    const tokenFile = opts.tokenAuthFile ? await TokenFileAuthenticator.load(opts.tokenAuthFile) : undefined;
    this.tokenFile = tokenFile;
    this.tokens = new UnionTokenAuthenticator([...(tokenFile ? [tokenFile] : []), this.serviceAccountTokens!]);
    this.authenticator = new UnionAuthenticator([new X509Authenticator({ clock: this.clock }), new BearerTokenAuthenticator(this.tokens)]);

    const kinds = allKinds();
    this.buildStores(kinds);
    this.authorization = buildAuthorization(this.opts.authorizationModes ?? parseAuthorizationModes('Node,RBAC'), this.stores, this.nodeGraph);
    this.openapi = new OpenApiService([...kinds, BINDING_KIND, ...REVIEW_KINDS]);
    this.discovery = new Discovery([...kinds, BINDING_KIND, ...REVIEW_KINDS, TRACE_KIND], () => this.address);
    this.handler = new ResourceHandler({
      stores: this.stores,
      schemaFor: (g, v, k) => this.openapi!.structuralSchema(g, v, k),
      shutdown: this.shutdown.signal,
      now: () => this.clock.now(),
      deliveries: this.watchDeliveries,
      patchMetaFor: (g, v, k) => this.openapi!.patchMeta(g, v, k) ?? ANY_PATCH_META,
      fieldManager: this.managedFields,
      tokenIssuer: this.tokenIssuer,
    });
    for (const store of new Set(this.stores.values())) {
      this.cacheRuns.push(store.cacher.run(this.shutdown.signal));
    }
    this.cacheRuns.push(feedNodeGraph(this.stores.get('/v1/pods')!, this.nodeGraph, this.shutdown.signal, (e) => this.opts.log?.(`node authorizer graph: ${String(e)}`)));
    this.collectStoreMetrics();

    this.server = createSecureServer(
      {
        key: this.pki.servingKeyPem,
        cert: this.pki.servingCertPem,
        ca: [this.pki.caCertPem],
        requestCert: true,
        rejectUnauthorized: false,
        allowHTTP1: true,
        minVersion: 'TLSv1.2',
      },
      (req, res) => void this.serve(req as unknown as ServerRequest, res as unknown as ServerResponse),
    );
    // HTTP/1.1 requests whose headers or body trickle in are cut off (Node's headersTimeout is 60 s); HTTP/2 streams
    // are left alone, as an idle session may be a quiet watch.
    (this.server as unknown as { requestTimeout: number }).requestTimeout = Math.max(60_000, this.opts.requestTimeoutMs ?? 60_000);
    this.server.on('session', (session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    this.server.on('secureConnection', (socket) => {
      socket.disableRenegotiation();
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(opts.port, opts.bindAddress ?? '127.0.0.1', () => resolve());
    });
    const port = (this.server.address() as AddressInfo).port;
    this.advertiseIP = advertise;
    this.address = `${advertise.includes(':') ? `[${advertise}]` : advertise}:${port}`;
    this.kubeconfigs = await writeComponentKubeconfigs({ dataDir: opts.dataDir, pki: this.pki, server: this.url, only: 'components' });
    this.becomeReady().catch((err: unknown) => this.opts.log?.(`start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
  }

  /** The server's URL as clients reach it. */
  get url(): string {
    return `https://${this.address}`;
  }

  /** The cluster CA (PEM) that verifies this server, once started. */
  get caCertPem(): string | undefined {
    return this.pki?.caCertPem;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Resolves when storage and every watch cache are ready and the default namespaces exist. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /**
   * How a component in this process calls the API as `user`: the request takes the same path as one over HTTPS
   * (authorization, admission, defaulting, validation, limits, audit), only without TLS, a socket or credentials.
   */
  inProcess(user: UserInfo): (req: InProcessRequest) => Promise<InProcessResponse> {
    // Once the server has stopped (storage may be closing), a component still finishing its work is told so.
    const serve = (rq: ServerRequest, rs: ServerResponse): Promise<void> => {
      if (!this.shutdown.signal.aborted) return this.serve(rq, rs, user);
      writeError(rq, rs, ApiError.serviceUnavailable('the API server has stopped'));
      return Promise.resolve();
    };
    return (req) => exchangeInProcess(serve, req);
  }

  /** The store of a resource, for in-process components. */
  store(group: string, version: string, resource: string): ResourceStore | undefined {
    return this.stores.get(`${group}/${version}/${resource}`);
  }

  /**
   * Graceful shutdown: /readyz fails first (for --shutdown-delay-duration), then no new connection is accepted,
   * HTTP/2 clients get GOAWAY and HTTP/1.1 responses `Connection: close`, in-flight requests finish (within the
   * grace period), watches end cleanly so their clients resume from their last resourceVersion, and only then are
   * the remaining connections closed.
   */
  async stop(): Promise<void> {
    this.readyFlag = false;
    const delay = this.opts.shutdownDelayMs ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    this.draining = true;
    // Stop accepting connections but keep the open ones: Http2SecureServer.close() would also drop every idle
    // HTTP/1.1 keep-alive connection at once, resetting requests a client is sending on one right now.
    const server = this.server;
    const closed = server ? new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve())) : Promise.resolve();
    for (const session of this.sessions) session.close();
    // Every answer now says `Connection: close` (HTTP/2 clients got GOAWAY), so clients move off their connections
    // as their requests complete; requests already on their way are still answered. Wait for a quiet interval with
    // nothing new in flight (bounded by the grace period) before the remaining connections are closed.
    const deadline = Date.now() + (this.opts.shutdownGraceMs ?? 60_000);
    for (let seen = -1; seen !== this.requestsSeen && Date.now() < deadline; ) {
      seen = this.requestsSeen;
      await this.inflight.idle(deadline - Date.now());
      await new Promise((r) => setTimeout(r, DRAIN_QUIET_MS));
    }
    this.shutdown.abort();
    await Promise.allSettled(this.cacheRuns);
    for (const s of this.sockets) s.destroy();
    await closed;
    await this.audit.close();
  }

  private async becomeReady(): Promise<void> {
    await Promise.all([...this.stores.values()].map((s) => s.cacher.whenReady()));
    const services = this.stores.get('/v1/services')!;
    for (const svc of services.cacher.list({})) services.def.strategy.reserve?.(svc.object);
    const namespaces = this.stores.get('/v1/namespaces')!;
    const ensureNamespace = async (name: string) => {
      try {
        await namespaces.create('', { metadata: { name } });
      } catch (err) {
        if (!(err instanceof ApiError && err.status.code === 409)) throw err;
      }
    };
    // Concurrently: the bootstrap writes share the storage's group commits.
    const rbac = (resource: string) => this.stores.get(`rbac.authorization.k8s.io/v1/${resource}`)!;
    await Promise.all([
      ...DEFAULT_NAMESPACES.map(ensureNamespace),
      this.ensureSystemPriorityClasses(),
      reconcileBootstrapPolicy(rbac('clusterroles'), rbac('clusterrolebindings'), (m) => this.opts.log?.(m)),
    ]);
    try {
      await ensureKubernetesService(this.stores, this.clusterIPs.first(), this.advertiseIP, this.port, (m) => this.opts.log?.(m));
    } catch (err) {
      this.opts.log?.(`could not reconcile the kubernetes Service: ${err instanceof Error ? err.message : String(err)}`);
    }
    await writeComponentKubeconfigs({ dataDir: this.opts.dataDir, pki: this.pki!, server: this.url, only: 'admin' });
    this.readyFlag = true;
    this.markReady();
  }

  private buildStores(kinds: readonly KindInfo[]): void {
    const byResource = strategies({ eventTtlSeconds: this.opts.eventTtlSeconds, clusterIPs: this.clusterIPs, nodePorts: this.nodePorts });
    const admission = this.admissionPlugins();
    const restrictNodes = !this.enabledAdmission.includes('NodeRestriction') ? undefined : nodeRestriction({
      nodeUid: async (name) => {
        try {
          return (await this.stores.get('/v1/nodes')!.get('', name)).object.metadata?.uid;
        } catch (err) {
          if (err instanceof ApiError && err.status.code === 404) return undefined;
          throw err;
        }
      },
    });
    const env: StoreEnvironment = {
      storage: this.opts.storage,
      clock: this.clock,
      defaults: (g, v, k, obj) => applyDefaults(g, v, k, obj),
      validate: validateKind,
      managedFields: (def, old, next, manager, subresource) => this.managedFields.update(def, old, next, manager, subresource),
      namespacePhase: (ns) => this.namespacePhase(ns),
      validateWrite: async (attrs) => {
        await restrictNodes?.(attrs, attrs.user);
        await this.authorization?.escalation?.check(attrs, attrs.user);
      },
      admitCreate: async (def, namespace, object) => {
        await admit(admission, { operation: 'CREATE', group: def.group, version: def.version, kind: def.kind, resource: def.resource, subresource: '', namespace, object });
        // What admission added is defaulted too, as upstream defaults every object it reads back from storage.
        applyDefaults(def.group, def.version, def.kind, object);
      },
    };
    for (const k of kinds) {
      const def: ResourceDefinition = {
        group: k.group,
        version: k.version,
        kind: k.kind,
        resource: k.resource,
        namespaced: k.namespaced,
        keyPrefix: `${k.storagePrefix}/`,
        strategy: byResource.get(`${k.group}/${k.resource}`) ?? byResource.get('default')!,
        subresources: k.subresources.map((s) => s.name).filter((s) => SERVED_SUBRESOURCES.has(s)),
        conversion: k.group === 'events.k8s.io' ? eventsV1Conversion : undefined,
      };
      this.stores.set(`${k.group}/${k.version}/${k.resource}`, ResourceStore.create(def, env, this.opts.watchCacheSize));
    }
  }

  /** upstream's bootstrap-system-priority-classes: system-node-critical and system-cluster-critical exist. */
  private async ensureSystemPriorityClasses(): Promise<void> {
    const store = this.stores.get('scheduling.k8s.io/v1/priorityclasses')!;
    const missing = SYSTEM_PRIORITY_CLASSES.filter((pc) => !store.cacher.get(store.key('', pc.name)));
    await Promise.all(
      missing.map(async (pc) => {
        try {
          await store.create('', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value, description: pc.description });
        } catch (err) {
          if (!(err instanceof ApiError && err.status.code === 409)) throw err;
        }
      }),
    );
  }

  /** The mutating admission plugins the flags enable, in upstream's order; names this server does not implement do nothing. */
  private admissionPlugins(): MutatingAdmissionPlugin[] {
    const stores = this.stores;
    const priorityClasses = 'scheduling.k8s.io/v1/priorityclasses';
    const implemented: Record<string, () => MutatingAdmissionPlugin> = {
      ServiceAccount: () => serviceAccountAdmission((ns, name) => this.admissionRead('/v1/serviceaccounts', ns, name)),
      Priority: () =>
        priorityAdmission({
          get: (name) => this.admissionRead(priorityClasses, '', name),
          list: () => stores.get(priorityClasses)!.cacher.list({}).map((o) => o.object as unknown as PriorityClass),
        }),
      DefaultTolerationSeconds: () =>
        defaultTolerationSeconds({ notReadySeconds: this.opts.defaultNotReadyTolerationSeconds, unreachableSeconds: this.opts.defaultUnreachableTolerationSeconds }),
    };
    return this.enabledAdmission.flatMap((name) => implemented[name]?.() ?? []);
  }

  /**
   * An object as admission plugins read it, like upstream's from their informers' listers: from the watch cache, with a
   * consistent read only for one the cache has not seen yet; undefined when there is none.
   */
  private async admissionRead<T>(resource: string, namespace: string, name: string): Promise<T | undefined> {
    const store = this.stores.get(resource)!;
    const cached = store.cacher.get(store.key(namespace, name));
    if (cached) return cached.object as T;
    try {
      return (await store.get(namespace, name)).object as T;
    } catch (err) {
      if (err instanceof ApiError && err.status.code === 404) return undefined;
      throw err;
    }
  }

  private async namespacePhase(namespace: string): Promise<NamespacePhase> {
    if (!this.enabledAdmission.includes('NamespaceLifecycle')) return 'Active';
    const ns = await this.admissionRead<Namespace>('/v1/namespaces', '', namespace);
    if (!ns) return 'Missing';
    return ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp ? 'Terminating' : 'Active';
  }

  private async serve(req: ServerRequest, res: ServerResponse, inProcessUser?: UserInfo): Promise<void> {
    // Requests from components in this process hold no connection to drain; they do not keep a shutdown waiting.
    if (!inProcessUser) this.requestsSeen++;
    const auditID = randomUUID();
    const receivedAt = this.clock.now();
    res.setHeader('Audit-Id', auditID);
    try {
      const url = splitRequestTarget(req.url ?? '/');
      const path = url.path;
      if (UNAUTHENTICATED_PATHS.has(path)) return this.serveHealth(req, res, path);
      const authenticated = inProcessUser ?? this.authenticate(req);
      if (!authenticated) {
        this.tracker.unauthenticated(req, auditID, receivedAt);
        throw ApiError.unauthorized('Unauthorized');
      }
      const rawHeaders = inProcessUser ? [] : ((req as { rawHeaders?: string[] }).rawHeaders ?? []);
      const user = await impersonate(authenticated, impersonationHeaders(rawHeaders), this.authorization!.authorizer);
      const openapi = this.openapi!.handle(path, url.query, req.headers);
      if (openapi) {
        res.writeHead(openapi.status, openapi.headers);
        res.end(openapi.body);
        return;
      }
      const info = parseRequestInfo(req.method ?? 'GET', path, url.query);
      if (!this.tracker.begin(req, res, user, info, auditID, receivedAt)) return;
      const { decision, reason } = await this.authorization!.authorizer.authorize(
        info.isResourceRequest
          ? {
              user,
              verb: info.verb,
              resourceRequest: true,
              namespace: info.namespace,
              apiGroup: info.apiGroup,
              apiVersion: info.apiVersion,
              resource: info.resource,
              subresource: info.subresource,
              name: authorizationName(info, url.query),
              fieldSelector: url.query.get('fieldSelector') ?? undefined,
            }
          : { user, verb: info.verb, resourceRequest: false, path },
      );
      if (decision !== 'Allow') throw forbidden(user, info, reason);
      if (!info.isResourceRequest && path === '/metrics' && req.method === 'GET') {
        const { contentType, body } = await this.metrics.render();
        res.writeHead(200, { 'Content-Type': contentType });
        res.end(body);
        return;
      }
      if (!info.isResourceRequest) {
        const discovery = req.method === 'GET' ? this.discovery!.handle(path, req.headers.accept) : undefined;
        if (!discovery) throw new ApiError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
        res.writeHead(200, { 'Content-Type': discovery.contentType, Vary: 'Accept' });
        res.end(discovery.body);
        return;
      }
      const reviewToken = (token: string, audiences: readonly string[]) => this.reviewToken(token, audiences);
      if (info.apiGroup === TRACE_GROUP) return serveTrace(req, res, info, this.audit, this.watchDeliveries);
      if (info.apiGroup === '' && info.resource === 'pods' && info.subresource === 'log' && info.name !== '') {
        if (info.verb !== 'get') throw ApiError.methodNotSupported({ group: '', resource: 'pods/log' }, info.verb);
        return await servePodLog(req, res, info.namespace, info.name, url.query, {
          pods: this.stores.get('/v1/pods')!,
          nodes: this.stores.get('/v1/nodes')!,
          clientCertPem: this.pki!.kubeletClientCertPem,
          clientKeyPem: this.pki!.kubeletClientKeyPem,
          kubeletEndpoint: this.opts.kubeletEndpoint,
          shutdown: this.shutdown.signal,
        });
      }
      const { authorizer, rulesFor } = this.authorization!;
      if (await handleReview(req, res, info, { user, authorizer, rulesFor, reviewToken })) return;
      await this.handler!.handle(req, res, info, url.query, user);
    } catch (err) {
      writeError(req, res, err, (e) => this.opts.log?.(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    }
  }

  private collectStoreMetrics(): void {
    const reported = new Map<ResourceStore, number>();
    this.metrics.onCollect(() => {
      for (const store of this.stores.values()) {
        const def = store.def;
        this.metrics.setStorageObjects(def.group ? `${def.resource}.${def.group}` : def.resource, store.cacher.size());
        const sent = store.watchEventsSent;
        this.metrics.addWatchEvents(def.group, def.version, def.kind, sent - (reported.get(store) ?? 0));
        reported.set(store, sent);
      }
    });
  }

  /** The service account token signer, issuer and authenticator (which reads bound objects from the watch caches). */
  private setUpServiceAccountTokens(keyPem: string): void {
    const signer = new JwtSigner(keyPem);
    const issuers = this.opts.serviceAccountIssuers?.length ? this.opts.serviceAccountIssuers : [DEFAULT_SERVICE_ACCOUNT_ISSUER];
    this.tokenIssuer = new TokenIssuer({
      signer,
      issuer: issuers[0]!,
      apiAudiences: this.apiAudiences,
      extendExpiration: this.opts.serviceAccountExtendTokenExpiration ?? true,
      maxExpirationSeconds: this.opts.serviceAccountMaxTokenExpirationSeconds ?? 0,
      clock: this.clock,
    });
    const live = (resource: string, namespace: string, name: string): LiveObject | undefined => {
      const store = this.stores.get(`/v1/${resource}`)!;
      const meta = store.cacher.get(store.key(namespace, name))?.object.metadata;
      return meta ? { uid: meta.uid ?? '', deletionTimestamp: meta.deletionTimestamp ?? undefined } : undefined;
    };
    this.serviceAccountTokens = new ServiceAccountTokenAuthenticator({
      signer,
      issuers,
      apiAudiences: this.apiAudiences,
      clock: this.clock,
      log: this.opts.log,
      lookup: {
        serviceAccount: (ns, name) => live('serviceaccounts', ns, name),
        pod: (ns, name) => live('pods', ns, name),
        secret: (ns, name) => live('secrets', ns, name),
        node: (name) => live('nodes', '', name),
      },
    });
  }

  /**
   * TokenReview: who a token stands for, for the audiences asked about (the API server's when none). Tokens that know no
   * audiences (the token file's) are valid for the API server's audiences, as upstream's audience-agnostic wrapper says.
   */
  private reviewToken(token: string, audiences: readonly string[]): { user: UserInfo; audiences: string[] } | undefined {
    const wanted = audiences.length > 0 ? audiences : this.apiAudiences;
    const fileUser = this.tokenFile?.authenticateToken(token);
    if (fileUser) {
      const granted = wanted.filter((a) => this.apiAudiences.includes(a));
      return granted.length > 0 ? { user: withAuthenticatedGroup(fileUser), audiences: granted } : undefined;
    }
    const found = this.serviceAccountTokens?.authenticate(token, wanted);
    return found ? { user: withAuthenticatedGroup(found.user), audiences: found.audiences } : undefined;
  }

  private authenticate(req: ServerRequest): UserInfo | undefined {
    try {
      return this.authenticator!.authenticate(req as never);
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return undefined;
      throw err;
    }
  }

  private serveHealth(req: ServerRequest, res: ServerResponse, path: string): void {
    if (path === '/version') return writeJson(req, res, 200, versionInfo());
    const ok = path !== '/readyz' || this.readyFlag;
    res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end(ok ? 'ok' : '[-]informer-sync failed: the watch caches are not ready yet\nreadyz check failed');
  }
}

