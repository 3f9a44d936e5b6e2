/**
 * One pass of upstream's syncJob over a Job and the Pods it owns (pkg/controller/job/job_controller.go, v1.32):
 * the failure and success criteria and manageJob (create, delete, suspend, backoff); the status is then written by
 * JobStatusTracker (job-status-tracker.ts) under the job-tracking finalizer protocol.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { objectKey } from '../../client/index.js';
import { ownerReference } from '../runtime/controller-ref.js';
import { SlowStartInitialBatchSize, slowStartBatch } from '../runtime/slow-start.js';
import { getPodsToDelete, isPodActive } from '../replicaset/pods-to-delete.js';
import { formatTimestamp, isPodReady, timestampMs } from '../replicaset/replicaset-status.js';
import { completionIndex, duplicatedIndexPods, firstPendingIndexes, isIndexedJob, succeededIndexes, validIndex } from './completion-index.js';
import { remainingBackoffMs } from './job-backoff.js';
import { failedIndexes, failureCountAnnotations, hasBackoffLimitPerIndex, podsWithDelayedDeletion, remainingBackoffForIndex } from './backoff-limit-per-index.js';
import { ensureConditionStatus, findCondition, newCondition, JobReason } from './job-conditions.js';
import { podForJob } from './job-pod-template.js';
import { countTerminatingPods, hasJobTrackingFinalizer, isPodFailed, onlyReplaceFailedPods, pastBackoffLimitOnFailure, removeTrackingFinalizerPatch } from './job-pods.js';
import {
  errorText,
  isNamespaceTerminating,
  JOB_GVK,
  jobEvent,
  jobSuspended,
  MAX_POD_CREATE_DELETE_PER_SYNC,
  requeue,
  successCriteriaMet,
  uidOf,
  type JobSyncDeps,
  type SyncJobContext,
} from './job-sync-context.js';
import { JobStatusTracker } from './job-status-tracker.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { matchSuccessPolicy } from './success-policy.js';

export class JobSync {
  private readonly tracker: JobStatusTracker;

  constructor(private readonly d: JobSyncDeps) {
    this.tracker = new JobStatusTracker(d);
  }

  private now(): number {
    return this.d.clock.now();
  }

  private event(job: Job, type: 'Normal' | 'Warning', reason: string, message: string): void {
    jobEvent(this.d.recorder, job, type, reason, message);
  }

  /** syncJob for an unfinished Job and the Pods it claimed; returns when to look again. */
  async sync(shared: Job, pods: Pod[]): Promise<{ requeueAfterMs?: number }> {
    const key = objectKey(shared);
    const job: Job = structuredClone(shared);
    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};
    const satisfied = this.d.expectations.satisfiedExpectations(key);
    const activePods = pods.filter(isPodActive);
    const now = this.now();
    const ctx: SyncJobContext = {
      job,
      key,
      pods,
      activePods,
      ready: activePods.filter(isPodReady).length,
      terminating: countTerminatingPods(pods),
      succeeded: 0,
      failed: 0,
      uncounted: { succeeded: new Set(status.uncountedTerminatedPods.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods.failed ?? []) },
      expectedRmFinalizers: new Set(this.d.finalizerExpectations.expected(key)),
      newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
    };
    let active = activePods.length;
    const newSucceeded = this.newFinishedPods(ctx, ctx.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = this.newFinishedPods(ctx, ctx.uncounted.failed, (p) => isPodFailed(p, job));
    const counted = newFailed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length;
    ctx.succeeded = (status.succeeded ?? 0) + newSucceeded.length + ctx.uncounted.succeeded.size;
    ctx.failed = (status.failed ?? 0) + counted + ctx.uncounted.failed.size;
    if (!status.startTime && !jobSuspended(job)) status.startTime = formatTimestamp(now);
    ctx.newBackoffRecord = this.d.backoff.newRecord(key, newSucceeded, newFailed, now);

    const backoffLimit = job.spec?.backoffLimit ?? 6;
    ctx.finishedCondition = successCriteriaMet(job);
    if (!ctx.finishedCondition) {
      const target = findCondition(status.conditions, 'FailureTarget');
      if (target?.status === 'True') ctx.finishedCondition = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const message = failJobMessage(job, pods);
        if (message !== undefined) ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReason.PodFailurePolicy, message, now);
      }
    }
    if (!ctx.finishedCondition) {
      if (ctx.failed > backoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReason.BackoffLimitExceeded, 'Job has reached the specified backoff limit', now);
      } else if (this.pastActiveDeadline(job)) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReason.DeadlineExceeded, 'Job was active longer than specified deadline', now);
      } else if (job.spec?.activeDeadlineSeconds !== undefined && !jobSuspended(job)) {
        const started = timestampMs(status.startTime) ?? now;
        requeue(ctx, job.spec.activeDeadlineSeconds * 1000 - (now - started));
      }
    }
    if (isIndexedJob(job)) {
      const { previous, current } = succeededIndexes(job, pods, hasJobTrackingFinalizer);
      ctx.prevSucceededIndexes = previous;
      ctx.succeededIndexes = current;
      ctx.succeeded = current.size;
      if (hasBackoffLimitPerIndex(job)) this.evaluateFailedIndexes(ctx, now);
      if (!ctx.finishedCondition) {
        const message = matchSuccessPolicy(job.spec?.successPolicy, job.spec?.completions ?? 0, current);
        if (message !== undefined) ctx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', JobReason.SuccessPolicy, message, now);
      }
    }

    let manageError: unknown;
    let suspendChanged = false;
    if (ctx.finishedCondition) {
      const { deletedReady, deleted, error } = await this.deletePods(job, activePods, false);
      if (deleted !== active || !satisfied) ctx.finishedCondition = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageError = error;
    } else {
      let manageCalled = false;
      if (satisfied && !job.metadata?.deletionTimestamp) {
        const r = await this.manageJob(ctx);
        active = r.active;
        manageError = r.error;
        manageCalled = true;
      }
      const completions = job.spec?.completions;
      const complete = completions === undefined || completions === null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
      if (complete) {
        ctx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', JobReason.CompletionsReached, 'Reached expected number of succeeded pods', now);
      } else if (manageCalled) {
        suspendChanged = this.updateSuspendCondition(job, now);
      }
    }
    const needsStatusUpdate =
      suspendChanged || active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating || status.startTime !== shared.status?.startTime;
    status.active = active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    await this.tracker.track(ctx, needsStatusUpdate);
    if (manageError !== undefined) throw manageError;
    return ctx.requeueAfterMs !== undefined ? { requeueAfterMs: ctx.requeueAfterMs } : {};
  }

  /** Failed indexes and the Job failures they cause (MaxFailedIndexesExceeded, FailedIndexes). */
  private evaluateFailedIndexes(ctx: SyncJobContext, now: number): void {
    const { job } = ctx;
    const failed = failedIndexes(job, ctx.pods);
    ctx.failedIndexes = failed;
    if (!ctx.finishedCondition) {
      const max = job.spec?.maxFailedIndexes;
      if (max !== undefined && max !== null && failed.size > max) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReason.MaxFailedIndexesExceeded, 'Job has exceeded the specified maximal number of failed indexes', now);
      } else if (failed.size > 0 && failed.size + (ctx.succeededIndexes?.size ?? 0) >= (job.spec?.completions ?? 0)) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', JobReason.FailedIndexes, 'Job has failed indexes', now);
      }
    }
    ctx.delayedDeletion = podsWithDelayedDeletion(job, ctx.pods, ctx.activePods, ctx.succeededIndexes ?? new Set(), failed, ctx.expectedRmFinalizers, now);
  }

  /** getValidPodsWithFilter: Pods with the finalizer, not yet uncounted or expected, with a valid index if Indexed. */
  private newFinishedPods(ctx: SyncJobContext, uncounted: ReadonlySet<string>, filter: (p: Pod) => boolean): Pod[] {
    return ctx.pods.filter((p) => {
      if (!hasJobTrackingFinalizer(p) || uncounted.has(uidOf(p)) || ctx.expectedRmFinalizers.has(uidOf(p))) return false;
      if (isIndexedJob(ctx.job) && !validIndex(ctx.job, completionIndex(p))) return false;
      return filter(p);
    });
  }

  private pastActiveDeadline(job: Job): boolean {
    const started = timestampMs(job.status?.startTime);
    if (job.spec?.activeDeadlineSeconds === undefined || started === undefined || jobSuspended(job)) return false;
    return this.now() - started >= job.spec.activeDeadlineSeconds * 1000;
  }

  /** The Suspended condition and its events; resuming resets startTime (activeDeadlineSeconds counts active time). */
  private updateSuspendCondition(job: Job, now: number): boolean {
    const status = job.status!;
    if (jobSuspended(job)) {
      const r = ensureConditionStatus(status.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
      status.conditions = r.conditions;
      if (r.changed) this.event(job, 'Normal', 'Suspended', 'Job suspended');
      return r.changed;
    }
    const r = ensureConditionStatus(status.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
    status.conditions = r.conditions;
    if (r.changed) {
      this.event(job, 'Normal', 'Resumed', 'Job resumed');
      status.startTime = formatTimestamp(now);
    }
    return r.changed;
  }

  /** manageJob: the number of active Pods after creating or deleting towards min(parallelism, remaining completions). */
  private async manageJob(ctx: SyncJobContext): Promise<{ active: number; error?: unknown }> {
    const { job, key } = ctx;
    const active = ctx.activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    if (jobSuspended(job)) {
      const victims = this.podsForRemoval(job, ctx.activePods, active);
      this.d.expectations.expectDeletions(key, victims.length);
      const { deletedReady, deleted, error } = await this.deletePods(job, victims, true);
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      return { active: active - deleted, error };
    }
    const completions = job.spec?.completions;
    let wantActive: number;
    if (completions === undefined || completions === null) wantActive = ctx.succeeded > 0 ? active : parallelism;
    else wantActive = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));

    const victims = this.podsForRemoval(job, ctx.activePods, Math.max(0, active - wantActive)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (victims.length > 0) {
      this.d.expectations.expectDeletions(key, victims.length);
      const { deletedReady, deleted, error } = await this.deletePods(job, victims, true);
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      return { active: active - deleted, error };
    }
    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return { active };
    const perIndex = hasBackoffLimitPerIndex(job);
    const remaining = perIndex ? 0 : remainingBackoffMs(ctx.newBackoffRecord, this.now(), this.d.backoffBaseMs, this.d.backoffMaxMs);
    if (remaining > 0) {
      requeue(ctx, remaining);
      return { active };
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    const done = new Set([...(ctx.succeededIndexes ?? []), ...(ctx.failedIndexes ?? [])]);
    let indexes = isIndexedJob(job) ? firstPendingIndexes(job, ctx.activePods, done, diff) : [];
    if (perIndex) {
      const wait = indexes.map((ix) => remainingBackoffForIndex(ctx.delayedDeletion?.get(ix), this.now(), this.d.backoffBaseMs, this.d.backoffMaxMs));
      const ready = indexes.filter((_ix, i) => wait[i] === 0);
      if (ready.length === 0 && indexes.length > 0) {
        requeue(ctx, Math.min(...wait));
        return { active };
      }
      indexes = ready;
    }
    if (isIndexedJob(job)) diff = indexes.length;
    if (diff === 0) return { active };
    this.d.expectations.expectCreations(key, diff);
    const ref = ownerReference(job, JOB_GVK);
    const ns = job.metadata?.namespace ?? '';
    let attempts = 0;
    let failures = 0;
    const { error } = await slowStartBatch(diff, SlowStartInitialBatchSize, async () => {
      const index = indexes[attempts];
      attempts++;
      try {
        const pod = podForJob(job, ref, index);
        if (perIndex && index !== undefined) Object.assign((pod.metadata!.annotations ??= {}), failureCountAnnotations(job, ctx.delayedDeletion?.get(index)));
        const created = await this.d.pods.create(ns, pod, { fieldManager: 'kube-controller-manager' });
        this.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
      } catch (err) {
        if (isNamespaceTerminating(err)) return;
        failures++;
        this.d.expectations.creationObserved(key);
        this.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorText(err)}`);
        throw err;
      }
    });
    const skipped = diff - attempts;
    for (let i = 0; i < skipped; i++) this.d.expectations.creationObserved(key);
    return { active: active + diff - failures - skipped, error };
  }

  /** activePodsForRemoval: invalid and repeated indexes first, then the least advanced Pods. */
  private podsForRemoval(job: Job, pods: readonly Pod[], atLeast: number): Pod[] {
    const order = (list: readonly Pod[]) => getPodsToDelete(list, list, list.length, this.now());
    let remove: Pod[] = [];
    let left: readonly Pod[] = pods;
    if (isIndexedJob(job)) ({ remove, keep: left } = duplicatedIndexPods(job, pods, order));
    if (remove.length < atLeast) remove = [...remove, ...order(left).slice(0, atLeast - remove.length)];
    return remove;
  }

  /**
   * Deletes Pods. `dropFinalizer` (deleteJobPods, while the Job runs): the tracking finalizer goes first and failures
   * lower the deletion expectations; otherwise (deleteActivePods, the Job is finishing) the finalizer stays so the
   * Pods are counted as they go.
   */
  private async deletePods(job: Job, pods: readonly Pod[], dropFinalizer: boolean): Promise<{ deletedReady: number; deleted: number; error?: unknown }> {
    const key = objectKey(job);
    let deleted = 0;
    let deletedReady = 0;
    const errors: unknown[] = [];
    await Promise.all(
      pods.map(async (pod) => {
        const ns = pod.metadata?.namespace ?? '';
        const name = pod.metadata?.name ?? '';
        try {
          const patch = dropFinalizer ? removeTrackingFinalizerPatch(pod) : undefined;
          if (patch) await this.d.pods.patch(ns, name, 'strategic', patch);
          await this.d.pods.delete(ns, name);
          this.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
          deleted++;
        } catch (err) {
          if (dropFinalizer) this.d.expectations.deletionObserved(key);
          if (err instanceof ApiError && err.code === 404) deleted++;
          else {
            this.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorText(err)}`);
            errors.push(err);
            return;
          }
        }
        if (isPodReady(pod)) deletedReady++;
      }),
    );
    return { deletedReady, deleted, error: errors[0] };
  }
}

/** getFailJobMessage: the first failed Pod a FailJob rule matches. */
function failJobMessage(job: Job, pods: readonly Pod[]): string | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p).failJobMessage;
    if (m !== undefined) return m;
  }
  return undefined;
}
