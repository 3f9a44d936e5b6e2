/**
 * One level-based pass over a Deployment and the ReplicaSets it owns (upstream's syncDeployment with sync.go,
 * recreate.go and progress.go; the rolling steps in rolling-update.ts, resizing in proportional-scale.ts): find or
 * create the new ReplicaSet, keep the revisions, roll out or resize, clean up history and write the status.
 * Everything it writes goes through DeploymentApi, so the logic is tested against a fake.
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { ownerReference } from '../runtime/controller-ref.js';
import { desiredReplicasAnnotation, maxRevision, RevisionAnnotation, setDeploymentRevision, setNewReplicaSetAnnotations } from './annotations.js';
import { DEPLOYMENT_GVK, type DeploymentApi, type SyncOutcome } from './deployment-api.js';
import { getCondition, hasProgressDeadline, hasRevisionHistoryLimit, newCondition, Progressing, Reasons, setCondition, deploymentComplete } from './deployment-conditions.js';
import { calculateStatus, progressCheckAfter, rolloutStatus, statusEqual } from './deployment-status.js';
import { desiredReplicas } from './fenceposts.js';
import { computeHash, DefaultDeploymentUniqueLabelKey } from './pod-template-hash.js';
import { scaleDeployment } from './proportional-scale.js';
import { ReplicaSetScaler } from './replica-set-scaler.js';
import { actualReplicaCount, byRevision, equalIgnoreHash, filterActive, findNewReplicaSet, findOldReplicaSets, newRSNewReplicas, podCeiling, specReplicas } from './replica-sets.js';
import { reconcileNewReplicaSet, reconcileOldReplicaSets } from './rolling-update.js';

type Outcome = SyncOutcome | undefined;

const isNamespaceTerminating = (err: unknown) => err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');

export class DeploymentSync {
  /** The Pods of each ReplicaSet (by uid) the cache shows, for the sync under way. */
  private podsByRS: ReadonlyMap<string, readonly Pod[]> = new Map();

  private readonly scaler: ReplicaSetScaler;

  constructor(private readonly api: DeploymentApi) {
    this.scaler = new ReplicaSetScaler(api);
  }

  private readonly ceiling = (rs: ReplicaSet): number => podCeiling(rs, (this.podsByRS.get(rs.metadata?.uid ?? '') ?? []).filter(isActivePod).length);

  /**
   * syncDeployment for `d` (a copy the sync may change) and the ReplicaSets it owns; `podsByRS` maps the uid of each
   * of them to its Pods (only Recreate looks at them).
   */
  async sync(d: Deployment, rsList: ReplicaSet[], podsByRS: ReadonlyMap<string, readonly Pod[]>): Promise<Outcome> {
    this.podsByRS = podsByRS;
    const selector = d.spec?.selector;
    if (!selector || ((selector.matchLabels === undefined || Object.keys(selector.matchLabels).length === 0) && (selector.matchExpressions ?? []).length === 0)) {
      this.api.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata?.generation ?? 0 };
        await this.writeStatus(d);
      }
      return undefined;
    }
    if (d.metadata?.deletionTimestamp) return this.syncStatusOnly(d, rsList);
    await this.checkPausedConditions(d);
    if (d.spec?.paused) return this.syncScale(d, rsList);
    if (await this.isScalingEvent(d, rsList)) return this.syncScale(d, rsList);
    const strategy = d.spec?.strategy?.type;
    if (strategy === 'Recreate') return this.rolloutRecreate(d, rsList, podsByRS);
    if (strategy === 'RollingUpdate') return this.rolloutRolling(d, rsList);
    throw new Error(`unexpected deployment strategy type: ${strategy ?? ''}`);
  }

  private async writeStatus(d: Deployment): Promise<void> {
    const updated = await this.api.updateDeploymentStatus(d);
    d.metadata = { ...d.metadata, resourceVersion: updated.metadata?.resourceVersion };
  }

  private async syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): Promise<Outcome> {
    const [newRS, oldRSs] = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
    return undefined;
  }

  /** sync: a scaling event or a paused Deployment. */
  private async syncScale(d: Deployment, rsList: ReplicaSet[]): Promise<Outcome> {
    const [newRS, oldRSs] = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await scaleDeployment(this.scaler, d, newRS, oldRSs);
    if (d.spec?.paused) await this.cleanupDeployment(oldRSs, d);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
    return undefined;
  }

  private async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, Progressing);
    if (cond?.reason === Reasons.TimedOut) return;
    const pausedExists = cond?.reason === Reasons.PausedDeploy;
    const status: DeploymentStatus = { ...(d.status ?? {}) };
    if (d.spec?.paused && !pausedExists) setCondition(status, newCondition(Progressing, 'Unknown', Reasons.PausedDeploy, 'Deployment is paused', this.api.now()));
    else if (!d.spec?.paused && pausedExists) setCondition(status, newCondition(Progressing, 'Unknown', Reasons.ResumedDeploy, 'Deployment is resumed', this.api.now()));
    else return;
    d.status = status;
    await this.writeStatus(d);
  }

  /** isScalingEvent: an active ReplicaSet was sized for another desired count than the Deployment's. */
  private async isScalingEvent(d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
    const [newRS, oldRSs] = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    return filterActive([...oldRSs, newRS]).some((rs) => {
      const desired = desiredReplicasAnnotation(rs);
      return desired !== undefined && desired !== desiredReplicas(d);
    });
  }

  /** getAllReplicaSetsAndSyncRevision: [new ReplicaSet (created when asked), every old one]. */
  async getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean): Promise<[ReplicaSet | undefined, ReplicaSet[]]> {
    const oldRSs = findOldReplicaSets(d, rsList);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, createIfNotExisted);
    return [newRS, oldRSs];
  }

  private async getNewReplicaSet(d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], createIfNotExisted: boolean): Promise<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    const now = this.api.now();
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReady = d.spec?.minReadySeconds ?? 0;
      if (annotationsUpdated || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
        copy.spec = { ...copy.spec!, minReadySeconds: minReady };
        if (minReady === 0) delete copy.spec.minReadySeconds;
        const updated = await this.api.updateReplicaSet(copy);
        // Later steps of this sync read the list again: give them the written object, not a stale resourceVersion.
        rsList[rsList.indexOf(existing)] = updated;
        return updated;
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata?.annotations?.[RevisionAnnotation] ?? '');
      if (hasProgressDeadline(d) && !getCondition(d.status, Progressing)) {
        d.status ??= {};
        setCondition(d.status, newCondition(Progressing, 'True', Reasons.FoundNewRS, `Found new replica set "${copy.metadata?.name ?? ''}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) await this.writeStatus(d);
      return copy;
    }
    if (!createIfNotExisted) return undefined;

    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [DefaultDeploymentUniqueLabelKey]: hash } };
    const selector = structuredClone(d.spec!.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [DefaultDeploymentUniqueLabelKey]: hash };
    const name = `${d.metadata?.name ?? ''}-${hash}`;
    const ns = d.metadata?.namespace ?? '';
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: ns, labels: { ...template.metadata.labels }, ownerReferences: [ownerReference(d, DEPLOYMENT_GVK)] },
      spec: { replicas: 0, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs, this.ceiling);
    rs.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.api.createReplicaSet(rs);
    } catch (err) {
      if (err instanceof ApiError && err.code === 409 && err.status.reason === 'AlreadyExists') {
        alreadyExists = true;
        const found = this.api.cachedReplicaSet(ns, name);
        if (!found) throw err;
        const ref = found.metadata?.ownerReferences?.find((r) => r.controller);
        if (ref?.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
          created = found;
        } else {
          // A hash collision: bump collisionCount so that the next sync computes another name.
          d.status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
          await this.writeStatus(d).catch(() => undefined);
          throw err;
        }
      } else if (isNamespaceTerminating(err)) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${name}": ${err instanceof Error ? err.message : String(err)}`;
        if (hasProgressDeadline(d)) {
          d.status ??= {};
          setCondition(d.status, newCondition(Progressing, 'False', Reasons.FailedRSCreate, msg, now));
          await this.writeStatus(d).catch(() => undefined);
        }
        this.api.event(d, 'Warning', Reasons.FailedRSCreate, msg);
        throw err;
      }
    }
    if (!alreadyExists && replicas > 0) this.api.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name ?? ''} from 0 to ${replicas}`);
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      d.status ??= {};
      setCondition(d.status, newCondition(Progressing, 'True', Reasons.NewReplicaSet, `Created new replica set "${created.metadata?.name ?? ''}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus(d);
    return created;
  }

  /** cleanupDeployment: deletes the oldest old ReplicaSets beyond revisionHistoryLimit that have no Pods left. */
  async cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
    const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
    if (diff <= 0) return;
    cleanable.sort(byRevision);
    for (const rs of cleanable.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.api.deleteReplicaSet(rs);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
  }

  private async syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d, this.api.now());
    if (statusEqual(d.status, status)) return;
    d.status = status;
    await this.writeStatus(d);
  }

  private async rolloutRolling(d: Deployment, rsList: ReplicaSet[]): Promise<Outcome> {
    const [newRS, oldRSs] = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
    const all = [...oldRSs, newRS];
    if (newRS && (await reconcileNewReplicaSet(this.scaler, all, newRS, d, this.ceiling))) return this.syncRolloutStatus(all, newRS, d);
    if (newRS && (await reconcileOldReplicaSets(this.scaler, all, filterActive(oldRSs), newRS, d))) return this.syncRolloutStatus(all, newRS, d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs, d);
    return this.syncRolloutStatus(all, newRS, d);
  }

  private async rolloutRecreate(d: Deployment, rsList: ReplicaSet[], podsByRS: ReadonlyMap<string, readonly Pod[]>): Promise<Outcome> {
    let [newRS, oldRSs] = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    let all = [...oldRSs, newRS];
    let scaledDown = false;
    for (const rs of filterActive(oldRSs)) if ((await this.scaler.scaleAndRecordEvent(rs, 0, d))[0]) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus(all, newRS, d);
    if (oldPodsRunning(newRS, oldRSs, podsByRS)) return this.syncRolloutStatus(all, newRS, d);
    if (!newRS) {
      [newRS, oldRSs] = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
      all = [...oldRSs, newRS];
    }
    if (newRS) await this.scaler.scaleAndRecordEvent(newRS, desiredReplicas(d), d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs, d);
    return this.syncRolloutStatus(all, newRS, d);
  }

  /** syncRolloutStatus: the status with the Progressing condition a rollout earns, and when to check its deadline. */
  private async syncRolloutStatus(all: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<Outcome> {
    const now = this.api.now();
    const status = rolloutStatus(all, newRS, d, now);
    if (statusEqual(d.status, status)) {
      const after = progressCheckAfter(d, status, now);
      if (after === undefined) return undefined;
      return after === 0 ? { requeue: true } : { requeueAfterMs: after };
    }
    d.status = status;
    await this.writeStatus(d);
    return undefined;
  }
}

const isActivePod = (p: Pod): boolean => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** oldPodsRunning: old ReplicaSets still report Pods, or a Pod of one is neither Succeeded nor Failed. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podsByRS: ReadonlyMap<string, readonly Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
