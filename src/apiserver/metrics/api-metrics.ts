import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type RequestKind = 'readOnly' | 'mutating';

/** The resource a request addressed, in RequestInfo terms. */
export interface RequestTarget {
  /** RequestInfo verb: get, list, watch, create, update, patch, delete, deletecollection. */
  readonly verb: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespaced: boolean;
  readonly named: boolean;
  /** A patch sent as application/apply-patch+yaml; reported as APPLY. */
  readonly apply?: boolean;
}

export interface RequestObservation extends RequestTarget {
  readonly dryRun: boolean;
  readonly code: number;
  readonly seconds: number;
}

export type CollectHook = () => void | Promise<void>;

const COMPONENT = 'apiserver';

// Upstream keeps these consistent with etcd_request_duration_seconds.
const REQUEST_DURATION_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
const WATCH_EVENT_SIZE_BUCKETS = [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];

const REQUEST_LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
const LONG_RUNNING_LABELS = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
const WATCH_LABELS = ['group', 'version', 'kind'] as const;

const VERBS: Readonly<Record<string, string>> = {
  get: 'GET',
  list: 'LIST',
  watch: 'WATCH',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETECOLLECTION',
};

/** Upstream's metric verb: uppercase HTTP-style, APPLY for server-side apply, `other` for anything unknown. */
function metricVerb(verb: string, apply = false): string {
  if (apply && verb === 'patch') return 'APPLY';
  return VERBS[verb] ?? 'other';
}

/** Upstream's CleanScope for resource requests. */
function metricScope(verb: string, namespaced: boolean, named: boolean): 'resource' | 'namespace' | 'cluster' {
  if (named || verb === 'create') return 'resource';
  return namespaced ? 'namespace' : 'cluster';
}

interface BoundRequest {
  readonly total: Counter.Internal;
  readonly duration: Histogram.Internal<string>;
}

interface BoundWatch {
  readonly events: Counter.Internal;
  readonly sizes: Histogram.Internal<string>;
}

/**
 * The API server's Prometheus metrics, named and labelled as in kube-apiserver,
 * on a registry of its own.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  private readonly requestTotal: Counter<string>;
  private readonly requestDuration: Histogram<string>;
  private readonly longRunningRequests: Gauge<string>;
  private readonly inflight: Gauge<string>;
  private readonly watchEvents: Counter<string>;
  private readonly watchEventSizes: Histogram<string>;
  private readonly storageObjects: Gauge<string>;

  private readonly boundRequests = new Map<string, BoundRequest>();
  private readonly boundWatches = new Map<string, BoundWatch>();
  private readonly collectHooks: CollectHook[] = [];
  private readonly current: Record<RequestKind, number> = { readOnly: 0, mutating: 0 };
  // Upstream reports the peak per interval rather than a momentary sample; ours is the peak since the last scrape.
  private readonly peak: Record<RequestKind, number> = { readOnly: 0, mutating: 0 };

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requestTotal = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: [...REQUEST_LABELS, 'code'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames: REQUEST_LABELS,
      buckets: REQUEST_DURATION_BUCKETS,
      registers,
    });
    this.longRunningRequests = new Gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
      labelNames: LONG_RUNNING_LABELS,
      registers,
    });
    this.inflight = new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      labelNames: ['request_kind'],
      registers,
    });
    this.watchEvents = new Counter({
      name: 'apiserver_watch_events_total',
      help: 'Number of events sent in watch clients',
      labelNames: WATCH_LABELS,
      registers,
    });
    this.watchEventSizes = new Histogram({
      name: 'apiserver_watch_events_sizes',
      help: 'Watch event size distribution in bytes',
      labelNames: WATCH_LABELS,
      buckets: WATCH_EVENT_SIZE_BUCKETS,
      registers,
    });
    this.storageObjects = new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind.',
      labelNames: ['resource'],
      registers,
    });
    this.inflight.set({ request_kind: 'readOnly' }, 0);
    this.inflight.set({ request_kind: 'mutating' }, 0);
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  requestStarted(kind: RequestKind): void {
    const now = ++this.current[kind];
    if (now > this.peak[kind]) this.peak[kind] = now;
  }

  requestFinished(kind: RequestKind): void {
    if (this.current[kind] > 0) this.current[kind]--;
  }

  observeRequest(o: RequestObservation): void {
    const verb = metricVerb(o.verb, o.apply);
    const scope = metricScope(o.verb, o.namespaced, o.named);
    const dryRun = o.dryRun ? 'All' : '';
    const key = `${verb}\n${dryRun}\n${o.group}\n${o.version}\n${o.resource}\n${o.subresource}\n${scope}\n${o.code}`;
    let bound = this.boundRequests.get(key);
    if (bound === undefined) {
      const values = [verb, dryRun, o.group, o.version, o.resource, o.subresource, scope, COMPONENT];
      bound = {
        total: this.requestTotal.labels(...values, String(o.code)),
        duration: this.requestDuration.labels(...values),
      };
      this.boundRequests.set(key, bound);
    }
    bound.total.inc();
    bound.duration.observe(o.seconds);
  }

  /** +1 when a long-running request (watch, exec, …) starts, -1 when it ends. */
  longRunning(target: RequestTarget, delta: number): void {
    this.longRunningRequests.inc(
      {
        verb: metricVerb(target.verb, target.apply),
        group: target.group,
        version: target.version,
        resource: target.resource,
        subresource: target.subresource,
        scope: metricScope(target.verb, target.namespaced, target.named),
        component: COMPONENT,
      },
      delta,
    );
  }

  /** Adds `count` watch events sent (the watch handler accumulates them cheaply and hands them over at collect time). */
  addWatchEvents(group: string, version: string, kind: string, count: number): void {
    if (count > 0) this.watchEvents.labels(group, version, kind).inc(count);
  }

  watchEvent(group: string, version: string, kind: string, bytes: number): void {
    const key = `${group}\n${version}\n${kind}`;
    let bound = this.boundWatches.get(key);
    if (bound === undefined) {
      bound = {
        events: this.watchEvents.labels(group, version, kind),
        sizes: this.watchEventSizes.labels(group, version, kind),
      };
      this.boundWatches.set(key, bound);
    }
    bound.events.inc();
    bound.sizes.observe(bytes);
  }

  /** `resource` is upstream's `<resource>.<group>` form, e.g. `pods` or `deployments.apps`. */
  setStorageObjects(resource: string, count: number): void {
    this.storageObjects.set({ resource }, count);
  }

  /** Runs `hook` before each render, e.g. to refresh setStorageObjects from the watch caches. Returns an unsubscribe. */
  onCollect(hook: CollectHook): () => void {
    this.collectHooks.push(hook);
    return () => {
      const i = this.collectHooks.indexOf(hook);
      if (i >= 0) this.collectHooks.splice(i, 1);
    };
  }

  /** Prometheus text exposition format 0.0.4. */
  async render(): Promise<{ contentType: string; body: string }> {
    for (const hook of this.collectHooks) await hook();
    for (const kind of ['readOnly', 'mutating'] as const) {
      this.inflight.set({ request_kind: kind }, this.peak[kind]);
      this.peak[kind] = this.current[kind];
    }
    const body = await this.registry.metrics();
    // prom-client spells NaN "Nan"; the text format says "NaN".
    return { contentType: this.registry.contentType, body: body.replace(/ Nan$/gm, ' NaN') };
  }
}
