import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { EventRecorder, WorkQueue, type KubeObject, type ResourceClient } from '../../client/index.js';
import { runWorkers } from '../runtime/worker-loop.js';
import { decideDeletion, type OwnerClassification, type PropagationPolicy } from './decisions.js';
import { formatIdentity, type GraphNode, type ObjectIdentity } from './graph.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, GraphBuilder, hasFinalizer } from './graph-builder.js';
import {
  deleteOwnerRefJSONMergePatch,
  deleteOwnerRefStrategicMergePatch,
  removeFinalizerPatch,
  unblockOwnerReferencesJSONMergePatch,
  unblockOwnerReferencesStrategicMergePatch,
} from './patches.js';
import { ResourceMonitors } from './resource-monitors.js';
import type { ControllerContext } from '../runtime/controller-context.js';

export interface GarbageCollectorOptions extends ControllerContext {
  /** How often discovery runs again to monitor resources served later (upstream resyncs every 30 s). */
  readonly resyncPeriodMs?: number;
}

type Outcome = 'forget' | 'requeue';

/** A reference to a namespaced kind from a cluster-scoped object: never resolvable, so never retried. */
class NamespacedOwnerOfClusterScopedObject extends Error {
  constructor() {
    super('cluster-scoped objects cannot refer to namespaced owners');
  }
}

/** No served resource has this apiVersion and kind (yet). */
class RestMappingError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`unable to get REST mapping for ${apiVersion}/${kind}.`);
  }
}

const isNotFound = (err: unknown) => err instanceof ApiError && err.code === 404;
const isConflict = (err: unknown) => err instanceof ApiError && err.code === 409;

/**
 * The garbage collector (upstream's pkg/controller/garbagecollector): a graph of every object of every deletable
 * resource by uid, fed by informers; objects whose owners are all gone are deleted, the dependents of an owner
 * deleted in the foreground are deleted before it, and the dependents of an owner deleted with `orphan` lose their
 * references to it.
 */
export class GarbageCollector {
  readonly name = 'garbage-collector';
  private readonly builder: GraphBuilder;
  private readonly attemptToDelete: WorkQueue<string>;
  private readonly attemptToOrphan: WorkQueue<string>;
  private readonly monitors: ResourceMonitors;
  private readonly recorder: EventRecorder;

  constructor(private readonly opts: GarbageCollectorOptions) {
    this.attemptToDelete = new WorkQueue<string>({ clock: opts.clock });
    this.attemptToOrphan = new WorkQueue<string>({ clock: opts.clock });
    const events = opts.client.kind<CoreEvent>('v1', 'Event');
    this.recorder = new EventRecorder({
      sink: { create: (ns, e) => events.create(ns, e), patch: (ns, name, p) => events.patch(ns, name, 'strategic', p) },
      component: 'garbage-collector-controller',
      clock: opts.clock,
      onError: (e) => opts.log?.(`event: ${String(e)}`),
    });
    this.builder = new GraphBuilder({
      attemptToDelete: (uid, rateLimited) => (rateLimited ? this.attemptToDelete.addRateLimited(uid) : this.attemptToDelete.add(uid)),
      attemptToOrphan: (uid) => this.attemptToOrphan.add(uid),
      invalidNamespaceOwnerRef: (dep, message) => {
        opts.log?.(`garbage collector: ${formatIdentity(dep)}: ${message}`);
        this.recorder.event({ apiVersion: dep.apiVersion, kind: dep.kind, metadata: { name: dep.name, namespace: dep.namespace, uid: dep.uid } }, 'Warning', 'OwnerRefInvalidNamespace', message);
      },
      log: opts.log,
    });
    this.monitors = new ResourceMonitors(opts.client, opts.informers, (e) => this.builder.process(e), opts.log);
  }

  /** The graph (for tests and debugging). */
  get graph(): GraphBuilder['graph'] {
    return this.builder.graph;
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    const { clock, log } = this.opts;
    for (let delay = 1000; !signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      try {
        const added = await this.monitors.sync(signal);
        await Promise.all(added.map((m) => m.whenSynced(signal)));
        break;
      } catch (err) {
        if (signal.aborted) return;
        log?.(`garbage collector: discovery failed, retrying: ${err instanceof Error ? err.message : String(err)}`);
        await new Promise<void>((resolve) => {
          const cancel = clock.setTimer(resolve, delay);
          signal.addEventListener('abort', () => (cancel(), resolve()), { once: true });
        });
      }
    }
    if (signal.aborted) return;
    log?.(`garbage collector: all resource monitors have synced, ${this.builder.graph.size} objects in the graph`);
    let cancelResync = () => {};
    const resync = () => {
      this.monitors.sync(signal).catch((err) => log?.(`garbage collector: resync of monitors failed: ${err instanceof Error ? err.message : String(err)}`));
      if (!signal.aborted) cancelResync = clock.setTimer(resync, this.opts.resyncPeriodMs ?? 30_000);
    };
    cancelResync = clock.setTimer(resync, this.opts.resyncPeriodMs ?? 30_000);
    signal.addEventListener('abort', () => cancelResync(), { once: true });
    await Promise.all([
      processQueue(this.attemptToDelete, (uid) => this.attemptToDeleteWorker(uid), workers, signal),
      processQueue(this.attemptToOrphan, (uid) => this.attemptToOrphanWorker(uid), workers, signal),
    ]);
    cancelResync();
    await this.recorder.flush();
    this.recorder.shutDown();
  }

  private async attemptToDeleteWorker(uid: string): Promise<Outcome> {
    const node = this.builder.graph.get(uid);
    if (!node) return 'forget';
    try {
      await this.attemptToDeleteItem(node);
    } catch (err) {
      if (err === VIRTUAL_DELETE_ENQUEUED || err instanceof NamespacedOwnerOfClusterScopedObject) return 'forget';
      this.opts.log?.(`garbage collector: error syncing item ${formatIdentity(node.identity)}: ${err instanceof Error ? err.message : String(err)}`);
      return 'requeue';
    }
    // A virtual node stays queued until an informer reports it (or a read finds it absent).
    return node.observed ? 'forget' : 'requeue';
  }

  private async attemptToDeleteItem(item: GraphNode): Promise<void> {
    if (item.beingDeleted && !item.deletingDependents) return;
    const latest = await this.getObject(item.identity);
    if (!latest || latest.metadata?.uid !== item.identity.uid) {
      this.builder.process({ type: 'virtual-delete', identity: item.identity });
      throw VIRTUAL_DELETE_ENQUEUED;
    }
    if (item.deletingDependents) return this.processDeletingDependentsItem(item);
    const refs = latest.metadata?.ownerReferences ?? [];
    if (refs.length === 0) return;
    const owners = await this.classifyReferences(item, refs);
    const dependents = [...item.dependents];
    const decision = decideDeletion(latest, owners, dependents.length > 0, dependents.some((d) => d.deletingDependents));
    switch (decision.action) {
      case 'keep':
        return;
      case 'remove-owner-references':
        await this.patch(item, deleteOwnerRefStrategicMergePatch(item.identity.uid, decision.ownerUids), (live) => deleteOwnerRefJSONMergePatch(live, decision.ownerUids));
        return;
      case 'delete':
        if (decision.unblockFirst) await this.patch(item, unblockOwnerReferencesStrategicMergePatch(item.identity.uid, item.owners), unblockOwnerReferencesJSONMergePatch);
        this.opts.log?.(`garbage collector: deleting ${formatIdentity(item.identity)} with propagationPolicy ${decision.policy}`);
        await this.deleteObject(item.identity, latest.metadata?.resourceVersion ?? '', refs, decision.policy);
    }
  }

  /** An owner deleted in the foreground: delete its blocking dependents; once there are none, remove its finalizer. */
  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      this.opts.log?.(`garbage collector: removing the ${FINALIZER_FOREGROUND} finalizer of ${formatIdentity(item.identity)}`);
      return this.removeFinalizer(item, FINALIZER_FOREGROUND);
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.add(dep.identity.uid);
  }

  private async classifyReferences(item: GraphNode, refs: readonly OwnerReference[]): Promise<OwnerClassification> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.resolveOwner(ref, item);
      if (owner === undefined) dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && hasFinalizer(owner, FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waitingForDependentsDeletion: waiting };
  }

  /**
   * isDangling: the live owner a reference names, or undefined when absent (not found, or found with another uid).
   * A namespaced owner is looked for in the dependent's namespace only.
   */
  private async resolveOwner(ref: OwnerReference, item: GraphNode): Promise<KubeObject | undefined> {
    const coords = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid };
    const absent = this.builder.absentOwners;
    if (absent.has({ ...coords, namespace: '' }) || absent.has({ ...coords, namespace: item.identity.namespace })) return undefined;
    const resource = this.monitors.resourceFor(ref.apiVersion, ref.kind);
    if (!resource) throw new RestMappingError(ref.apiVersion, ref.kind);
    if (item.identity.namespace === '' && resource.namespaced) throw new NamespacedOwnerOfClusterScopedObject();
    const key: ObjectIdentity = { ...coords, namespace: resource.namespaced ? item.identity.namespace : '' };
    let owner: KubeObject;
    try {
      owner = await this.opts.client.resource<KubeObject>(resource).get(key.namespace, ref.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      absent.add(key);
      return undefined;
    }
    if (owner.metadata?.uid !== ref.uid) {
      absent.add(key);
      return undefined;
    }
    return owner;
  }

  private async attemptToOrphanWorker(uid: string): Promise<Outcome> {
    const owner = this.builder.graph.get(uid);
    if (!owner) return 'forget';
    try {
      await Promise.all(
        [...owner.dependents].map(async (dep) => {
          try {
            await this.patch(dep, deleteOwnerRefStrategicMergePatch(dep.identity.uid, [uid]), (live) => deleteOwnerRefJSONMergePatch(live, [uid]));
          } catch (err) {
            if (!isNotFound(err)) throw new Error(`orphaning ${formatIdentity(dep.identity)} failed, ${err instanceof Error ? err.message : String(err)}`);
          }
        }),
      );
      await this.removeFinalizer(owner, FINALIZER_ORPHAN);
      return 'forget';
    } catch (err) {
      this.opts.log?.(`garbage collector: orphanDependents for ${formatIdentity(owner.identity)} failed with ${err instanceof Error ? err.message : String(err)}`);
      return 'requeue';
    }
  }

  private client(identity: ObjectIdentity): { rc: ResourceClient<KubeObject>; namespace: string } {
    const resource = this.monitors.resourceFor(identity.apiVersion, identity.kind);
    if (!resource) throw new RestMappingError(identity.apiVersion, identity.kind);
    if (resource.namespaced && identity.namespace === '') throw new NamespacedOwnerOfClusterScopedObject();
    return { rc: this.opts.client.resource<KubeObject>(resource), namespace: resource.namespaced ? identity.namespace : '' };
  }

  /** The live object with this name, or undefined when there is none. */
  private async getObject(identity: ObjectIdentity): Promise<KubeObject | undefined> {
    const { rc, namespace } = this.client(identity);
    try {
      return await rc.get(namespace, identity.name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * DELETE with the uid and resourceVersion as preconditions. When the resourceVersion moved on but the references
   * the decision was made from did not change, the deletion is sent again with the uid only.
   */
  private async deleteObject(identity: ObjectIdentity, resourceVersion: string, owners: readonly OwnerReference[], policy: PropagationPolicy): Promise<void> {
    const { rc, namespace } = this.client(identity);
    const preconditions = { uid: identity.uid, ...(resourceVersion ? { resourceVersion } : {}) };
    try {
      await rc.delete(namespace, identity.name, { preconditions, propagationPolicy: policy });
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err) || !resourceVersion) throw err;
      const live = await this.getObject(identity);
      if (!live || live.metadata?.uid !== identity.uid) return;
      if (JSON.stringify(live.metadata?.ownerReferences ?? []) !== JSON.stringify(owners)) throw err;
    }
    await rc.delete(namespace, identity.name, { preconditions: { uid: identity.uid }, propagationPolicy: policy }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  /** A strategic merge patch, or the JSON merge patch made from the live object for kinds that take none (415). */
  private async patch(item: GraphNode, strategic: object, jsonMerge: (live: KubeObject) => object | undefined): Promise<void> {
    const { rc, namespace } = this.client(item.identity);
    try {
      await rc.patch(namespace, item.identity.name, 'strategic', strategic);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 415)) throw err;
      const live = await this.getObject(item.identity);
      if (!live || live.metadata?.uid !== item.identity.uid) return;
      const patch = jsonMerge(live);
      if (patch) await rc.patch(namespace, item.identity.name, 'merge', patch);
    }
  }

  /** Removes `finalizer` with a JSON merge patch carrying the resourceVersion read, retrying conflicts a few times. */
  private async removeFinalizer(owner: GraphNode, finalizer: string): Promise<void> {
    const { rc, namespace } = this.client(owner.identity);
    for (let attempt = 0; ; attempt++) {
      const live = await this.getObject(owner.identity);
      if (!live || live.metadata?.uid !== owner.identity.uid) return;
      const patch = removeFinalizerPatch(live, finalizer);
      if (!patch) return;
      try {
        await rc.patch(namespace, owner.identity.name, 'merge', patch);
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
        if (attempt >= 4) throw new Error(`updateMaxRetries(5) has reached. The garbage collector will retry later for owner ${formatIdentity(owner.identity)}`);
      }
    }
  }
}

const VIRTUAL_DELETE_ENQUEUED = new Error('enqueued virtual delete event');

/** Workers taking keys until the signal aborts; 'requeue' adds the key again rate-limited, 'forget' clears its backoff. */
function processQueue(queue: WorkQueue<string>, work: (key: string) => Promise<Outcome>, workers: number, signal: AbortSignal): Promise<void> {
  return runWorkers(queue, async (key) => ((await work(key)) === 'forget' ? undefined : { requeue: true }), workers, signal);
}
