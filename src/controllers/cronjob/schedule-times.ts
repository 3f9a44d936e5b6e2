/**
 * Which scheduled time a CronJob should run now and when to look again (upstream's cronjob/utils.go:
 * mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration). Times are epoch milliseconds.
 */
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { timestampMs } from '../replicaset/replicaset-status.js';
import type { CronSchedule } from './cron-schedule.js';

export type MissedSchedules = 'none' | 'few' | 'many';

/** The padding added to the next wake-up, for clock skew (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed schedules than this are "many" (TooManyMissedTimes). */
export const MAX_MISSED_SCHEDULES = 100;

export interface MostRecent {
  /** The last schedule time, else the creation time (and, when asked, not before now − startingDeadlineSeconds). */
  readonly earliest: number;
  /** The latest activation not after now, if any since `earliest`. */
  readonly mostRecent?: number;
  readonly missed: MissedSchedules;
}

export class InvalidScheduleError extends Error {}

/** mostRecentScheduleTime. Throws InvalidScheduleError for a schedule that never fires twice (e.g. Feb 31). */
export function mostRecentScheduleTime(cj: CronJob, now: number, schedule: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = timestampMs(cj.status?.lastScheduleTime) ?? timestampMs(cj.metadata?.creationTimestamp) ?? now;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && deadline !== undefined && deadline !== null) {
    const schedulingDeadline = now - deadline * 1000;
    if (schedulingDeadline > earliest) earliest = schedulingDeadline;
  }
  const t1 = schedule.next(earliest);
  if (t1 === undefined || now < t1) return { earliest, missed: 'none' };
  const t2 = schedule.next(t1);
  if (t2 === undefined || now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new InvalidScheduleError('time difference between two schedules is less than 1 second');
  const elapsed = Math.floor((now - t1) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  // Step back one interval before the estimate and let the schedule find the real times from there.
  let t: number | undefined = schedule.next(t1 + (missedCount - 2) * between * 1000);
  let mostRecent: number | undefined;
  for (let guard = 0; t !== undefined && t <= now && guard < 10_000; guard++) {
    mostRecent = t;
    t = schedule.next(t);
  }
  const missed: MissedSchedules = missedCount > MAX_MISSED_SCHEDULES ? 'many' : 'few';
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** nextScheduleTime: the unmet scheduled time to start now, if any (with startingDeadlineSeconds), and how many were missed. */
export function nextScheduleTime(cj: CronJob, now: number, schedule: CronSchedule): { scheduled?: number; missed: MissedSchedules } {
  const r = mostRecentScheduleTime(cj, now, schedule, true);
  if (r.mostRecent === undefined || r.mostRecent > now) return { missed: r.missed };
  return { scheduled: r.mostRecent, missed: r.missed };
}

/** nextScheduleTimeDuration: how long until the next activation after the most recent one, plus 100 ms. */
export function nextScheduleTimeDuration(cj: CronJob, now: number, schedule: CronSchedule): number | undefined {
  let from: number;
  try {
    const r = mostRecentScheduleTime(cj, now, schedule, false);
    from = r.mostRecent ?? (r.missed === 'none' ? r.earliest : now);
  } catch {
    from = now;
  }
  const next = schedule.next(from);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
}
