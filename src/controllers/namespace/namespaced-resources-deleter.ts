import type { Namespace, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { discoverResources, type DiscoveredResource, type KubeObject, type ResourceClient, type RestClient } from '../../client/index.js';
import type { Clock } from '../../lib/index.js';
import { NamespaceConditionUpdater } from './namespace-conditions.js';
import { FINALIZER_ESTIMATE_SECONDS, finalizersOf, groupResourceKey, gvrString, podTerminationEstimate } from './remaining-content.js';

/** The finalizer this controller owns in a namespace's spec.finalizers. */
export const FINALIZER_KUBERNETES = 'kubernetes';

export interface NamespacedResourcesDeleterOptions {
  readonly client: RestClient;
  readonly clock: Clock;
  /** Every served resource (discovery by default; tests give their own). */
  readonly discover?: (signal?: AbortSignal) => Promise<DiscoveredResource[]>;
  readonly log?: (message: string) => void;
}

interface ResourceOutcome {
  readonly estimate: number;
  readonly remaining: number;
  readonly finalizers: ReadonlyMap<string, number>;
}

const MANAGER = { fieldManager: 'kube-controller-manager' };
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isNotFound = (err: unknown) => err instanceof ApiError && err.code === 404;
const isConflict = (err: unknown) => err instanceof ApiError && err.code === 409;
/** upstream treats both as "this resource does not support the verb" (a resource may list no top-level verbs). */
const isUnsupported = (err: unknown) => err instanceof ApiError && (err.code === 405 || err.code === 404);

/**
 * upstream's namespacedResourcesDeleter: empties a namespace that is being deleted — every namespaced resource that
 * supports delete, by deletecollection (or one by one without it) — reports what is left in the namespace's conditions,
 * and, once nothing is left, removes the `kubernetes` finalizer through /finalize so that the API server removes the
 * namespace.
 */
export class NamespacedResourcesDeleter {
  private readonly namespaces: ResourceClient<Namespace>;
  private readonly pods: ResourceClient<Pod>;
  /** `verb resource.group` pairs the server answered 405/404 for. */
  private readonly unsupported = new Set<string>();

  constructor(private readonly opts: NamespacedResourcesDeleterOptions) {
    this.namespaces = opts.client.kind<Namespace>('v1', 'Namespace');
    this.pods = opts.client.kind<Pod>('v1', 'Pod');
  }

  /**
   * One pass over the namespace. Resolves with 0 when the namespace is gone, not being deleted, or finalized by us;
   * with an estimate in seconds when content remains that is expected to go by itself (graceful deletion,
   * finalizers); throws when something failed (the caller retries with backoff).
   */
  async delete(name: string, signal?: AbortSignal): Promise<number> {
    let ns: Namespace;
    try {
      ns = await this.namespaces.get('', name, signal);
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return 0;
    try {
      ns = await this.retryOnConflict(ns, (cur) => this.ensureTerminating(cur, signal), signal);
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return 0;
    if ((ns.spec?.finalizers ?? []).length === 0) return 0;
    const estimate = await this.deleteAllContent(ns, signal);
    if (estimate > 0) return estimate;
    try {
      await this.retryOnConflict(ns, (cur) => this.finalize(cur, signal), signal);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return 0;
  }

  /** upstream's updateNamespaceStatusFunc: phase Terminating once deletionTimestamp is set. */
  private async ensureTerminating(ns: Namespace, signal?: AbortSignal): Promise<Namespace> {
    if (!ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return ns;
    return this.namespaces.updateStatus('', { ...ns, status: { ...ns.status, phase: 'Terminating' } }, MANAGER, signal);
  }

  /** Removes our finalizer from spec.finalizers (the rest kept, sorted, as upstream's string set does). */
  private finalize(ns: Namespace, signal?: AbortSignal): Promise<Namespace> {
    const rest = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
    return this.namespaces.updateSubresource('', { ...ns, spec: { ...ns.spec, finalizers: rest } }, 'finalize', MANAGER, signal);
  }

  /** Applies `fn`, re-reading the namespace after each conflict; a namespace re-created under the same name is an error. */
  private async retryOnConflict(ns: Namespace, fn: (ns: Namespace) => Promise<Namespace>, signal?: AbortSignal): Promise<Namespace> {
    let latest = ns;
    for (;;) {
      try {
        return await fn(latest);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
      const prev = latest;
      latest = await this.namespaces.get('', prev.metadata?.name ?? '', signal);
      if (latest.metadata?.uid !== prev.metadata?.uid) throw new Error('namespace uid has changed across retries');
    }
  }

  /** deleteAllContent: returns the longest estimate of the content left; throws the failures after updating the conditions. */
  private async deleteAllContent(ns: Namespace, signal?: AbortSignal): Promise<number> {
    const name = ns.metadata?.name ?? '';
    const deletedAt = Date.parse(ns.metadata?.deletionTimestamp ?? '');
    const conditions = new NamespaceConditionUpdater();
    const errors: unknown[] = [];
    let resources: DiscoveredResource[] = [];
    try {
      resources = await (this.opts.discover ?? ((s) => discoverResources(this.opts.client, s)))(signal);
    } catch (err) {
      errors.push(err);
      conditions.discoveryFailed(err);
    }
    const deletable = resources.filter((r) => r.namespaced && r.verbs.includes('delete'));
    const byResource = new Map<string, number>();
    const byFinalizer = new Map<string, number>();
    let estimate = 0;
    const outcomes = await Promise.all(
      deletable.map(async (r) => {
        try {
          return { r, outcome: await this.deleteAllContentFor(r, name, deletedAt, signal) };
        } catch (err) {
          return { r, err, outcome: (err as { outcome?: ResourceOutcome }).outcome };
        }
      }),
    );
    for (const { r, err, outcome } of outcomes) {
      if (err !== undefined) {
        errors.push(err);
        conditions.deleteContentFailed(err);
      }
      if (!outcome) continue;
      estimate = Math.max(estimate, outcome.estimate);
      if (outcome.remaining > 0) {
        byResource.set(groupResourceKey(r), outcome.remaining);
        for (const [f, n] of outcome.finalizers) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + n);
      }
    }
    conditions.contentRemaining({ byResource, byFinalizer });
    const status = structuredClone(ns.status ?? {});
    if (conditions.update(status, rfc3339(this.opts.clock.now()))) {
      try {
        await this.namespaces.updateStatus('', { ...ns, status }, MANAGER, signal);
      } catch (err) {
        this.opts.log?.(`couldn't update status condition for namespace ${JSON.stringify(name)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new Error(`[${errors.map((e) => (e instanceof Error ? e.message : String(e))).join(', ')}]`);
    return estimate;
  }

  /** deleteAllContentForGroupVersionResource. A failure carries the outcome known so far as `outcome`. */
  private async deleteAllContentFor(r: DiscoveredResource, namespace: string, deletedAt: number, signal?: AbortSignal): Promise<ResourceOutcome> {
    const client = this.opts.client.resource<KubeObject>(r);
    let estimate = 0;
    if (r.group === '' && r.resource === 'pods') {
      estimate = podTerminationEstimate((await this.pods.list(namespace, {}, signal)).items, deletedAt, this.opts.clock.now());
    }
    const fail = (err: unknown, outcome: ResourceOutcome): never => {
      throw Object.assign(err instanceof Error ? err : new Error(String(err)), { outcome });
    };
    const none: ResourceOutcome = { estimate, remaining: 0, finalizers: new Map() };
    try {
      // Background: the garbage collector must not add the orphan finalizer to what the namespace controller deletes.
      if (!(await this.deleteCollection(client, r, namespace, signal))) await this.deleteEachItem(client, r, namespace, signal);
    } catch (err) {
      fail(err, none);
    }
    let items: KubeObject[] | undefined;
    try {
      items = await this.listCollection(client, r, namespace, signal);
    } catch (err) {
      fail(err, none);
    }
    if (items === undefined || items.length === 0) return { estimate: items === undefined ? estimate : 0, remaining: 0, finalizers: new Map() };
    const finalizers = finalizersOf(items);
    if (estimate !== 0) return { estimate, remaining: items.length, finalizers };
    if (finalizers.size > 0) return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: items.length, finalizers };
    return fail(new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(r)}`), { estimate, remaining: items.length, finalizers });
  }

  private supports(verb: string, r: DiscoveredResource): boolean {
    return r.verbs.includes(verb) && !this.unsupported.has(`${verb} ${groupResourceKey(r)}`);
  }

  /** False when the resource does not support deletecollection. */
  private async deleteCollection(client: ResourceClient<KubeObject>, r: DiscoveredResource, namespace: string, signal?: AbortSignal): Promise<boolean> {
    if (!this.supports('deletecollection', r)) return false;
    try {
      await client.deleteCollection(namespace, { propagationPolicy: 'Background' }, {}, signal);
      return true;
    } catch (err) {
      if (!isUnsupported(err)) throw err;
      this.unsupported.add(`deletecollection ${groupResourceKey(r)}`);
      return false;
    }
  }

  /** The items of the resource in the namespace, or undefined when it cannot be listed. */
  private async listCollection(client: ResourceClient<KubeObject>, r: DiscoveredResource, namespace: string, signal?: AbortSignal): Promise<KubeObject[] | undefined> {
    if (!this.supports('list', r)) return undefined;
    try {
      return (await client.list(namespace, {}, signal)).items;
    } catch (err) {
      if (!isUnsupported(err)) throw err;
      this.unsupported.add(`list ${groupResourceKey(r)}`);
      return undefined;
    }
  }

  private async deleteEachItem(client: ResourceClient<KubeObject>, r: DiscoveredResource, namespace: string, signal?: AbortSignal): Promise<void> {
    const items = await this.listCollection(client, r, namespace, signal);
    for (const item of items ?? []) {
      try {
        await client.delete(namespace, item.metadata?.name ?? '', { propagationPolicy: 'Background' }, signal);
      } catch (err) {
        if (!isUnsupported(err)) throw err;
      }
    }
  }
}
