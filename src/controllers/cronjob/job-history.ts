/** The CronJob history limits (upstream's removeOldestJobs and byJobStartTime). */
import type { Job } from 'kubernetes-types/batch/v1.js';
import { timestampMs } from '../replicaset/replicaset-status.js';

/** byJobStartTime: earlier status.startTime first, Jobs without one last, ties by name. */
export function compareByStartTime(a: Job, b: Job): number {
  const ta = timestampMs(a.status?.startTime);
  const tb = timestampMs(b.status?.startTime);
  if (ta === undefined && tb !== undefined) return 1;
  if (ta !== undefined && tb === undefined) return -1;
  if (ta === tb) return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
  return (ta ?? 0) - (tb ?? 0);
}

/** Deletes the oldest of `jobs` beyond `limit`, one at a time; returns whether any deletion succeeded. */
export async function removeOldestJobs(jobs: readonly Job[], limit: number, deleteJob: (job: Job) => Promise<boolean>): Promise<boolean> {
  const excess = jobs.length - limit;
  if (excess <= 0) return false;
  let deleted = false;
  for (const job of [...jobs].sort(compareByStartTime).slice(0, excess)) deleted = (await deleteJob(job)) || deleted;
  return deleted;
}
