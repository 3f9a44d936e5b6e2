import type { ObjectMeta, Status } from 'kubernetes-types/meta/v1.js';
import { ApiError, findKindByGVK, type StatusReason } from '../api/index.js';
import type { Transport, TransportRequest } from './transport.js';
import { decodeWatchEvents, type WatchEvent } from './watch-decoder.js';

/** Any Kubernetes object as the client sees it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** The REST coordinates of one resource. */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** Waits before each request; client-go's flowcontrol.RateLimiter. */
export interface RequestRateLimiter {
  take(signal?: AbortSignal): Promise<void>;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  limit?: number;
  continue?: string;
  timeoutSeconds?: number;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export interface PatchOptions extends WriteOptions {
  subresource?: string;
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RestClientOptions {
  /**
   * Sent as User-Agent unless a request sets its own; the API server names a write's field manager after it (the part
   * before the first '/') when the request names none, so components send `kube-controller-manager/…` and the like.
   */
  readonly userAgent?: string;
  /**
   * Requests (not watches) in flight at once; more wait their turn (default 100). client-go gets the same effect from
   * the stream limit of its one HTTP/2 connection; it keeps a burst of creates from overrunning the server's
   * max-requests-inflight and being answered 429.
   */
  readonly maxInflight?: number;
  /**
   * Share another client's in-flight budget instead of having one's own: clients of one process that stand for many
   * identities (`skiff server`'s nodes, each writing as itself) then stay within one connection's worth of requests.
   */
  readonly inflightOf?: RestClient;
  /** How often a 429 (or a 5xx with Retry-After) is retried after the server's Retry-After, as client-go does (10). */
  readonly maxRetries?: number;
  /** Applied to every request (client-go's QPS/Burst); none means no client-side limit. */
  readonly rateLimiter?: RequestRateLimiter;
  /** Namespace of the kubeconfig's context, for callers that want a default. */
  readonly namespace?: string;
}

/**
 * A JSON REST client for the Kubernetes API over a Transport. Every non-2xx answer rejects with an `ApiError` that
 * carries the server's Status (or one made from the status code when the body is no Status).
 */
export class RestClient {
  readonly namespace: string;
  private readonly slots: Semaphore;

  constructor(
    readonly transport: Transport,
    private readonly opts: RestClientOptions = {},
  ) {
    this.namespace = opts.namespace ?? 'default';
    this.slots = opts.inflightOf ? opts.inflightOf.slots : new Semaphore(opts.maxInflight ?? 100);
  }

  /** A typed client for one resource. */
  resource<T extends KubeObject>(type: ResourceType): ResourceClient<T> {
    return new ResourceClient<T>(this, type);
  }

  /** A typed client for a kind served by Skiff, by apiVersion and kind (`apps/v1`, `ReplicaSet`). */
  kind<T extends KubeObject>(apiVersion: string, kind: string): ResourceClient<T> {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const info = findKindByGVK(group, version, kind);
    if (!info) throw new Error(`unknown kind ${kind} in ${apiVersion}`);
    return this.resource<T>(info);
  }

  /** Sends one request and decodes the JSON answer. */
  async json<T>(req: TransportRequest): Promise<T> {
    return JSON.parse((await this.raw(req)).toString('utf8')) as T;
  }

  /** Sends one request and resolves with the body of its 2xx answer, undecoded (errors and retries as `json`). */
  async raw(req: TransportRequest): Promise<Buffer> {
    for (let attempt = 0; ; attempt++) {
      await this.opts.rateLimiter?.take(req.signal);
      await this.slots.acquire();
      let res;
      try {
        res = await this.transport.request(withDefaults(req, this.opts.userAgent));
      } finally {
        this.slots.release();
      }
      if (res.status >= 200 && res.status <= 299) return res.body;
      const retryAfter = Number(res.headers['retry-after'] ?? NaN);
      const retriable = res.status === 429 || (res.status >= 500 && Number.isFinite(retryAfter));
      if (!retriable || attempt >= (this.opts.maxRetries ?? 10) || req.signal?.aborted) throw errorFromResponse(res.status, res.body, req.method);
      await new Promise((r) => setTimeout(r, Math.min(Number.isFinite(retryAfter) ? retryAfter * 1000 : 1000, 10_000)));
    }
  }

  /** Opens a watch; the iteration ends when the server ends the watch or the signal aborts. */
  async *watchEvents<T>(req: TransportRequest): AsyncGenerator<WatchEvent<T>> {
    await this.opts.rateLimiter?.take(req.signal);
    const res = await this.transport.stream(withDefaults(req, this.opts.userAgent));
    if (res.status < 200 || res.status > 299) {
      const chunks: Buffer[] = [];
      for await (const c of res.body) if (Buffer.isBuffer(c)) chunks.push(c);
      throw errorFromResponse(res.status, Buffer.concat(chunks), req.method);
    }
    try {
      yield* decodeWatchEvents<T>(res.body);
    } catch (err) {
      if (req.signal?.aborted) return;
      throw err;
    }
  }
}

/** Admits `limit` holders at once, the rest in arrival order. */
class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  acquire(): Promise<void> | void {
    if (this.limit <= 0 || this.held < this.limit) {
      this.held++;
      return;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held--;
  }
}

/** The REST verbs of one resource. `namespace` is ignored for cluster-scoped resources; '' lists all namespaces. */
export class ResourceClient<T extends KubeObject> {
  private readonly apiVersion: string;

  constructor(
    private readonly client: RestClient,
    readonly type: ResourceType,
  ) {
    this.apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
  }

  get(namespace: string, name: string, signal?: AbortSignal): Promise<T> {
    return this.client.json<T>({ method: 'GET', url: this.path(namespace, name), signal });
  }

  list(namespace: string, opts: ListOptions = {}, signal?: AbortSignal): Promise<ObjectList<T>> {
    return this.client.json<ObjectList<T>>({ method: 'GET', url: this.path(namespace) + query({ ...opts }), signal });
  }

  watch(namespace: string, opts: WatchOptions, signal?: AbortSignal): AsyncGenerator<WatchEvent<T>> {
    return this.client.watchEvents<T>({ method: 'GET', url: this.path(namespace) + query({ ...opts, watch: true }), signal });
  }

  create(namespace: string, obj: T, opts: WriteOptions = {}, signal?: AbortSignal): Promise<T> {
    return this.client.json<T>({ method: 'POST', url: this.path(namespace) + query(writeQuery(opts)), ...jsonBody(this.typed(obj)), signal });
  }

  async update(namespace: string, obj: T, opts: WriteOptions = {}, signal?: AbortSignal): Promise<T> {
    return this.client.json<T>({ method: 'PUT', url: this.path(namespace, nameOf(obj)) + query(writeQuery(opts)), ...jsonBody(this.typed(obj)), signal });
  }

  /**
   * PUTs a body the caller encoded already (JSON of the whole object, apiVersion and kind included) and resolves with
   * the server's answer undecoded: for a writer that sends the same object again and again and needs little of the
   * answer (a node's Lease renewals).
   */
  updateEncoded(namespace: string, name: string, body: string, signal?: AbortSignal): Promise<Buffer> {
    return this.client.raw({ method: 'PUT', url: this.path(namespace, name), headers: JSON_CONTENT, body, signal });
  }

  async updateStatus(namespace: string, obj: T, opts: WriteOptions = {}, signal?: AbortSignal): Promise<T> {
    return this.client.json<T>({ method: 'PUT', url: this.path(namespace, nameOf(obj), 'status') + query(writeQuery(opts)), ...jsonBody(this.typed(obj)), signal });
  }

  patch(namespace: string, name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}, signal?: AbortSignal): Promise<T> {
    const body = typeof patch === 'string' ? patch : JSON.stringify(patch);
    const q = { ...writeQuery(opts), ...(opts.force === undefined ? {} : { force: opts.force }) };
    return this.client.json<T>({
      method: 'PATCH',
      url: this.path(namespace, name, opts.subresource) + query(q),
      headers: { 'content-type': PATCH_CONTENT_TYPES[type] },
      body,
      signal,
    });
  }

  /** Resolves with the object (when deletion is graceful or held by finalizers) or the success Status. */
  delete(namespace: string, name: string, opts: DeleteOptions = {}, signal?: AbortSignal): Promise<T | Status> {
    const { dryRun, ...rest } = opts;
    // DeleteOptions.dryRun is a list of stages: only `All` exists.
    const body = Object.keys(opts).length === 0 ? {} : jsonBody({ kind: 'DeleteOptions', apiVersion: 'v1', ...rest, ...(dryRun ? { dryRun: ['All'] } : {}) });
    return this.client.json<T | Status>({ method: 'DELETE', url: this.path(namespace, name), ...body, signal });
  }

  /** DELETE of the collection (deletecollection) in a namespace, with the list's selectors; resolves with the server's answer. */
  deleteCollection(namespace: string, opts: DeleteOptions = {}, listOpts: ListOptions = {}, signal?: AbortSignal): Promise<unknown> {
    const { dryRun, ...rest } = opts;
    const body = Object.keys(opts).length === 0 ? {} : jsonBody({ kind: 'DeleteOptions', apiVersion: 'v1', ...rest, ...(dryRun ? { dryRun: ['All'] } : {}) });
    return this.client.json<unknown>({ method: 'DELETE', url: this.path(namespace) + query({ ...listOpts }), ...body, signal });
  }

  /** PUTs the object to a subresource that takes the whole object, such as `namespaces/finalize`. */
  updateSubresource(namespace: string, obj: T, subresource: string, opts: WriteOptions = {}, signal?: AbortSignal): Promise<T> {
    return this.client.json<T>({ method: 'PUT', url: this.path(namespace, nameOf(obj), subresource) + query(writeQuery(opts)), ...jsonBody(this.typed(obj)), signal });
  }

  /** POSTs to a subresource such as `pods/binding` or `pods/eviction`. */
  createSubresource<B extends KubeObject, R = Status>(namespace: string, name: string, subresource: string, body: B, signal?: AbortSignal): Promise<R> {
    return this.client.json<R>({ method: 'POST', url: this.path(namespace, name, subresource), ...jsonBody(body), signal });
  }

  /** The resource's URL path. */
  path(namespace: string, name?: string, subresource?: string): string {
    const t = this.type;
    let p = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
    if (t.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${t.resource}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${subresource}`;
    return p;
  }

  private typed(obj: T): T {
    return { apiVersion: this.apiVersion, kind: this.type.kind, ...obj };
  }
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('the object has no metadata.name');
  return name;
}

function writeQuery(opts: WriteOptions): Record<string, string | boolean | undefined> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager };
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const JSON_CONTENT: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

function jsonBody(body: unknown): { headers: Readonly<Record<string, string>>; body: string } {
  return { headers: JSON_CONTENT, body: JSON.stringify(body) };
}

function withDefaults(req: TransportRequest, userAgent: string | undefined): TransportRequest {
  return { ...req, headers: { accept: 'application/json', ...(userAgent ? { 'user-agent': userAgent } : {}), ...req.headers } };
}

/** Upstream caps the text of a response that is no Status (client-go's maxUnstructuredResponseTextBytes). */
const MAX_UNSTRUCTURED_TEXT = 2048;

/**
 * client-go's rest.Result.Error: the Status the server sent, else one made from the status code as apimachinery's
 * NewGenericServerResponse makes it (its reason and message; a 409 answering a POST is AlreadyExists).
 */
export function errorFromResponse(code: number, body: Buffer, method?: string): ApiError {
  const text = body.toString('utf8');
  try {
    const status = JSON.parse(text) as Status;
    if (status && status.kind === 'Status') return ApiError.fromStatus({ ...status, code: status.code || code });
  } catch {
    // not JSON: fall through
  }
  const serverMessage = text.slice(0, MAX_UNSTRUCTURED_TEXT).trim() || 'unknown';
  const { reason, message } = genericResponse(code, method ?? '', serverMessage);
  return new ApiError({ code, reason, message });
}

function genericResponse(code: number, method: string, serverMessage: string): { reason: StatusReason; message: string } {
  switch (code) {
    case 409:
      return { reason: method === 'POST' ? 'AlreadyExists' : 'Conflict', message: 'the server reported a conflict' };
    case 404:
      return { reason: 'NotFound', message: 'the server could not find the requested resource' };
    case 400:
      return { reason: 'BadRequest', message: 'the server rejected our request for an unknown reason' };
    case 401:
      return { reason: 'Unauthorized', message: 'the server has asked for the client to provide credentials' };
    case 403:
      return { reason: 'Forbidden', message: serverMessage };
    case 406:
      return {
        reason: 'NotAcceptable',
        message: serverMessage === 'unknown' ? 'the server was unable to respond with a content type that the client supports' : serverMessage,
      };
    case 415:
      return { reason: 'UnsupportedMediaType', message: serverMessage };
    case 405:
      return { reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' };
    case 422:
      return { reason: 'Invalid', message: 'the server rejected our request due to an error in our request' };
    case 503:
      return { reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' };
    case 504:
      return { reason: 'Timeout', message: 'the server was unable to return a response in the time allotted, but may still be processing the request' };
    case 429:
      return { reason: 'TooManyRequests', message: 'the server has received too many requests and has asked us to try again later' };
  }
  if (code >= 500) return { reason: 'InternalError', message: `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding` };
  // Not upstream's: a 410 keeps its reason, so that watchers recognise an expired resourceVersion.
  const reason: StatusReason = code === 410 ? 'Gone' : code === 413 ? 'RequestEntityTooLarge' : '';
  return { reason, message: `the server responded with the status code ${code} but did not return more information` };
}
