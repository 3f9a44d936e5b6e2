/**
 * The delay before a Job replaces failed Pods (upstream's pod backoff store, backoff_utils.go): 10 s after the first
 * failure since the last success, doubling with each further one, at most 6 minutes, counted from the last failure.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { finishedTime } from './job-pods.js';

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
export const DefaultJobPodFailureBackOffMs = 10_000;
export const MaxJobPodFailureBackOffMs = 360_000;

export interface BackoffRecord {
  readonly key: string;
  readonly failuresAfterLastSuccess: number;
  readonly lastFailureTime?: number;
}

/** The remaining delay before creating Pods again (0: create now). */
export function remainingBackoffMs(record: BackoffRecord, now: number, baseMs = DefaultJobPodFailureBackOffMs, maxMs = MaxJobPodFailureBackOffMs): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let backoff = baseMs;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    backoff *= 2;
    if (backoff >= maxMs) {
      backoff = maxMs;
      break;
    }
  }
  const elapsed = now - record.lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** Backoff records by Job key, in memory (lost on restart, as upstream's). */
export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** The record as it would be after the newly finished Pods (not stored until `update`). */
  newRecord(key: string, newSucceeded: readonly Pod[], newFailed: readonly Pod[], now: number): BackoffRecord {
    const old = this.records.get(key) ?? { key, failuresAfterLastSuccess: 0 };
    if (newSucceeded.length === 0) {
      if (newFailed.length === 0) return old;
      const last = Math.max(old.lastFailureTime ?? -Infinity, ...newFailed.map((p) => finishedTime(p, now)));
      return { key, failuresAfterLastSuccess: old.failuresAfterLastSuccess + newFailed.length, lastFailureTime: last };
    }
    const lastSuccess = Math.max(...newSucceeded.map((p) => finishedTime(p, now)));
    const after = newFailed.map((p) => finishedTime(p, now)).filter((t) => t > lastSuccess);
    if (after.length === 0) return { key, failuresAfterLastSuccess: 0, lastFailureTime: old.lastFailureTime };
    return { key, failuresAfterLastSuccess: after.length, lastFailureTime: Math.max(...after) };
  }

  update(record: BackoffRecord): void {
    this.records.set(record.key, record);
  }

  remove(key: string): void {
    this.records.delete(key);
  }
}
