/**
 * The annotations the Deployment controller keeps on its ReplicaSets and on the Deployment (upstream's
 * deploymentutil): the revision, the revisions a rolled-back-to ReplicaSet had before, and the desired and maximum
 * replicas a ReplicaSet was last sized for (which proportional scaling reads).
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { desiredReplicas, maxSurge } from './fenceposts.js';

export const RevisionAnnotation = 'deployment.kubernetes.io/revision';
export const RevisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const DesiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const MaxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** upstream's maxRevHistoryLengthInChars. */
export const MaxRevisionHistoryLength = 2000;

/** Deployment annotations never copied to a ReplicaSet (upstream's annotationsToSkip). */
export const annotationsToSkip: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  DesiredReplicasAnnotation,
  MaxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** The revision of an object: its annotation as an integer, 0 when absent; NaN when unparsable. */
export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  const v = obj.metadata?.annotations?.[RevisionAnnotation];
  if (v === undefined || v === '') return 0;
  return /^-?\d+$/.test(v) ? Number(v) : Number.NaN;
}

/** The highest revision among `rss` (unparsable ones skipped), 0 for none. */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (!Number.isNaN(v) && v > max) max = v;
  }
  return max;
}

function annotationsOf(obj: { metadata?: { annotations?: Record<string, string> } }): Record<string, string> {
  obj.metadata ??= {};
  obj.metadata.annotations ??= {};
  return obj.metadata.annotations;
}

/** Copies the Deployment's annotations (but annotationsToSkip) onto `rs`; true when something changed. */
export function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  const target = annotationsOf(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (annotationsToSkip.has(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas on `rs`; true when either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = annotationsOf(rs);
  let changed = false;
  if (a[DesiredReplicasAnnotation] !== String(desired)) {
    a[DesiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (a[MaxReplicasAnnotation] !== String(max)) {
    a[MaxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

/** True when desired-replicas or max-replicas of `rs` differ from these. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DesiredReplicasAnnotation] !== String(desired) || a[MaxReplicasAnnotation] !== String(max);
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

export const desiredReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, DesiredReplicasAnnotation);
export const maxReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, MaxReplicasAnnotation);

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision of `rs` to `newRevision` when
 * it is lower (a ReplicaSet that had a revision — one rolled back to — appends its old revision to revision-history,
 * dropping the oldest ones beyond `historyLimit` characters), and sets the replicas annotations on a ReplicaSet about
 * to be created (`exists` false). True when an annotation changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean, historyLimit = MaxRevisionHistoryLength): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const a = annotationsOf(rs);
  const hadRevision = RevisionAnnotation in a;
  const oldRevision = a[RevisionAnnotation] ?? '';
  let oldInt = 0;
  if (oldRevision !== '') {
    if (!/^-?\d+$/.test(oldRevision)) return false;
    oldInt = Number(oldRevision);
  }
  if (oldInt < newRevision) {
    a[RevisionAnnotation] = String(newRevision);
    changed = true;
    if (hadRevision) {
      const history = a[RevisionHistoryAnnotation] ?? '';
      if (history === '') a[RevisionHistoryAnnotation] = oldRevision;
      else {
        let revisions = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > historyLimit && start < revisions.length) total -= (revisions[start++]?.length ?? 0) + 1;
        if (total <= historyLimit) {
          revisions = [...revisions.slice(start), oldRevision];
          a[RevisionHistoryAnnotation] = revisions.join(',');
        }
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentRevision: true when the Deployment's revision annotation changed to `revision`. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = annotationsOf(d);
  if (a[RevisionAnnotation] === revision) return false;
  a[RevisionAnnotation] = revision;
  return true;
}
