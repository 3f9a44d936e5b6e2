/**
 * One pass of upstream's cronjob syncCronJob and cleanupFinishedJobs over a CronJob (a copy whose status it edits)
 * and the Jobs it controls: status.active reconciled with the Jobs, the due slot started or skipped, the history
 * trimmed. The caller writes the status when asked to.
 */
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import type { EventRecorder, ResourceClient } from '../../client/index.js';
import type { Clock } from '../../lib/index.js';
import { finishedType, isJobSucceeded } from '../job/job-conditions.js';
import { getControllerOf } from '../runtime/controller-ref.js';
import { formatTimestamp, timestampMs } from '../replicaset/replicaset-status.js';
import { parseSchedule, type CronSchedule } from './cron-schedule.js';
import { CRONJOB_GVK, jobFromTemplate, jobNameFor } from './job-from-template.js';
import { removeOldestJobs } from './job-history.js';
import { nextScheduleTime, nextScheduleTimeDuration } from './schedule-times.js';
import { isKnownTimeZone } from './zoned-time.js';

export interface CronJobSyncDeps {
  readonly cronJobs: ResourceClient<CronJob>;
  readonly jobs: ResourceClient<Job>;
  /** Records as `cronjob-controller`. */
  readonly recorder: EventRecorder;
  readonly clock: Clock;
}

/** What a pass asks of its caller: write the status, look again after a while, report an error. */
export interface CronJobSyncOutcome {
  readonly updateStatus: boolean;
  readonly requeueAfterMs?: number;
  readonly error?: unknown;
}

type Status = NonNullable<CronJob['status']>;
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Go's time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const [wd, day, mon, year, time] = d.toUTCString().replace(',', '').split(' ');
  return `${wd}, ${day} ${mon} ${year} ${time} +0000`;
}

/** ref.GetReference for a Job: kind, namespace, name, uid, apiVersion, resourceVersion. */
function jobReference(job: Job): ObjectReference {
  return { kind: 'Job', namespace: job.metadata?.namespace, name: job.metadata?.name, uid: job.metadata?.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata?.resourceVersion };
}


/** formatSchedule: spec.timeZone goes in front of the schedule, unless the schedule names its own zone (`onTZ` is told). */
export function cronJobSchedule(cj: CronJob, onTZ?: (schedule: string) => void): CronSchedule {
  const schedule = cj.spec?.schedule ?? '';
  if (schedule.includes('TZ')) {
    onTZ?.(schedule);
    return parseSchedule(schedule);
  }
  const tz = cj.spec?.timeZone;
  return parseSchedule(schedule, tz && isKnownTimeZone(tz) ? tz : undefined);
}

export class CronJobSync {
  constructor(private readonly d: CronJobSyncDeps) {}

  private event(cj: CronJob, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.d.recorder.event({ ...cj, ...CRONJOB_GVK }, type, reason, message);
  }

  /** cleanupFinishedJobs then syncCronJob; `cj.status` is edited in place. */
  async sync(cj: CronJob, jobs: readonly Job[]): Promise<CronJobSyncOutcome> {
    cj.status ??= {};
    const cleaned = await this.cleanupFinishedJobs(cj, jobs);
    try {
      const r = await this.syncCronJob(cj, jobs);
      return { ...r, updateStatus: cleaned || r.updateStatus };
    } catch (error) {
      return { updateStatus: cleaned, error };
    }
  }

  /** cleanupFinishedJobs: successful and failed Jobs beyond their history limits go, oldest first. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: readonly Job[]): Promise<boolean> {
    const { successfulJobsHistoryLimit: okLimit, failedJobsHistoryLimit: failedLimit } = cj.spec ?? {};
    if ((okLimit === undefined || okLimit === null) && (failedLimit === undefined || failedLimit === null)) return false;
    const deleter = (job: Job) => this.deleteJob(cj, job);
    let changed = false;
    if (okLimit !== undefined && okLimit !== null) changed = (await removeOldestJobs(jobs.filter((j) => finishedType(j) === 'Complete'), okLimit, deleter)) || changed;
    if (failedLimit !== undefined && failedLimit !== null) changed = (await removeOldestJobs(jobs.filter((j) => finishedType(j) === 'Failed'), failedLimit, deleter)) || changed;
    return changed;
  }

  /** deleteJob: Background deletion, then out of status.active. */
  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.d.jobs.delete(job.metadata?.namespace ?? '', job.metadata?.name ?? '', { propagationPolicy: 'Background' });
    } catch (err) {
      this.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorText(err)}`);
      return false;
    }
    this.removeActive(cj.status!, job.metadata?.uid);
    this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name ?? ''}`);
    return true;
  }

  private removeActive(status: Status, uid: string | undefined): void {
    status.active = (status.active ?? []).filter((r) => r.uid !== uid);
  }

  /** syncCronJob: reconciles status.active with the Jobs, then starts the due slot if allowed. */
  private async syncCronJob(cj: CronJob, jobs: readonly Job[]): Promise<{ requeueAfterMs?: number; updateStatus: boolean }> {
    const now = this.d.clock.now();
    const status = cj.status!;
    const ns = cj.metadata?.namespace ?? '';
    let updateStatus = false;
    const inActive = (uid: string | undefined) => (status.active ?? []).some((r) => r.uid === uid);
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata?.uid ?? '');
      const found = inActive(j.metadata?.uid);
      const finished = finishedType(j);
      if (!found && !finished) {
        const fresh = await this.d.cronJobs.get(ns, cj.metadata?.name ?? '');
        if ((fresh.status?.active ?? []).some((r) => r.uid === j.metadata?.uid)) {
          cj.metadata = fresh.metadata;
          cj.spec = fresh.spec;
          for (const k of Object.keys(status)) delete status[k as keyof Status];
          Object.assign(status, fresh.status ?? {});
          continue;
        }
        this.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata?.name ?? ''}`);
      } else if (found && finished) {
        this.removeActive(status, j.metadata?.uid);
        this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name ?? ''}, condition: ${finished}`);
        updateStatus = true;
      } else if (isJobSucceeded(j)) {
        const completed = timestampMs(j.status?.completionTime);
        const last = timestampMs(status.lastSuccessfulTime);
        if (completed !== undefined && (last === undefined || completed > last)) {
          status.lastSuccessfulTime = j.status?.completionTime;
          updateStatus = true;
        }
      }
    }
    for (const ref of [...(status.active ?? [])]) {
      if (children.has(ref.uid ?? '')) continue;
      try {
        await this.d.jobs.get(ref.namespace ?? ns, ref.name ?? '');
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
        this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
        this.removeActive(status, ref.uid);
        updateStatus = true;
      }
    }
    if (cj.metadata?.deletionTimestamp) return { updateStatus };
    const tz = cj.spec?.timeZone;
    if (tz !== undefined && tz !== null && !isKnownTimeZone(tz)) {
      this.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`);
      return { updateStatus };
    }
    if (cj.spec?.suspend) return { updateStatus };
    let schedule: CronSchedule;
    try {
      schedule = cronJobSchedule(cj, (s) =>
        this.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(s)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`),
      );
    } catch (err) {
      this.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule ?? '')} : ${errorText(err)}`);
      return { updateStatus };
    }
    let due: { scheduled?: number; missed: string };
    try {
      due = nextScheduleTime(cj, now, schedule);
    } catch (err) {
      this.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec?.schedule ?? ''} : ${errorText(err)}`);
      return { updateStatus };
    }
    if (due.missed === 'many') {
      this.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    const next = () => ({ requeueAfterMs: nextScheduleTimeDuration(cj, now, schedule), updateStatus });
    const scheduled = due.scheduled;
    if (scheduled === undefined) return next();
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduled + deadline * 1000 < now) {
      this.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return next();
    }
    const name = jobNameFor(cj, scheduled);
    if ((status.active ?? []).some((r) => r.name === name) || timestampMs(status.lastScheduleTime) === Math.floor(scheduled / 1000) * 1000) return next();
    if (cj.spec?.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      this.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return next();
    }
    if (cj.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        let job: Job;
        try {
          job = await this.d.jobs.get(ref.namespace ?? ns, ref.name ?? '');
        } catch (err) {
          this.event(cj, 'Warning', 'FailedGet', `Get job: ${errorText(err)}`);
          throw err;
        }
        if (!(await this.deleteJob(cj, job))) throw new Error(`could not replace job ${ns}/${job.metadata?.name ?? ''}`);
        updateStatus = true;
      }
    }
    let created: Job;
    try {
      created = await this.d.jobs.create(ns, jobFromTemplate(cj, scheduled), { fieldManager: 'kube-controller-manager' });
      this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name ?? ''}`);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409 && err.status.reason === 'AlreadyExists')) {
        if (!(err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating'))) {
          this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorText(err)}`);
        }
        throw err;
      }
      created = await this.d.jobs.get(ns, name);
      if (getControllerOf(created)?.uid !== cj.metadata?.uid || inActive(created.metadata?.uid)) return { updateStatus };
    }
    status.active = [...(status.active ?? []), jobReference(created)];
    status.lastScheduleTime = formatTimestamp(scheduled);
    updateStatus = true;
    return next();
  }
}
