/**
 * How the Deployment controller looks at its ReplicaSets (upstream's deploymentutil and controller helpers): which
 * one is new (its template equals the Deployment's, ignoring the hash label), the old ones, their counts, the sort
 * orders, and the sizes a rolling update and proportional scaling give them. Pure functions; nothing is written.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { maxReplicasAnnotation, revisionOf } from './annotations.js';
import { desiredReplicas, maxSurge } from './fenceposts.js';
import { canonicalize, DefaultDeploymentUniqueLabelKey } from './pod-template-hash.js';

export const specReplicas = (rs: ReplicaSet): number => rs.spec?.replicas ?? 1;

function withoutHash(t: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[DefaultDeploymentUniqueLabelKey];
  return canonicalize(copy);
}

/** EqualIgnoreHash: the templates are equal once the pod-template-hash label is removed (empty and absent alike). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return JSON.stringify(withoutHash(a)) === JSON.stringify(withoutHash(b));
}

const created = (rs: ReplicaSet): number => Date.parse(rs.metadata?.creationTimestamp ?? '') || 0;

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  return created(a) - created(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** ReplicaSetsByRevision: lowest revision first, ties by creation timestamp. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a) || 0;
  const rb = revisionOf(b) || 0;
  return ra - rb || byCreationTimestamp(a, b);
}

/** ReplicaSetsBySizeNewer: larger first, then newer first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(b, a);
}

/** ReplicaSetsBySizeOlder: larger first, then older first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(a, b);
}

/** The oldest ReplicaSet whose template is the Deployment's (FindNewReplicaSet), or undefined. */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one (FindOldReplicaSets' allOldRSs). */
export function findOldReplicaSets(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet[] {
  const newRS = findNewReplicaSet(d, rss);
  return rss.filter((rs) => newRS === undefined || rs.metadata?.uid !== newRS.metadata?.uid);
}

/** ReplicaSets with spec.replicas above zero. */
export function filterActive(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

const sum = (rss: readonly (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number): number => rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);
/** Σ spec.replicas. */
export const replicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, specReplicas);
/** Σ status.replicas. */
export const actualReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.replicas ?? 0);
export const readyReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
export const availableReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.availableReplicas ?? 0);

/**
 * How many Pods a ReplicaSet may have that are not being deleted: the largest of spec.replicas, status.replicas and
 * `seenActive` (its Pods in the cache without a deletionTimestamp). Where a rolling update decides how far the new
 * ReplicaSet may grow, ReplicaSets count with this instead of upstream's spec.replicas, so that surge Pods are created
 * only once the Pods an old ReplicaSet was scaled down from are being deleted (upstream may briefly run more than
 * replicas + maxSurge Pods while the ReplicaSet controller catches up).
 */
export function podCeiling(rs: ReplicaSet, seenActive = 0): number {
  return Math.max(specReplicas(rs), rs.status?.replicas ?? 0, seenActive);
}

/**
 * The available Pods a ReplicaSet keeps once its controller has deleted down to spec.replicas, at worst:
 * status.availableReplicas less the Pods above spec.replicas that its status still counts. Where a rolling update
 * decides how far old ReplicaSets may shrink, this stands for upstream's status.availableReplicas, which still counts
 * the Pods a scale-down is deleting until the ReplicaSet controller has seen them go.
 */
export function availableFloor(rs: ReplicaSet | undefined): number {
  if (rs === undefined) return 0;
  const excess = Math.max(0, (rs.status?.replicas ?? 0) - specReplicas(rs));
  return Math.max(0, (rs.status?.availableReplicas ?? 0) - excess);
}

/** FindActiveOrLatest: the only active ReplicaSet; with none active, the new one or else the newest old one. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** IsSaturated: the new ReplicaSet runs the full count, was sized for it, and all of it is available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (rs === undefined) return false;
  const desired = rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'];
  if (desired === undefined || !/^-?\d+$/.test(desired)) return false;
  const want = desiredReplicas(d);
  return specReplicas(rs) === want && Number(desired) === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** Go's math.Round: half away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** getReplicaSetFraction: how many replicas `rs` gains (or loses) when the Deployment is resized to its spec. */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (desiredReplicas(d) === 0) return -specReplicas(rs);
  const maxNow = desiredReplicas(d) + maxSurge(d);
  let before = maxReplicasAnnotation(rs);
  if (before === undefined || before === 0) {
    before = d.status?.replicas ?? 0;
    if (before === 0) return 0;
  }
  return roundHalfAway((specReplicas(rs) * maxNow) / before) - specReplicas(rs);
}

/** GetProportion: the share of `toAdd` (negative to remove) that `rs` gets, given `added` handed out so far. */
export function proportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (rs === undefined || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * NewRSNewReplicas: the size the new ReplicaSet may have now. RollingUpdate: grow towards the desired count without
 * the ReplicaSets exceeding desired + maxSurge Pods (counted with podCeiling); Recreate: the desired count.
 */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet, ceiling: (rs: ReplicaSet) => number = podCeiling): number {
  const strategy = d.spec?.strategy?.type;
  if (strategy === 'Recreate') return desiredReplicas(d);
  if (strategy !== 'RollingUpdate') throw new Error(`deployment type ${strategy ?? ''} isn't supported`);
  const maxTotal = desiredReplicas(d) + maxSurge(d);
  const current = sum(allRSs, ceiling);
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, desiredReplicas(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}
