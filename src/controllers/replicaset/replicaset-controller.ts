import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { ApiError, LabelSelector } from '../../api/index.js';
import {
  objectKey,
  splitObjectKey,
  WorkQueue,
  type EventRecorder,
  type Indexer,
  type ResourceClient,
  type SharedInformer,
} from '../../client/index.js';
import { claimControllees } from '../runtime/claim-controllees.js';
import { getControllerOf, ownerReference } from '../runtime/controller-ref.js';
import { addControllerUIDIndex, CONTROLLER_UID_INDEX, orphanIndexKey } from '../runtime/controller-uid-index.js';
import { ControllerExpectations, podKey, UIDTrackingControllerExpectations } from '../runtime/expectations.js';
import { BurstReplicas, SlowStartInitialBatchSize, slowStartBatch } from '../runtime/slow-start.js';
import { runWorkers, type ReconcileResult } from '../runtime/worker-loop.js';
import { PodFactsCache } from './pod-facts.js';
import { podFromTemplate } from './pod-template.js';
import { filterActivePods, getPodsToDelete } from './pods-to-delete.js';
import { calculateStatus, nextRequeueAfter, podReadyRequeueAfter, statusEqual } from './replicaset-status.js';
import type { ControllerContext } from '../runtime/controller-context.js';

const RS_GVK = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

export interface ReplicaSetControllerOptions extends ControllerContext {
  readonly recorder: EventRecorder;
  /** Pods created or deleted per sync at most (upstream's burstReplicas, 500). */
  readonly burstReplicas?: number;
}

/**
 * The ReplicaSet controller (upstream's pkg/controller/replicaset): keeps `spec.replicas` active Pods that match the
 * selector and are controlled by the ReplicaSet, adopting orphans and releasing Pods that stopped matching, and
 * reports status. Expectations keep it from acting twice on the same difference before the informer has seen its own
 * creations and deletions.
 */
export class ReplicaSetController {
  readonly name = 'replicaset';
  private readonly queue: WorkQueue<string>;
  private readonly expectations: UIDTrackingControllerExpectations;
  private readonly rsInformer: SharedInformer<ReplicaSet>;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly replicaSets: ResourceClient<ReplicaSet>;
  private readonly pods: ResourceClient<Pod>;
  private readonly burst: number;
  private readonly facts = new PodFactsCache();

  constructor(private readonly opts: ReplicaSetControllerOptions) {
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.expectations = new UIDTrackingControllerExpectations(new ControllerExpectations(opts.clock));
    this.replicaSets = opts.client.kind<ReplicaSet>('apps/v1', 'ReplicaSet');
    this.pods = opts.client.kind<Pod>('v1', 'Pod');
    this.burst = opts.burstReplicas ?? BurstReplicas;
    this.rsInformer = opts.informers.informer<ReplicaSet>(this.replicaSets.type);
    this.podInformer = opts.informers.informer<Pod>(this.pods.type);
    addControllerUIDIndex(this.podInformer);
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, cur) => {
        if (old.metadata?.uid !== cur.metadata?.uid) this.expectations.expectations.deleteExpectations(objectKey(old));
        this.enqueue(cur);
      },
      onDelete: (rs) => {
        this.expectations.expectations.deleteExpectations(objectKey(rs));
        this.enqueue(rs);
      },
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  /** Runs `workers` reconcile loops once the informers have synced; ends when the signal aborts. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    await Promise.all([this.rsInformer.whenSynced(signal), this.podInformer.whenSynced(signal)]);
    if (signal.aborted) return;
    await runWorkers(this.queue, (key) => this.sync(key), workers, signal, this.opts.log);
  }

  private enqueue(rs: ReplicaSet, afterMs = 0): void {
    const key = objectKey(rs);
    if (afterMs > 0) this.queue.addAfter(key, afterMs);
    else this.queue.add(key);
  }

  /** The ReplicaSet a ControllerRef points at, when it is one and still has that uid. */
  private resolveControllerRef(namespace: string, pod: Pod): ReplicaSet | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.rsInformer.store.getByName(namespace, ref.name);
    return rs && rs.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets in the pod's namespace whose selector matches its labels. */
  private matchingReplicaSets(pod: Pod): ReplicaSet[] {
    const ns = pod.metadata?.namespace ?? '';
    return this.rsInformer.store.byIndex('namespace', ns).filter((rs) => {
      const selector = selectorOf(rs);
      return selector !== undefined && !selector.isEmpty() && selector.matches(pod.metadata?.labels);
    });
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod);
    const ns = pod.metadata?.namespace ?? '';
    if (getControllerOf(pod)) {
      const rs = this.resolveControllerRef(ns, pod);
      if (!rs) return;
      this.expectations.creationObserved(objectKey(rs));
      this.enqueue(rs);
      return;
    }
    for (const rs of this.matchingReplicaSets(pod)) this.enqueue(rs);
  }

  private podUpdated(old: Pod, cur: Pod): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const labelsChanged = !sameLabels(old.metadata?.labels, cur.metadata?.labels);
    if (cur.metadata?.deletionTimestamp) {
      this.podDeleted(cur);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const ns = cur.metadata?.namespace ?? '';
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const oldRs = this.resolveControllerRef(ns, old);
      if (oldRs) this.enqueue(oldRs);
    }
    if (curRef) {
      const rs = this.resolveControllerRef(ns, cur);
      if (!rs) return;
      this.enqueue(rs);
      const after = podReadyRequeueAfter(rs, old, cur);
      if (after !== undefined) this.enqueue(rs, after);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.matchingReplicaSets(cur)) this.enqueue(rs);
  }

  private podDeleted(pod: Pod): void {
    const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
    if (!rs) return;
    const key = objectKey(rs);
    this.expectations.deletionObserved(key, podKey(pod));
    this.queue.add(key);
  }

  /** syncReplicaSet: one level-based pass over the ReplicaSet with this key. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const rs = this.rsInformer.store.get(key);
    if (!rs) {
      this.expectations.expectations.deleteExpectations(key);
      return;
    }
    const needsSync = this.expectations.satisfiedExpectations(key);
    const selector = selectorOf(rs);
    if (!selector) {
      this.opts.log?.(`replicaset ${key}: invalid selector`);
      return;
    }
    const ns = rs.metadata?.namespace ?? '';
    const uid = rs.metadata?.uid ?? '';
    const facts = this.facts;
    // One pass over the owned and the orphaned Pods: the active ones, and whether every one of them is already this
    // ReplicaSet's and matches (usually so: then claiming would adopt and release nothing).
    const active: Pod[] = [];
    let settled = true;
    for (const candidates of [this.podInformer.store.byIndex(CONTROLLER_UID_INDEX, uid), this.podInformer.store.byIndex(CONTROLLER_UID_INDEX, orphanIndexKey(ns))]) {
      for (const p of candidates) {
        const f = facts.of(p);
        if (!f.active) continue;
        active.push(p);
        if (settled && (f.controllerUid !== uid || !f.matches(selector))) settled = false;
      }
    }
    const filtered = settled ? active : await this.claimPods(rs, selector, active);
    let manageError: unknown;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(key, filtered, rs);
      } catch (err) {
        manageError = err;
      }
    }
    const status = calculateStatus(rs, filtered, manageError, this.opts.clock.now(), (p) => facts.of(p));
    const updated = await this.updateStatus(rs, status);
    if (manageError !== undefined) throw manageError;
    const after = nextRequeueAfter(updated, undefined);
    return after !== undefined ? { requeueAfterMs: after } : undefined;
  }

  /** ClaimPods: adopts matching orphans and releases owned Pods that stopped matching; returns the owned, matching Pods. */
  private claimPods(rs: ReplicaSet, selector: LabelSelector, pods: Pod[]): Promise<Pod[]> {
    return claimControllees({
      owner: rs,
      gvk: RS_GVK,
      selector,
      candidates: pods,
      readOwner: () => this.replicaSets.get(rs.metadata?.namespace ?? '', rs.metadata?.name ?? ''),
      patch: (pod, body) => this.pods.patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'strategic', body),
    });
  }

  private async manageReplicas(key: string, pods: Pod[], rs: ReplicaSet): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = pods.length - want;
    const ns = rs.metadata?.namespace ?? '';
    const subject = { ...rs, ...RS_GVK };
    if (diff < 0) {
      const count = Math.min(-diff, this.burst);
      this.expectations.expectCreations(key, count);
      // Every Pod of the sync is the same request (the server generates the names); the client only serialises it.
      // A template upstream refuses fails each create, as there.
      let pod: Pod | undefined;
      let refused: unknown;
      try {
        pod = podFromTemplate(rs, ownerReference(rs, RS_GVK));
      } catch (err) {
        refused = err;
      }
      const { successes, error } = await slowStartBatch(count, SlowStartInitialBatchSize, async () => {
        try {
          if (pod === undefined) throw refused;
          const created = await this.pods.create(ns, pod, { fieldManager: 'kube-controller-manager' });
          this.opts.recorder.event(subject, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
        } catch (err) {
          if (isNamespaceTerminating(err)) return;
          this.opts.recorder.event(subject, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
      });
      // Creations that were never attempted, or failed, will never be observed.
      for (let skipped = count - successes; skipped > 0; skipped--) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      const count = Math.min(diff, this.burst);
      const related = this.relatedPods(rs);
      const victims = getPodsToDelete(pods, related, count, this.opts.clock.now());
      this.expectations.expectDeletions(key, victims.map(podKey));
      const errors: unknown[] = [];
      await Promise.all(
        victims.map(async (pod) => {
          const name = pod.metadata?.name ?? '';
          try {
            await this.pods.delete(ns, name);
            this.opts.recorder.event(subject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
          } catch (err) {
            this.expectations.deletionObserved(key, podKey(pod));
            if (err instanceof ApiError && err.code === 404) return;
            this.opts.recorder.event(subject, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
            errors.push(err);
          }
        }),
      );
      if (errors.length > 0) throw errors[0];
    }
  }

  /** Active Pods of every ReplicaSet controlled by the same owner as `rs` (for ranking on scale-down). */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = getControllerOf(rs);
    const ns = rs.metadata?.namespace ?? '';
    const siblings = owner ? this.rsInformer.store.byIndex('namespace', ns).filter((r) => getControllerOf(r)?.uid === owner.uid) : [rs];
    const store: Indexer<Pod> = this.podInformer.store;
    return filterActivePods(siblings.flatMap((r) => store.byIndex(CONTROLLER_UID_INDEX, r.metadata?.uid ?? '')));
  }

  /** updateReplicaSetStatus: PUT /status unless nothing changed, re-reading the ReplicaSet once on a conflict. */
  private async updateStatus(rs: ReplicaSet, status: NonNullable<ReplicaSet['status']>): Promise<ReplicaSet> {
    if (statusEqual(rs.status, status) && rs.status?.observedGeneration === rs.metadata?.generation) return rs;
    const { namespace, name } = splitObjectKey(objectKey(rs));
    let current = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.replicaSets.updateStatus(namespace, { ...current, status });
      } catch (err) {
        if (attempt >= 1 || !(err instanceof ApiError)) throw err;
        if (err.code === 404) return rs;
        current = await this.replicaSets.get(namespace, name);
      }
    }
  }
}

function selectorOf(rs: ReplicaSet): LabelSelector | undefined {
  try {
    return LabelSelector.fromSpec(rs.spec?.selector);
  } catch {
    return undefined;
  }
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}

function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}
