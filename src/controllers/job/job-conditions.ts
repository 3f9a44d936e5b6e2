/** Job conditions as upstream's job controller writes and reads them (pkg/controller/job, job/util). */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { formatTimestamp } from '../replicaset/replicaset-status.js';

/** Upstream's condition reasons (batch/v1 JobReason…). */
export const JobReason = {
  BackoffLimitExceeded: 'BackoffLimitExceeded',
  DeadlineExceeded: 'DeadlineExceeded',
  PodFailurePolicy: 'PodFailurePolicy',
  FailedIndexes: 'FailedIndexes',
  MaxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  CompletionsReached: 'CompletionsReached',
  SuccessPolicy: 'SuccessPolicy',
} as const;


/** newCondition: both times now. Keys in upstream's order. */
export function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const t = formatTimestamp(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

export function findCondition(conditions: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

const hasTrue = (job: Job, type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** util.IsJobFinished: a Complete or Failed condition that is True. */
export function isJobFinished(job: Job): boolean {
  return finishedType(job) !== undefined;
}

/** The type of the True Complete or Failed condition, if any (the first in the list wins). */
export function finishedType(job: Job): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

export function isJobSucceeded(job: Job): boolean {
  return hasTrue(job, 'Complete');
}

/**
 * ensureJobConditionStatus: sets the condition of `type` to `status` (reason, message and both times change with the
 * status); adds it only when it is not False. Returns the new list and whether it changed.
 */
export function ensureConditionStatus(
  conditions: readonly JobCondition[] | undefined,
  type: string,
  status: string,
  reason: string,
  message: string,
  now: number,
): { conditions: JobCondition[]; changed: boolean } {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status === status) return { conditions: list, changed: false };
    list[i] = newCondition(type, status, reason, message, now);
    return { conditions: list, changed: true };
  }
  if (status === 'False') return { conditions: list, changed: false };
  list.push(newCondition(type, status, reason, message, now));
  return { conditions: list, changed: true };
}
