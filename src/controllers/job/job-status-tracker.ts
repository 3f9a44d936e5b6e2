/**
 * The status half of syncJob (trackJobStatusAndRemoveFinalizers): a finished Pod's uid goes to
 * status.uncountedTerminatedPods first, then its finalizer is removed, then it moves to the counters; only then does the
 * Job get its terminal condition (Complete or Failed after SuccessCriteriaMet or FailureTarget).
 */
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { completionIndex, formatIndexes, isIndexedJob, validIndex } from './completion-index.js';
import { ensureConditionStatus, newCondition } from './job-conditions.js';
import { hasJobTrackingFinalizer, isPodFailed, removeTrackingFinalizerPatch } from './job-pods.js';
import { jobEvent, MAX_UNCOUNTED_PODS, normalizeJobStatus, successCriteriaMet, uidOf, type JobSyncDeps, type SyncJobContext } from './job-sync-context.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

export class JobStatusTracker {
  constructor(private readonly d: JobSyncDeps) {}

  private now(): number {
    return this.d.clock.now();
  }

  private event(job: Job, type: 'Normal' | 'Warning', reason: string, message: string): void {
    jobEvent(this.d.recorder, job, type, reason, message);
  }

  /** trackJobStatusAndRemoveFinalizers. */
  async track(ctx: SyncJobContext, needsFlushIn: boolean): Promise<void> {
    let needsFlush = needsFlushIn;
    const job = ctx.job;
    const status = job.status!;
    const uncounted = status.uncountedTerminatedPods!;
    uncounted.succeeded = [...(uncounted.succeeded ?? [])];
    uncounted.failed = [...(uncounted.failed ?? [])];
    const indexed = isIndexedJob(job);
    const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : ctx.pods;
    const withFinalizer = new Set(pods.filter((p) => hasJobTrackingFinalizer(p) && !ctx.expectedRmFinalizers.has(uidOf(p))).map(uidOf));
    if (cleanUncounted(status, withFinalizer)) needsFlush = true;
    const toRemoveFinalizer: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMax = false;
    const jobFailing = ctx.finishedCondition !== undefined && ctx.finishedCondition.type !== 'SuccessCriteriaMet';
    for (const pod of pods) {
      if (!hasJobTrackingFinalizer(pod) || ctx.expectedRmFinalizers.has(uidOf(pod))) continue;
      const failed = isPodFailed(pod, job);
      const delayed = ctx.delayedDeletion?.get(completionIndex(pod)) === pod;
      const canRemove = !!job.metadata?.deletionTimestamp || ctx.finishedCondition !== undefined || pod.status?.phase === 'Succeeded' || (failed && !delayed);
      if (!canRemove) continue;
      toRemoveFinalizer.push(pod);
      const ix = completionIndex(pod);
      if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uidOf(pod))) {
        if (indexed) {
          if (validIndex(job, ix) && !ctx.prevSucceededIndexes?.has(ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!ctx.uncounted.succeeded.has(uidOf(pod))) {
          uncounted.succeeded.push(uidOf(pod));
          needsFlush = true;
        }
      } else if (failed || jobFailing) {
        if (!ctx.uncounted.failed.has(uidOf(pod)) && (!indexed || validIndex(job, ix))) {
          if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
            uncounted.failed.push(uidOf(pod));
            needsFlush = true;
          }
        }
      }
      if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      const all = new Set([...(ctx.succeededIndexes ?? []), ...newSucceededIndexes]);
      const text = formatIndexes(all);
      if (text !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = all.size;
      status.completedIndexes = text;
      if (ctx.failedIndexes) {
        const failedText = formatIndexes(ctx.failedIndexes);
        if (failedText !== status.failedIndexes) needsFlush = true;
        status.failedIndexes = failedText;
      }
    }
    if (ctx.finishedCondition?.type === 'FailureTarget') {
      status.conditions = [...(status.conditions ?? []), ctx.finishedCondition];
      needsFlush = true;
      ctx.finishedCondition = newCondition('Failed', 'True', ctx.finishedCondition.reason ?? '', ctx.finishedCondition.message ?? '', this.now());
    }
    if (ctx.finishedCondition?.type === 'SuccessCriteriaMet') {
      if (!successCriteriaMet(job)) {
        status.conditions = [...(status.conditions ?? []), ctx.finishedCondition];
        needsFlush = true;
      }
      ctx.finishedCondition = newCondition('Complete', 'True', ctx.finishedCondition.reason ?? '', ctx.finishedCondition.message ?? '', this.now());
    }
    needsFlush = await this.flushUncountedAndRemoveFinalizers(ctx, toRemoveFinalizer, withFinalizer, needsFlush);
    const finished = !reachedMax && this.enactJobFinished(ctx);
    if (finished) needsFlush = true;
    if (!needsFlush) return;
    ctx.job = await this.updateStatus(ctx.job);
    if (finished && ctx.finishedCondition) this.recordJobFinished(ctx.job, ctx.finishedCondition);
  }

  /** flushUncountedAndRemoveFinalizers: returns whether changes remain to be written. */
  private async flushUncountedAndRemoveFinalizers(ctx: SyncJobContext, pods: readonly Pod[], withFinalizer: Set<string>, needsFlush: boolean): Promise<boolean> {
    if (needsFlush) {
      ctx.job = await this.updateStatus(ctx.job);
      this.d.backoff.update(ctx.newBackoffRecord);
      needsFlush = false;
    }
    let rmError: unknown;
    if (pods.length > 0) {
      this.d.finalizerExpectations.expectRemoved(ctx.key, pods.map(uidOf));
      await Promise.all(
        pods.map(async (pod) => {
          const patch = removeTrackingFinalizerPatch(pod);
          if (!patch) return;
          try {
            await this.d.pods.patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'strategic', patch);
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 404)) {
              this.d.finalizerExpectations.observed(ctx.key, uidOf(pod));
              rmError ??= err;
              return;
            }
          }
          withFinalizer.delete(uidOf(pod));
        }),
      );
    }
    if (cleanUncounted(ctx.job.status!, withFinalizer)) needsFlush = true;
    if (rmError !== undefined) {
      if (needsFlush) ctx.job = await this.updateStatus(ctx.job);
      throw rmError;
    }
    return needsFlush;
  }

  /** enactJobFinished: the terminal condition once nothing is uncounted or terminating. */
  private enactJobFinished(ctx: SyncJobContext): boolean {
    const cond = ctx.finishedCondition;
    if (!cond) return false;
    const status = ctx.job.status!;
    const u = status.uncountedTerminatedPods;
    if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
    if (ctx.terminating > 0) return false;
    const now = this.now();
    status.conditions = ensureConditionStatus(status.conditions, cond.type, cond.status, cond.reason ?? '', cond.message ?? '', now).conditions;
    if (cond.type === 'Complete') status.completionTime = cond.lastTransitionTime;
    return true;
  }

  private recordJobFinished(job: Job, cond: JobCondition): void {
    if (cond.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions !== undefined && completions !== null && (job.status?.succeeded ?? 0) > completions) {
        this.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.event(job, 'Warning', cond.reason ?? '', cond.message ?? '');
    }
  }

  private async updateStatus(job: Job): Promise<Job> {
    return this.d.jobs.updateStatus(job.metadata?.namespace ?? '', { ...job, status: normalizeJobStatus(job.status ?? {}) });
  }
}

/** cleanUncountedPodsWithoutFinalizers: uncounted uids whose Pod lost its finalizer move to the counters. */
function cleanUncounted(status: JobStatus, withFinalizer: ReadonlySet<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keptSucceeded = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  if (keptSucceeded.length !== (u.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - keptSucceeded.length;
    changed = true;
  }
  const keptFailed = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  if (keptFailed.length !== (u.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - keptFailed.length;
    changed = true;
  }
  u.succeeded = keptSucceeded;
  u.failed = keptFailed;
  return changed;
}

