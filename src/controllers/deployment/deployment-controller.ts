import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { LabelSelector } from '../../api/index.js';
import { objectKey, WorkQueue, type EventRecorder, type ResourceClient, type SharedInformer } from '../../client/index.js';
import { claimControllees } from '../runtime/claim-controllees.js';
import { getControllerOf, type OwnedObject } from '../runtime/controller-ref.js';
import { runWorkers, type ReconcileResult } from '../runtime/worker-loop.js';
import { DEPLOYMENT_GVK, type DeploymentApi } from './deployment-api.js';
import { DeploymentSync } from './deployment-sync.js';
import type { ControllerContext } from '../runtime/controller-context.js';

export interface DeploymentControllerOptions extends ControllerContext {
  /** Events from `deployment-controller`. */
  readonly recorder: EventRecorder;
}

/**
 * The Deployment controller (upstream's pkg/controller/deployment): owns ReplicaSets named `<deployment>-<hash>` with
 * the `pod-template-hash` label, rolls a changed template out (RollingUpdate within maxSurge and maxUnavailable, or
 * Recreate), keeps revisions and the revision history, resizes proportionally, and reports status and conditions.
 * Level-based and without expectations, as upstream: every write carries a resourceVersion or a deterministic name,
 * so a stale cache costs a conflict and a retry, never a second ReplicaSet.
 */
export class DeploymentController {
  readonly name = 'deployment';
  private readonly queue: WorkQueue<string>;
  private readonly dInformer: SharedInformer<Deployment>;
  private readonly rsInformer: SharedInformer<ReplicaSet>;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly deployments: ResourceClient<Deployment>;
  private readonly replicaSets: ResourceClient<ReplicaSet>;
  private readonly syncer: DeploymentSync;

  constructor(private readonly opts: DeploymentControllerOptions) {
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.deployments = opts.client.kind<Deployment>('apps/v1', 'Deployment');
    this.replicaSets = opts.client.kind<ReplicaSet>('apps/v1', 'ReplicaSet');
    const pods = opts.client.kind<Pod>('v1', 'Pod');
    this.dInformer = opts.informers.informer<Deployment>(this.deployments.type);
    this.rsInformer = opts.informers.informer<ReplicaSet>(this.replicaSets.type);
    this.podInformer = opts.informers.informer<Pod>(pods.type);
    this.syncer = new DeploymentSync(this.api());
    this.dInformer.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (d) => this.enqueue(d),
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.replicaSetAdded(rs),
      onUpdate: (old, cur) => this.replicaSetUpdated(old, cur),
      onDelete: (rs) => this.replicaSetDeleted(rs),
    });
    this.podInformer.addEventHandler({ onDelete: (pod) => this.podDeleted(pod) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await Promise.all([this.dInformer.whenSynced(signal), this.rsInformer.whenSynced(signal), this.podInformer.whenSynced(signal)]);
    if (signal.aborted) return;
    await runWorkers(this.queue, (key) => this.sync(key), workers, signal, this.opts.log);
  }

  private api(): DeploymentApi {
    const { recorder, clock } = this.opts;
    const ns = (o: { metadata?: { namespace?: string } }) => o.metadata?.namespace ?? '';
    return {
      createReplicaSet: (rs) => this.replicaSets.create(ns(rs), rs, { fieldManager: 'kube-controller-manager' }),
      updateReplicaSet: (rs) => this.replicaSets.update(ns(rs), rs, { fieldManager: 'kube-controller-manager' }),
      deleteReplicaSet: async (rs) => {
        await this.replicaSets.delete(ns(rs), rs.metadata?.name ?? '');
      },
      updateDeploymentStatus: (d) => this.deployments.updateStatus(ns(d), d),
      cachedReplicaSet: (namespace, name) => this.rsInformer.store.getByName(namespace, name),
      event: (d, type, reason, message) => recorder.event({ ...d, ...DEPLOYMENT_GVK }, type, reason, message),
      now: () => clock.now(),
    };
  }

  private enqueue(d: Deployment): void {
    this.queue.add(objectKey(d));
  }

  private resolveControllerRef(namespace: string, obj: OwnedObject): Deployment | undefined {
    const ref = getControllerOf(obj);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.dInformer.store.getByName(namespace, ref.name);
    return d && d.metadata?.uid === ref.uid ? d : undefined;
  }

  /** Deployments in the ReplicaSet's namespace whose non-empty selector matches its labels. */
  private deploymentsForReplicaSet(rs: ReplicaSet): Deployment[] {
    return this.dInformer.store.byIndex('namespace', rs.metadata?.namespace ?? '').filter((d) => {
      const sel = selectorOf(d);
      return sel !== undefined && !sel.isEmpty() && sel.matches(rs.metadata?.labels);
    });
  }

  private replicaSetAdded(rs: ReplicaSet): void {
    if (rs.metadata?.deletionTimestamp) return this.replicaSetDeleted(rs);
    if (getControllerOf(rs)) {
      const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', rs);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsForReplicaSet(rs)) this.enqueue(d);
  }

  private replicaSetUpdated(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const ns = cur.metadata?.namespace ?? '';
    const refChanged = getControllerOf(old)?.uid !== getControllerOf(cur)?.uid;
    if (refChanged && getControllerOf(old)) {
      const d = this.resolveControllerRef(ns, old);
      if (d) this.enqueue(d);
    }
    if (getControllerOf(cur)) {
      const d = this.resolveControllerRef(ns, cur);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsForReplicaSet(cur)) this.enqueue(d);
  }

  private replicaSetDeleted(rs: ReplicaSet): void {
    const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', rs);
    if (d) this.enqueue(d);
  }

  /** A Recreate rollout waits for the old Pods to be gone: their deletions wake it. */
  private podDeleted(pod: Pod): void {
    const ns = pod.metadata?.namespace ?? '';
    const rsRef = getControllerOf(pod);
    if (!rsRef || rsRef.kind !== 'ReplicaSet') return;
    const rs = this.rsInformer.store.getByName(ns, rsRef.name);
    if (!rs || rs.metadata?.uid !== rsRef.uid) return;
    const d = this.resolveControllerRef(ns, rs);
    if (d?.spec?.strategy?.type === 'Recreate') this.enqueue(d);
  }

  /** syncDeployment for the Deployment with this key. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.dInformer.store.get(key);
    if (!cached) return;
    const d = structuredClone(cached);
    const selector = selectorOf(d);
    const rsList = selector && !selector.isEmpty() ? await this.claimReplicaSets(d, selector) : [];
    const outcome = await this.syncer.sync(d, rsList, this.podsByReplicaSet(d, selector, rsList));
    return outcome ?? undefined;
  }

  /** getReplicaSetsForDeployment: ClaimReplicaSets over every ReplicaSet in the namespace. */
  private claimReplicaSets(d: Deployment, selector: LabelSelector): Promise<ReplicaSet[]> {
    const ns = d.metadata?.namespace ?? '';
    return claimControllees({
      owner: d,
      gvk: DEPLOYMENT_GVK,
      selector,
      candidates: this.rsInformer.store.byIndex('namespace', ns),
      readOwner: () => this.deployments.get(ns, d.metadata?.name ?? ''),
      patch: (rs, body) => this.replicaSets.patch(ns, rs.metadata?.name ?? '', 'strategic', body),
    });
  }

  /**
   * getPodMapForDeployment: the Pods matching the selector, by the uid of the claimed ReplicaSet controlling them
   * (Recreate waits for them to go; a rolling update counts them against maxSurge).
   */
  private podsByReplicaSet(d: Deployment, selector: LabelSelector | undefined, rsList: ReplicaSet[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>();
    for (const rs of rsList) map.set(rs.metadata?.uid ?? '', []);
    if (!selector) return map;
    for (const pod of this.podInformer.store.byIndex('namespace', d.metadata?.namespace ?? '')) {
      if (!selector.matches(pod.metadata?.labels)) continue;
      map.get(getControllerOf(pod)?.uid ?? '')?.push(pod);
    }
    return map;
  }
}

function selectorOf(d: Deployment): LabelSelector | undefined {
  try {
    return LabelSelector.fromSpec(d.spec?.selector);
  } catch {
    return undefined;
  }
}
