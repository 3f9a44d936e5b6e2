/**
 * One level-based pass over a Deployment and the ReplicaSets it owns (upstream's syncDeployment with sync.go,
 * rolling.go, recreate.go and progress.go): find or create the new ReplicaSet, keep the revisions, scale for a
 * rolling update, a recreate or a resize, clean up history and write the status. Everything it writes goes through
 * DeploymentApi, so the logic is tested against a fake.
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { ownerReference } from '../runtime/controller-ref.js';
import { desiredReplicasAnnotation, maxRevision, replicasAnnotationsNeedUpdate, RevisionAnnotation, setDeploymentRevision, setNewReplicaSetAnnotations, setReplicasAnnotations } from './annotations.js';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  fromReplicaSetCondition,
  getCondition,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  newCondition,
  Progressing,
  Reasons,
  removeCondition,
  ReplicaFailure,
  setCondition,
} from './deployment-conditions.js';
import { calculateStatus, progressCheckAfter, statusEqual } from './deployment-status.js';
import { desiredReplicas, isRollingUpdate, maxSurge, maxUnavailable } from './fenceposts.js';
import { computeHash, DefaultDeploymentUniqueLabelKey } from './pod-template-hash.js';
import {
  availableFloor,
  actualReplicaCount,
  byCreationTimestamp,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  equalIgnoreHash,
  filterActive,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  isSaturated,
  newRSNewReplicas,
  podCeiling,
  proportion,
  replicaCount,
  specReplicas,
} from './replica-sets.js';

export const DEPLOYMENT_GVK = { apiVersion: 'apps/v1', kind: 'Deployment' };

/** What a sync may do to the world. Each call is one API request (or a cache read); errors are ApiErrors. */
export interface DeploymentApi {
  createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  /** PUT with the ReplicaSet's resourceVersion (a stale one is a 409). */
  updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  deleteReplicaSet(rs: ReplicaSet): Promise<void>;
  /** PUT …/status; the status subresource also writes metadata.annotations, as upstream's does. */
  updateDeploymentStatus(d: Deployment): Promise<Deployment>;
  /** The informer's copy of a ReplicaSet, read after a create answered AlreadyExists. */
  cachedReplicaSet(namespace: string, name: string): ReplicaSet | undefined;
  event(d: Deployment, type: 'Normal' | 'Warning', reason: string, message: string): void;
  now(): number;
}

/** What the worker loop should do after a sync: look again after a delay, or rate-limited. */
export interface SyncOutcome {
  requeueAfterMs?: number;
  requeue?: boolean;
}

type Outcome = SyncOutcome | undefined;

const isNamespaceTerminating = (err: unknown) => err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');

export class DeploymentSync {
  /** The Pods of each ReplicaSet (by uid) the cache shows, for the sync under way. */
  private podsByRS: ReadonlyMap<string, readonly Pod[]> = new Map();

  constructor(private readonly api: DeploymentApi) {}

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
    await this.scale(d, newRS, oldRSs);
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

  /** scale: resizes the ReplicaSets when the Deployment's size changed, proportionally during a rolling update. */
  async scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const want = desiredReplicas(d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) === want) return;
      await this.scaleReplicaSetAndRecordEvent(activeOrLatest, want, d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActive(oldRSs)) await this.scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const all = filterActive([...oldRSs, newRS]);
    const allowed = want > 0 ? want + maxSurge(d) : 0;
    const toAdd = allowed - replicaCount(all);
    let operation = '';
    if (toAdd > 0) {
      all.sort(bySizeNewer);
      operation = 'up';
    } else if (toAdd < 0) {
      all.sort(bySizeOlder);
      operation = 'down';
    }
    let added = 0;
    const sizes = new Map<ReplicaSet, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = proportion(rs, d, toAdd, added);
        sizes.set(rs, specReplicas(rs) + p);
        added += p;
      } else sizes.set(rs, specReplicas(rs));
    }
    for (const [i, rs] of all.entries()) {
      if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, (sizes.get(rs) ?? 0) + toAdd - added));
      await this.scaleReplicaSet(rs, sizes.get(rs) ?? 0, d, operation);
    }
  }

  private async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): Promise<[boolean, ReplicaSet]> {
    if (specReplicas(rs) === newScale) return [false, rs];
    return this.scaleReplicaSet(rs, newScale, d, specReplicas(rs) < newScale ? 'up' : 'down');
  }

  private async scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, operation: string): Promise<[boolean, ReplicaSet]> {
    const sizeNeedsUpdate = specReplicas(rs) !== newScale;
    const max = desiredReplicas(d) + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desiredReplicas(d), max)) return [false, rs];
    const oldScale = specReplicas(rs);
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec!, replicas: newScale };
    setReplicasAnnotations(copy, desiredReplicas(d), max);
    const updated = await this.api.updateReplicaSet(copy);
    if (sizeNeedsUpdate) this.api.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata?.name ?? ''} from ${oldScale} to ${newScale}`);
    return [sizeNeedsUpdate, updated];
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
    if (newRS && (await this.reconcileNewReplicaSet(all, newRS, d))) return this.syncRolloutStatus(all, newRS, d);
    if (newRS && (await this.reconcileOldReplicaSets(all, filterActive(oldRSs), newRS, d))) return this.syncRolloutStatus(all, newRS, d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs, d);
    return this.syncRolloutStatus(all, newRS, d);
  }

  private async reconcileNewReplicaSet(all: (ReplicaSet | undefined)[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
    const want = desiredReplicas(d);
    if (specReplicas(newRS) === want) return false;
    if (specReplicas(newRS) > want) return (await this.scaleReplicaSetAndRecordEvent(newRS, want, d))[0];
    return (await this.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(d, all, newRS, this.ceiling), d))[0];
  }

  private async reconcileOldReplicaSets(all: (ReplicaSet | undefined)[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
    if (replicaCount(oldRSs) === 0) return false;
    const minAvailable = desiredReplicas(d) - maxUnavailable(d);
    const newUnavailable = specReplicas(newRS) - availableFloor(newRS);
    const maxScaledDown = replicaCount(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let cleaned: [ReplicaSet[], number];
    try {
      cleaned = await this.cleanupUnhealthyReplicas(oldRSs, d, maxScaledDown);
    } catch {
      return false;
    }
    let scaledDown: number;
    try {
      scaledDown = await this.scaleDownOldReplicaSetsForRollingUpdate([...cleaned[0], newRS], cleaned[0], d);
    } catch {
      return false;
    }
    return cleaned[1] + scaledDown > 0;
  }

  /** cleanupUnhealthyReplicas: scales old ReplicaSets down by their unavailable replicas, oldest first. */
  private async cleanupUnhealthyReplicas(oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<[ReplicaSet[], number]> {
    const sorted = [...oldRSs].sort(byCreationTimestamp);
    let total = 0;
    for (const [i, rs] of sorted.entries()) {
      if (total >= maxCleanup) break;
      const replicas = specReplicas(rs);
      const available = rs.status?.availableReplicas ?? 0;
      if (replicas === 0 || replicas === available) continue;
      const count = Math.min(maxCleanup - total, replicas - available);
      if (count <= 0) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata?.namespace ?? ''}/${rs.metadata?.name ?? ''} ${replicas} -> ${replicas - count}`);
      const [, updated] = await this.scaleReplicaSetAndRecordEvent(rs, replicas - count, d);
      total += count;
      sorted[i] = updated;
    }
    return [sorted, total];
  }

  /** scaleDownOldReplicaSetsForRollingUpdate: scales old ReplicaSets down by what is available beyond the minimum. */
  private async scaleDownOldReplicaSetsForRollingUpdate(all: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
    const minAvailable = desiredReplicas(d) - maxUnavailable(d);
    const available = all.reduce((n, rs) => n + availableFloor(rs), 0);
    if (available <= minAvailable) return 0;
    const totalToScaleDown = available - minAvailable;
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
      if (total >= totalToScaleDown) break;
      if (specReplicas(rs) === 0) continue;
      const count = Math.min(specReplicas(rs), totalToScaleDown - total);
      await this.scaleReplicaSetAndRecordEvent(rs, specReplicas(rs) - count, d);
      total += count;
    }
    return total;
  }

  private async rolloutRecreate(d: Deployment, rsList: ReplicaSet[], podsByRS: ReadonlyMap<string, readonly Pod[]>): Promise<Outcome> {
    let [newRS, oldRSs] = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    let all = [...oldRSs, newRS];
    let scaledDown = false;
    for (const rs of filterActive(oldRSs)) if ((await this.scaleReplicaSetAndRecordEvent(rs, 0, d))[0]) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus(all, newRS, d);
    if (oldPodsRunning(newRS, oldRSs, podsByRS)) return this.syncRolloutStatus(all, newRS, d);
    if (!newRS) {
      [newRS, oldRSs] = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
      all = [...oldRSs, newRS];
    }
    if (newRS) await this.scaleReplicaSetAndRecordEvent(newRS, desiredReplicas(d), d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs, d);
    return this.syncRolloutStatus(all, newRS, d);
  }

  /** syncRolloutStatus: the status with the Progressing condition a rollout earns, and when to check its deadline. */
  private async syncRolloutStatus(all: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<Outcome> {
    const now = this.api.now();
    const status = calculateStatus(all, newRS, d, now);
    if (!hasProgressDeadline(d)) removeCondition(status, Progressing);
    const current = getCondition(d.status, Progressing);
    const complete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === Reasons.NewRSAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const rsName = newRS?.metadata?.name;
      const subject = rsName !== undefined ? `ReplicaSet "${rsName}"` : `Deployment "${d.metadata?.name ?? ''}"`;
      if (deploymentComplete(d, status)) {
        setCondition(status, newCondition(Progressing, 'True', Reasons.NewRSAvailable, `${subject} has successfully progressed.`, now));
      } else if (deploymentProgressing(d, status)) {
        const cond = newCondition(Progressing, 'True', Reasons.ReplicaSetUpdated, `${subject} is progressing.`, now);
        if (current) {
          if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, Progressing);
        }
        setCondition(status, cond);
      } else if (deploymentTimedOut(d, status, now)) {
        setCondition(status, newCondition(Progressing, 'False', Reasons.TimedOut, `${subject} has timed out progressing.`, now));
      }
    }
    const failure = replicaFailure(all, newRS);
    if (failure) setCondition(status, fromReplicaSetCondition(failure));
    else removeCondition(status, ReplicaFailure);
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

function replicaFailure(all: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined) {
  const of = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === ReplicaFailure);
  return of(newRS) ?? all.map(of).find((c) => c !== undefined);
}

/** oldPodsRunning: old ReplicaSets still report Pods, or a Pod of one is neither Succeeded nor Failed. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podsByRS: ReadonlyMap<string, readonly Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
