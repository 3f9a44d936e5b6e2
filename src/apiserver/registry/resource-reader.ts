import { ApiError, type Fields } from '../../api/index.js';
import { isStorageError, type KeyValue } from '../../storage/index.js';
import type { KubeObject } from '../kube-object.js';
import type { Cacher } from '../watch-cache/cacher.js';
import type { CachedObject } from '../watch-cache/cached-object.js';
import type { CacheFilter } from '../watch-cache/cache-watcher.js';
import type { CacheWatcher } from '../watch-cache/cache-watcher.js';
import type { ResourceDefinition, StoreEnvironment } from './resource-definition.js';
import { continueExpired, decodeContinue, encodeContinue } from './continue-token.js';
import type { ListQuery } from './list-query.js';
import { cachedFromStorage, decodeKeyValue, encodeObject } from './object-codec.js';

export interface ListPage {
  readonly items: readonly CachedObject[];
  readonly revision: number;
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

/** How long a read waits for the watch cache to catch up before it reads storage instead. */
const FRESHNESS_WAIT_MS = 50;
/** How long a read at a future resourceVersion waits (upstream's waitUntilFreshAndBlock). */
const FUTURE_RV_WAIT_MS = 3000;

/**
 * The read side of the generic store: get, list and watch, served from the watch cache when it is current
 * enough for the request's resourceVersion semantics, from storage otherwise (exact reads at an old revision).
 */
export class ResourceReader {
  /** Watch events written to clients so far (read by the metrics at scrape time). */
  watchEventsSent = 0;

  constructor(
    readonly def: ResourceDefinition,
    private readonly readEnv: StoreEnvironment,
    readonly cacher: Cacher,
  ) {}

  /** A stored value as this resource serves it. */
  decode(kv: KeyValue): KubeObject {
    return decodeKeyValue(this.def, kv);
  }

  /** A stored key-value as a cached object (JSON straight from the stored text where possible). */
  cached(kv: KeyValue): CachedObject {
    return cachedFromStorage(this.def, kv);
  }

  /** An object of this resource as it is stored. */
  encode(obj: KubeObject): string {
    return encodeObject(this.def, obj);
  }

  key(namespace: string, name: string): string {
    return this.def.namespaced ? `${this.def.keyPrefix}${namespace}/${name}` : `${this.def.keyPrefix}${name}`;
  }

  groupResource(): { group: string; resource: string } {
    return { group: this.def.group, resource: this.def.resource };
  }

  /** A consistent read of one object. */
  async get(namespace: string, name: string): Promise<CachedObject> {
    const key = this.key(namespace, name);
    const rev = await this.readEnv.storage.currentRevision();
    if (this.cacher.ready() && this.cacher.currentRevision() >= rev) {
      const hit = this.cacher.get(key);
      if (hit) return hit;
      throw ApiError.notFound(this.groupResource(), name);
    }
    const kv = await this.readEnv.storage.get(key);
    if (!kv) throw ApiError.notFound(this.groupResource(), name);
    return this.cached(kv);
  }

  /** Fields a field selector may use for this kind. */
  selectableFields(obj: CachedObject): Fields {
    const meta = obj.object.metadata ?? {};
    const base: Record<string, string> = { 'metadata.name': meta.name ?? '' };
    if (this.def.namespaced) base['metadata.namespace'] = meta.namespace ?? '';
    const extra = this.def.strategy.selectableFields?.(obj.object);
    return extra ? { ...base, ...extra } : base;
  }

  filter(namespace: string, query: ListQuery): CacheFilter {
    const supported = new Set(['metadata.name', 'metadata.namespace']);
    if (query.fieldSelector.requirements().length > 0) {
      const sample = this.def.strategy.selectableFields?.({ metadata: {} });
      for (const f of Object.keys(sample ?? {})) supported.add(f);
      for (const r of query.fieldSelector.requirements()) {
        if (supported.has(r.field)) continue;
        // Kinds with their own field-label conversion say it one way, the rest with apimachinery's default.
        if (sample) throw ApiError.badRequest(`field label not supported: ${r.field}`);
        throw ApiError.badRequest(`"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
      }
    }
    const keyPrefix = this.def.namespaced && namespace !== '' ? `${this.def.keyPrefix}${namespace}/` : this.def.keyPrefix;
    const labels = query.labelSelector;
    const fields = query.fieldSelector;
    if (labels.isEmpty() && fields.isEmpty()) return { keyPrefix };
    return {
      keyPrefix,
      matches: (obj) => labels.matches(obj.object.metadata?.labels) && (fields.isEmpty() || fields.matches(this.selectableFields(obj))),
    };
  }

  async list(namespace: string, query: ListQuery): Promise<ListPage> {
    const filter = this.filter(namespace, query);
    if (query.continueToken !== undefined) {
      const token = decodeContinue(query.continueToken, this.def.keyPrefix);
      return this.listAt(filter, query, token.revision, token.startKey);
    }
    const rv = query.resourceVersion;
    if (rv === undefined) {
      const current = await this.readEnv.storage.currentRevision();
      if (await this.cacher.waitUntilFresh(current, FRESHNESS_WAIT_MS)) return this.page(filter, query, this.cacher.currentRevision(), undefined);
      return this.listAt(filter, query, current, undefined);
    }
    if (rv === 0) {
      await this.cacher.whenReady();
      return this.page(filter, query, this.cacher.currentRevision(), undefined);
    }
    if (query.resourceVersionMatch === 'Exact' || (query.resourceVersionMatch === undefined && query.limit > 0)) {
      return this.listAt(filter, query, rv, undefined);
    }
    if (!(await this.cacher.waitUntilFresh(rv, FUTURE_RV_WAIT_MS))) {
      throw ApiError.tooLargeResourceVersion(rv, this.cacher.currentRevision());
    }
    return this.page(filter, query, this.cacher.currentRevision(), undefined);
  }

  /** Opens a watch on the cache as the query asks (initial state, or changes after a resourceVersion). */
  async watch(namespace: string, query: ListQuery): Promise<CacheWatcher> {
    const filter = this.filter(namespace, query);
    await this.cacher.whenReady();
    const rv = query.resourceVersion;
    const initial = query.sendInitialEvents ?? (rv === undefined || rv === 0);
    if (initial) {
      // A streaming list not older than rv waits (as upstream, up to 3 s) for the cache to reach it.
      if (rv !== undefined && rv > 0 && !(await this.cacher.waitUntilFresh(rv, FUTURE_RV_WAIT_MS))) {
        throw ApiError.tooLargeResourceVersion(rv, this.cacher.currentRevision());
      }
      return this.cacher.watch(filter, { initialState: true });
    }
    return this.cacher.watch(filter, { afterRevision: rv ?? 0 }, FUTURE_RV_WAIT_MS);
  }

  /** A page from the watch cache at its current revision. */
  private page(filter: CacheFilter, query: ListQuery, revision: number, startKey: string | undefined): ListPage {
    const all = this.cacher.list(filter, startKey);
    if (query.limit === 0 || all.length <= query.limit) return { items: all, revision };
    const items = all.slice(0, query.limit);
    const next = `${items[items.length - 1]!.key}\u0000`;
    const unfiltered = filter.matches === undefined;
    return {
      items,
      revision,
      continueToken: encodeContinue({ revision, startKey: next }, this.def.keyPrefix),
      remainingItemCount: unfiltered ? all.length - query.limit : undefined,
    };
  }

  /** An exact read at `revision`: from the cache when nothing under the prefix changed since, else from storage. */
  private async listAt(filter: CacheFilter, query: ListQuery, revision: number, startKey: string | undefined): Promise<ListPage> {
    if (this.cacher.unchangedSince(revision)) return this.page(filter, query, revision, startKey);
    const prefix = filter.keyPrefix ?? this.def.keyPrefix;
    const items: CachedObject[] = [];
    let from = startKey;
    try {
      if (filter.matches === undefined) {
        const res = await this.readEnv.storage.list(prefix, { revision, startKey: from, limit: query.limit });
        const page = res.items.map((kv) => this.cached(kv));
        if (res.continueKey === undefined) return { items: page, revision };
        return { items: page, revision, continueToken: encodeContinue({ revision, startKey: res.continueKey }, this.def.keyPrefix), remainingItemCount: res.remaining };
      }
      for (;;) {
        const res = await this.readEnv.storage.list(prefix, { revision, startKey: from, limit: query.limit === 0 ? 0 : Math.max(query.limit, 100) });
        for (const kv of res.items) {
          const obj = this.cached(kv);
          if (filter.matches !== undefined && !filter.matches(obj)) continue;
          if (query.limit > 0 && items.length === query.limit) {
            return { items, revision, continueToken: encodeContinue({ revision, startKey: kv.key }, this.def.keyPrefix) };
          }
          items.push(obj);
        }
        if (res.continueKey === undefined) return { items, revision };
        from = res.continueKey;
      }
    } catch (err) {
      if (isStorageError(err, 'Compacted')) {
        if (startKey !== undefined) throw continueExpired();
        throw ApiError.resourceExpired(`too old resource version: ${revision} (${err.revision ?? 0})`);
      }
      if (isStorageError(err, 'FutureRevision')) throw ApiError.tooLargeResourceVersion(revision, err.revision ?? 0);
      throw err;
    }
  }
}
