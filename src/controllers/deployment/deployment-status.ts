/** The status a Deployment reports for its ReplicaSets (upstream's calculateStatus and syncRolloutStatus). */
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { canonicalize } from './pod-template-hash.js';
import {
  Available,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  fromReplicaSetCondition,
  getCondition,
  hasProgressDeadline,
  newCondition,
  Progressing,
  Reasons,
  removeCondition,
  ReplicaFailure,
  setCondition,
} from './deployment-conditions.js';
import { desiredReplicas, maxUnavailable } from './fenceposts.js';
import { actualReplicaCount, availableReplicaCount, readyReplicaCount, replicaCount } from './replica-sets.js';

/**
 * observedGeneration, replicas (Σ status.replicas), updatedReplicas (the new ReplicaSet's), readyReplicas,
 * availableReplicas, unavailableReplicas (Σ spec.replicas − available, not below 0), the Deployment's conditions with
 * Available set to MinimumReplicasAvailable when at least replicas − maxUnavailable are available (else
 * MinimumReplicasUnavailable), and collisionCount. Zero counts are left out, as upstream's JSON omits them.
 */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const unavailable = Math.max(0, replicaCount(allRSs) - available);
  const counts: [keyof DeploymentStatus, number][] = [
    ['observedGeneration', d.metadata?.generation ?? 0],
    ['replicas', actualReplicaCount(allRSs)],
    ['updatedReplicas', actualReplicaCount([newRS])],
    ['readyReplicas', readyReplicaCount(allRSs)],
    ['availableReplicas', available],
    ['unavailableReplicas', unavailable],
  ];
  const status: DeploymentStatus = {};
  for (const [k, v] of counts) if (v !== 0) (status as Record<string, number>)[k] = v;
  const conditions = d.status?.conditions;
  if (conditions && conditions.length > 0) status.conditions = conditions.map((c) => ({ ...c }));
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(Available, 'True', Reasons.MinimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition(Available, 'False', Reasons.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  if (d.status?.collisionCount !== undefined && d.status.collisionCount !== null) status.collisionCount = d.status.collisionCount;
  return status;
}

/** reflect.DeepEqual of two statuses as JSON (absent and zero alike). */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  const norm = (s: DeploymentStatus | undefined) => {
    const c = canonicalize(s ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(c)) if (c[k] === 0) delete c[k];
    return JSON.stringify(c);
  };
  return norm(a) === norm(b);
}

/**
 * requeueStuckDeployment: when a rollout with a deadline is neither complete nor timed out, how long (ms) until its
 * deadline should be checked again (deadline − now + 1 s), 0 to check now, or undefined for no check.
 */
export function progressCheckAfter(d: Deployment, newStatus: DeploymentStatus, now: number): number | undefined {
  const current = getCondition(d.status, Progressing);
  const deadline = d.spec?.progressDeadlineSeconds;
  if (deadline === undefined || deadline === null || deadline === 2147483647 || !current) return undefined;
  if (deploymentComplete(d, newStatus) || current.reason === Reasons.TimedOut) return undefined;
  const after = (Date.parse(current.lastUpdateTime ?? '') || 0) + deadline * 1000 - now;
  return after < 1000 ? 0 : after + 1000;
}

/**
 * The status after a rollout step (syncRolloutStatus): calculateStatus, then — with a progress deadline and unless
 * the rollout was already complete — Progressing NewReplicaSetAvailable once complete, ReplicaSetUpdated (a new
 * lastUpdateTime, the lastTransitionTime kept) on any progress, or ProgressDeadlineExceeded past the deadline; and the
 * new ReplicaSet's ReplicaFailure condition (else an old one's) copied, or removed.
 */
export function rolloutStatus(all: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
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
  const of = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === ReplicaFailure);
  const failure = of(newRS) ?? all.map(of).find((c) => c !== undefined);
  if (failure) setCondition(status, fromReplicaSetCondition(failure));
  else removeCondition(status, ReplicaFailure);
  return status;
}
