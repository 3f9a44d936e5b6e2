import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { objectKey, WorkQueue, type EventRecorder, type InformerFactory, type ResourceClient, type RestClient, type SharedInformer } from '../../client/index.js';
import type { Clock } from '../../lib/index.js';
import { finishedType, isJobSucceeded } from '../job/job-conditions.js';
import { getControllerOf } from '../runtime/controller-ref.js';
import { addControllerUIDIndex, CONTROLLER_UID_INDEX } from '../runtime/controller-uid-index.js';
import { runWorkers, type ReconcileResult } from '../runtime/worker-loop.js';
import { formatTimestamp, timestampMs } from '../replicaset/replicaset-status.js';
import { parseSchedule, type CronSchedule } from './cron-schedule.js';
import { CRONJOB_GVK, jobFromTemplate, jobNameFor } from './job-from-template.js';
import { nextScheduleTime, nextScheduleTimeDuration } from './schedule-times.js';
import { isKnownTimeZone } from './zoned-time.js';
import { removeOldestJobs } from './job-history.js';

export interface CronJobControllerOptions {
  readonly client: RestClient;
  readonly informers: InformerFactory;
  /** Records as `cronjob-controller`. */
  readonly recorder: EventRecorder;
  /** The clock schedules are read on (tests may pass a faster one). */
  readonly clock: Clock;
  readonly log?: (message: string) => void;
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

/**
 * The CronJob controller (upstream's cronjob ControllerV2): creates a Job for each scheduled time in the CronJob's
 * zone, at most once per slot (the Job's name is the slot), honours startingDeadlineSeconds, concurrencyPolicy
 * (Allow, Forbid, Replace) and suspend, keeps status.active, lastScheduleTime and lastSuccessfulTime, and deletes
 * finished Jobs beyond the history limits. Each sync says when the next slot is due.
 */
export class CronJobController {
  readonly name = 'cronjob';
  private readonly queue: WorkQueue<string>;
  private readonly cronJobInformer: SharedInformer<CronJob>;
  private readonly jobInformer: SharedInformer<Job>;
  private readonly cronJobs: ResourceClient<CronJob>;
  private readonly jobs: ResourceClient<Job>;

  constructor(private readonly opts: CronJobControllerOptions) {
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.cronJobs = opts.client.kind<CronJob>('batch/v1', 'CronJob');
    this.jobs = opts.client.kind<Job>('batch/v1', 'Job');
    this.cronJobInformer = opts.informers.informer<CronJob>(this.cronJobs.type);
    this.jobInformer = opts.informers.informer<Job>(this.jobs.type);
    addControllerUIDIndex(this.jobInformer);
    this.cronJobInformer.addEventHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (old, cur) => this.cronJobUpdated(old, cur),
      onDelete: (cj) => this.queue.add(objectKey(cj)),
    });
    const jobChanged = (job: Job) => {
      const cj = this.resolveControllerRef(job);
      if (cj) this.queue.add(objectKey(cj));
    };
    this.jobInformer.addEventHandler({
      onAdd: jobChanged,
      onUpdate: (old, cur) => {
        if (getControllerOf(old)?.uid !== getControllerOf(cur)?.uid) jobChanged(old);
        jobChanged(cur);
      },
      onDelete: jobChanged,
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await Promise.all([this.cronJobInformer.whenSynced(signal), this.jobInformer.whenSynced(signal)]);
    if (signal.aborted) return;
    await runWorkers(this.queue, (key) => this.sync(key), workers, signal, this.opts.log);
  }

  private resolveControllerRef(job: Job): CronJob | undefined {
    const ref = getControllerOf(job);
    if (!ref || ref.kind !== 'CronJob') return undefined;
    const cj = this.cronJobInformer.store.getByName(job.metadata?.namespace ?? '', ref.name);
    return cj && cj.metadata?.uid === ref.uid ? cj : undefined;
  }

  /** A new schedule or zone: look again when it next fires; any other change: now. */
  private cronJobUpdated(old: CronJob, cur: CronJob): void {
    const key = objectKey(cur);
    if (old.spec?.schedule === cur.spec?.schedule && old.spec?.timeZone === cur.spec?.timeZone) {
      this.queue.add(key);
      return;
    }
    let schedule: CronSchedule;
    try {
      schedule = this.scheduleOf(cur);
      const after = nextScheduleTimeDuration(cur, this.opts.clock.now(), schedule);
      if (after !== undefined) this.queue.addAfter(key, Math.max(1, after));
    } catch {
      this.event(cur, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cur.spec?.schedule ?? ''}`);
    }
  }

  private event(cj: CronJob, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.opts.recorder.event({ ...cj, ...CRONJOB_GVK }, type, reason, message);
  }

  /** formatSchedule: spec.timeZone goes in front of the schedule, unless the schedule names its own zone. */
  private scheduleOf(cj: CronJob, warn = false): CronSchedule {
    const schedule = cj.spec?.schedule ?? '';
    if (schedule.includes('TZ')) {
      if (warn) {
        this.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
      }
      return parseSchedule(schedule);
    }
    const tz = cj.spec?.timeZone;
    return parseSchedule(schedule, tz && isKnownTimeZone(tz) ? tz : undefined);
  }

  async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.cronJobInformer.store.get(key);
    if (!cached) return;
    const owned = this.jobInformer.store.byIndex(CONTROLLER_UID_INDEX, cached.metadata?.uid ?? '');
    const cj: CronJob = structuredClone(cached);
    cj.status ??= {};
    const cleaned = await this.cleanupFinishedJobs(cj, owned);
    let outcome: { requeueAfterMs?: number; updateStatus: boolean; error?: unknown };
    try {
      outcome = await this.syncCronJob(cj, owned);
    } catch (error) {
      outcome = { updateStatus: false, error };
    }
    if (cleaned || outcome.updateStatus) {
      const status = { ...cj.status };
      if (status.active?.length === 0) delete status.active;
      await this.cronJobs.updateStatus(cj.metadata?.namespace ?? '', { ...cj, status });
    }
    if (outcome.requeueAfterMs !== undefined) return { requeueAfterMs: Math.max(1, outcome.requeueAfterMs) };
    if (outcome.error !== undefined) throw outcome.error;
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
      await this.jobs.delete(job.metadata?.namespace ?? '', job.metadata?.name ?? '', { propagationPolicy: 'Background' });
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
    const now = this.opts.clock.now();
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
        const fresh = await this.cronJobs.get(ns, cj.metadata?.name ?? '');
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
        await this.jobs.get(ref.namespace ?? ns, ref.name ?? '');
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
      schedule = this.scheduleOf(cj, true);
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
          job = await this.jobs.get(ref.namespace ?? ns, ref.name ?? '');
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
      created = await this.jobs.create(ns, jobFromTemplate(cj, scheduled), { fieldManager: 'kube-controller-manager' });
      this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name ?? ''}`);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409 && err.status.reason === 'AlreadyExists')) {
        if (!(err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating'))) {
          this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorText(err)}`);
        }
        throw err;
      }
      created = await this.jobs.get(ns, name);
      if (getControllerOf(created)?.uid !== cj.metadata?.uid || inActive(created.metadata?.uid)) return { updateStatus };
    }
    status.active = [...(status.active ?? []), jobReference(created)];
    status.lastScheduleTime = formatTimestamp(scheduled);
    updateStatus = true;
    return next();
  }
}
