/**
 * backoffLimitPerIndex for Indexed Jobs (upstream's indexed_job_utils.go): each index has its own failure count,
 * carried from a failed Pod to its replacement in annotations; an index whose count reaches the limit, or whose Pod
 * matched a FailIndex rule, is failed for good (status.failedIndexes) and is not retried.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { completionIndex, parseIndexes, validIndex } from './completion-index.js';
import { remainingBackoffMs } from './job-backoff.js';
import { finishedTime, hasJobTrackingFinalizer, isPodFailed } from './job-pods.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

export const JobIndexFailureCountAnnotation = 'batch.kubernetes.io/job-index-failure-count';
export const JobIndexIgnoredFailureCountAnnotation = 'batch.kubernetes.io/job-index-ignored-failure-count';

export function hasBackoffLimitPerIndex(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed' && job.spec.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;
}

function annotationCount(pod: Pod, name: string): number {
  const value = pod.metadata?.annotations?.[name];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : 0;
}

/** The failures counted for the Pod's index before it (getIndexFailureCount). */
export function indexFailureCount(pod: Pod): number {
  return annotationCount(pod, JobIndexFailureCountAnnotation);
}

/** Counted and ignored failures before the Pod (getIndexAbsoluteFailureCount). */
function absoluteFailureCount(pod: Pod): number {
  return indexFailureCount(pod) + annotationCount(pod, JobIndexIgnoredFailureCountAnnotation);
}

/** isIndexFailed: the Pod failed its index for good. */
function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  const match = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod);
  if (match.action === 'FailIndex') return true;
  return match.countFailed && indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** calculateFailedIndexes: status.failedIndexes plus the indexes of uncounted Pods that failed their index. */
export function failedIndexes(job: Job, pods: readonly Pod[]): Set<number> {
  const result = parseIndexes(job.status?.failedIndexes ?? undefined, job.spec?.completions ?? 0);
  for (const p of pods) {
    const ix = completionIndex(p);
    if (validIndex(job, ix) && hasJobTrackingFinalizer(p) && isIndexFailed(job, p)) result.add(ix);
  }
  return result;
}

/**
 * getPodsWithDelayedDeletionPerIndex: per index still to be retried, its latest failed Pod (by counts, then finish
 * time); that Pod keeps its finalizer until its replacement exists, so the count is not lost.
 */
export function podsWithDelayedDeletion(job: Job, pods: readonly Pod[], activePods: readonly Pod[], succeeded: ReadonlySet<number>, failed: ReadonlySet<number>, expectedRm: ReadonlySet<string>, now: number): Map<number, Pod> {
  const active = new Set(activePods.map(completionIndex));
  const result = new Map<number, Pod>();
  for (const p of pods) {
    if (!hasJobTrackingFinalizer(p) || expectedRm.has(p.metadata?.uid ?? '') || !isPodFailed(p, job)) continue;
    const ix = completionIndex(p);
    if (!validIndex(job, ix) || succeeded.has(ix) || failed.has(ix) || active.has(ix)) continue;
    const last = result.get(ix);
    if (!last || (absoluteFailureCount(last) <= absoluteFailureCount(p) && finishedTime(p, now) >= finishedTime(last, now))) result.set(ix, p);
  }
  return result;
}

/** getNewIndexFailureCounts: the annotations of the Pod replacing `replaced` (both 0 for an index's first Pod). */
export function failureCountAnnotations(job: Job, replaced: Pod | undefined): Record<string, string> {
  let counted = replaced ? indexFailureCount(replaced) : 0;
  let ignored = replaced ? annotationCount(replaced, JobIndexIgnoredFailureCountAnnotation) : 0;
  if (replaced) {
    if (matchPodFailurePolicy(job.spec?.podFailurePolicy, replaced).countFailed) counted++;
    else ignored++;
  }
  return { [JobIndexFailureCountAnnotation]: String(counted), ...(ignored > 0 ? { [JobIndexIgnoredFailureCountAnnotation]: String(ignored) } : {}) };
}

/** The per-index backoff before replacing `lastFailed` (getRemainingTimePerIndex). */
export function remainingBackoffForIndex(lastFailed: Pod | undefined, now: number, baseMs: number, maxMs: number): number {
  if (!lastFailed) return 0;
  const record = { key: '', failuresAfterLastSuccess: absoluteFailureCount(lastFailed) + 1, lastFailureTime: finishedTime(lastFailed, now) };
  return remainingBackoffMs(record, now, baseMs, maxMs);
}
