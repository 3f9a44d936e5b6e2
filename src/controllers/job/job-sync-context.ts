/** What one syncJob pass shares between its parts (job-sync.ts, job-status-tracker.ts). */
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import type { EventRecorder, ResourceClient } from '../../client/index.js';
import type { Clock } from '../../lib/index.js';
import type { ControllerExpectations } from '../runtime/expectations.js';
import type { BackoffRecord, BackoffStore } from './job-backoff.js';
import { findCondition } from './job-conditions.js';

export const JOB_GVK = { apiVersion: 'batch/v1', kind: 'Job' };
/** MaxPodCreateDeletePerSync and MaxUncountedPods. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
export const MAX_UNCOUNTED_PODS = 500;

/** Which Pods' finalizer removal the controller still waits to observe, by Job key (upstream's finalizerExpectations). */
export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();
  expected(key: string): ReadonlySet<string> {
    return this.byJob.get(key) ?? new Set();
  }
  expectRemoved(key: string, uids: readonly string[]): void {
    const set = this.byJob.get(key) ?? new Set<string>();
    for (const u of uids) set.add(u);
    this.byJob.set(key, set);
  }
  observed(key: string, uid: string): void {
    const set = this.byJob.get(key);
    set?.delete(uid);
    if (set?.size === 0) this.byJob.delete(key);
  }
  delete(key: string): void {
    this.byJob.delete(key);
  }
}

export interface JobSyncDeps {
  readonly jobs: ResourceClient<Job>;
  readonly pods: ResourceClient<Pod>;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations: FinalizerExpectations;
  readonly backoff: BackoffStore;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

export interface SyncJobContext {
  job: Job;
  readonly key: string;
  readonly pods: Pod[];
  readonly activePods: Pod[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  readonly uncounted: { readonly succeeded: ReadonlySet<string>; readonly failed: ReadonlySet<string> };
  readonly expectedRmFinalizers: ReadonlySet<string>;
  finishedCondition?: JobCondition;
  prevSucceededIndexes?: Set<number>;
  succeededIndexes?: Set<number>;
  failedIndexes?: Set<number>;
  /** backoffLimitPerIndex: the failed Pod each index's replacement takes its counts from. */
  delayedDeletion?: Map<number, Pod>;
  newBackoffRecord: BackoffRecord;
  requeueAfterMs?: number;
}

export const uidOf = (p: Pod) => p.metadata?.uid ?? '';
export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
export const jobSuspended = (job: Job) => job.spec?.suspend === true;

export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

/** The status as the API writes it: zero counters and empty lists left out (omitempty), ready and terminating kept. */
export function normalizeJobStatus(status: JobStatus): JobStatus {
  const out: JobStatus = { ...status };
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!out[k]) delete out[k];
  if (!out.completedIndexes) delete out.completedIndexes;
  if (out.conditions?.length === 0) delete out.conditions;
  const u = out.uncountedTerminatedPods;
  if (u) out.uncountedTerminatedPods = { ...(u.succeeded?.length ? { succeeded: u.succeeded } : {}), ...(u.failed?.length ? { failed: u.failed } : {}) };
  return out;
}

/** Records an event about the Job (as `job-controller`). */
export function jobEvent(recorder: EventRecorder, job: Job, type: 'Normal' | 'Warning', reason: string, message: string): void {
  recorder.event({ ...job, ...JOB_GVK }, type, reason, message);
}

/** Asks for the Job to be synced again within `ms` (the earliest request wins). */
export function requeue(ctx: SyncJobContext, ms: number): void {
  const after = Math.max(1, Math.ceil(ms));
  ctx.requeueAfterMs = ctx.requeueAfterMs === undefined ? after : Math.min(ctx.requeueAfterMs, after);
}

/** The True SuccessCriteriaMet condition, if the Job has one. */
export function successCriteriaMet(job: Job): JobCondition | undefined {
  const c = findCondition(job.status?.conditions, 'SuccessCriteriaMet');
  return c?.status === 'True' ? c : undefined;
}
