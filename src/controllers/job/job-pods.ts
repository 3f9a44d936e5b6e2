/** What the Job controller reads from its Pods (upstream's job_controller.go helpers and controller_utils). */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { timestampMs } from '../replicaset/replicaset-status.js';

/** batch.kubernetes.io/job-tracking: keeps a finished Pod until the Job has counted it. */
export const JobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';

export function hasJobTrackingFinalizer(pod: Pod): boolean {
  return (pod.metadata?.finalizers ?? []).includes(JobTrackingFinalizer);
}

/** The strategic merge patch that removes the tracking finalizer (undefined when the Pod has none). */
export function removeTrackingFinalizerPatch(pod: Pod): object | undefined {
  if (!hasJobTrackingFinalizer(pod)) return undefined;
  return { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JobTrackingFinalizer] } };
}

const deleting = (pod: Pod) => pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;

/** podReplacementPolicy Failed: only Pods in phase Failed are replaced (and counted) as failed. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;
}

/**
 * isPodFailed: phase Failed; or, unless only failed Pods are replaced, a Pod being deleted that did not succeed
 * (so that orphaned and deleted Pods count as failures).
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return deleting(pod) && pod.status?.phase !== 'Succeeded';
}

/** CountTerminatingPods: being deleted and not yet finished. */
export function countTerminatingPods(pods: readonly Pod[]): number {
  return pods.filter((p) => deleting(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
}

/**
 * When the Pod finished, for the backoff: its containers' latest finishedAt, else the time its Ready condition went
 * False, else its deletionTimestamp, else now (upstream's getFinishedTime).
 */
export function finishedTime(pod: Pod, now: number): number {
  let latest: number | undefined;
  for (const cs of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const t = timestampMs(cs.state?.terminated?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  return timestampMs(ready?.lastTransitionTime) ?? timestampMs(pod.metadata?.deletionTimestamp) ?? now;
}

/**
 * pastBackoffLimitOnFailure: with restartPolicy OnFailure, the restarts of the running and pending Pods' containers
 * reach backoffLimit (any restart when it is 0).
 */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const cs of [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}
