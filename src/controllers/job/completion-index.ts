/**
 * Indexed Jobs: the completion index of a Pod, the sets of completed indexes as status.completedIndexes writes them
 * ("1,3-5"), which indexes still need a Pod, and the names and hostnames of indexed Pods (upstream's indexed_job_utils.go).
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';

export const JobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
/** The label with the same value (PodIndexLabel, on in v1.32). */
export const JobCompletionIndexLabel = 'batch.kubernetes.io/job-completion-index';
export const JobCompletionIndexEnv = 'JOB_COMPLETION_INDEX';
/** names.MaxGeneratedNameLength: 63 minus the 5 random characters. */
const MAX_GENERATED_NAME_LENGTH = 58;

export function isIndexedJob(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

/** The Pod's completion index from its annotation, or -1 when absent or not a non-negative int32. */
export function completionIndex(pod: Pod): number {
  const value = pod.metadata?.annotations?.[JobCompletionIndexAnnotation];
  if (value === undefined || !/^\d+$/.test(value)) return -1;
  const n = Number(value);
  return n <= 2 ** 31 - 1 ? n : -1;
}

/** A valid index for the Job: known and below spec.completions. */
export function validIndex(job: Job, ix: number): boolean {
  return ix >= 0 && ix < (job.spec?.completions ?? 0);
}

/** parseIndexesFromString: "1,3-5" → {1,3,4,5}, ignoring malformed parts and indexes ≥ completions. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const result = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const first = Number(m[1]);
    const last = Math.min(m[2] === undefined ? first : Number(m[2]), completions - 1);
    for (let i = first; i <= last; i++) result.add(i);
  }
  return result;
}

/** The intervals' String(): ascending, consecutive runs as "a-b", joined by commas. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * calculateSucceededIndexes: the indexes status.completedIndexes already holds, and those plus the indexes of
 * succeeded Pods that still carry the tracking finalizer.
 */
export function succeededIndexes(job: Job, pods: readonly Pod[], hasFinalizer: (p: Pod) => boolean): { previous: Set<number>; current: Set<number> } {
  const completions = job.spec?.completions ?? 0;
  const previous = parseIndexes(job.status?.completedIndexes, completions);
  const current = new Set(previous);
  for (const p of pods) {
    const ix = completionIndex(p);
    if (p.status?.phase === 'Succeeded' && validIndex(job, ix) && hasFinalizer(p)) current.add(ix);
  }
  return { previous, current };
}

/** firstPendingIndexes: the lowest `count` indexes neither succeeded nor held by an active Pod. */
export function firstPendingIndexes(job: Job, activePods: readonly Pod[], succeeded: ReadonlySet<number>, count: number): number[] {
  const completions = job.spec?.completions ?? 0;
  const taken = new Set(succeeded);
  for (const p of activePods) taken.add(completionIndex(p));
  const result: number[] = [];
  for (let i = 0; i < completions && result.length < count; i++) if (!taken.has(i)) result.push(i);
  return result;
}

/**
 * appendDuplicatedIndexPodsForRemoval: active Pods without a valid index, and all but one Pod of each repeated index
 * (the one kept is the last in `sortForRemoval`'s order, the most advanced), must go.
 */
export function duplicatedIndexPods(job: Job, pods: readonly Pod[], sortForRemoval: (pods: Pod[]) => Pod[]): { remove: Pod[]; keep: Pod[] } {
  const byIndex = new Map<number, Pod[]>();
  const remove: Pod[] = [];
  for (const p of pods) {
    const ix = completionIndex(p);
    if (!validIndex(job, ix)) {
      remove.push(p);
      continue;
    }
    byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  const keep: Pod[] = [];
  for (const group of byIndex.values()) {
    const ordered = sortForRemoval(group);
    remove.push(...ordered.slice(0, -1));
    keep.push(ordered[ordered.length - 1]!);
  }
  return { remove, keep };
}

/** podGenerateNameWithIndex: `<job>-<index>-`, the job name cut so that the prefix fits a generated name. */
export function indexedPodGenerateName(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = `${jobName}${suffix}`;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? `${jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length)}${suffix}` : prefix;
}
