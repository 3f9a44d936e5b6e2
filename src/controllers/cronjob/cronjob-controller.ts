import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { objectKey, WorkQueue, type EventRecorder, type ResourceClient, type SharedInformer } from '../../client/index.js';
import type { Clock } from '../../lib/index.js';
import { getControllerOf } from '../runtime/controller-ref.js';
import { addControllerUIDIndex, CONTROLLER_UID_INDEX } from '../runtime/controller-uid-index.js';
import { runWorkers, type ReconcileResult } from '../runtime/worker-loop.js';
import type { CronSchedule } from './cron-schedule.js';
import { cronJobSchedule, CronJobSync } from './cronjob-sync.js';
import { CRONJOB_GVK } from './job-from-template.js';
import { nextScheduleTimeDuration } from './schedule-times.js';
import type { ControllerContext } from '../runtime/controller-context.js';

export interface CronJobControllerOptions extends ControllerContext {
  /** Records as `cronjob-controller`. */
  readonly recorder: EventRecorder;
  /** The clock schedules are read on (tests may pass a faster one). */
  readonly clock: Clock;
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
  private readonly syncer: CronJobSync;

  constructor(private readonly opts: CronJobControllerOptions) {
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.cronJobs = opts.client.kind<CronJob>('batch/v1', 'CronJob');
    this.jobs = opts.client.kind<Job>('batch/v1', 'Job');
    this.syncer = new CronJobSync({ cronJobs: this.cronJobs, jobs: this.jobs, recorder: opts.recorder, clock: opts.clock });
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
      schedule = cronJobSchedule(cur);
      const after = nextScheduleTimeDuration(cur, this.opts.clock.now(), schedule);
      if (after !== undefined) this.queue.addAfter(key, Math.max(1, after));
    } catch {
      this.opts.recorder.event({ ...cur, ...CRONJOB_GVK }, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cur.spec?.schedule ?? ''}`);
    }
  }

  async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.cronJobInformer.store.get(key);
    if (!cached) return;
    const owned = this.jobInformer.store.byIndex(CONTROLLER_UID_INDEX, cached.metadata?.uid ?? '');
    const cj: CronJob = structuredClone(cached);
    const outcome = await this.syncer.sync(cj, owned);
    if (outcome.updateStatus) {
      const status = { ...cj.status };
      if (status.active?.length === 0) delete status.active;
      await this.cronJobs.updateStatus(cj.metadata?.namespace ?? '', { ...cj, status });
    }
    if (outcome.requeueAfterMs !== undefined) return { requeueAfterMs: Math.max(1, outcome.requeueAfterMs) };
    if (outcome.error !== undefined) throw outcome.error;
  }
}
