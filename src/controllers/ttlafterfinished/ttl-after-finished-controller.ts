import type { Job } from 'kubernetes-types/batch/v1.js';
import { ApiError } from '../../api/index.js';
import { objectKey, splitObjectKey, WorkQueue, type ResourceClient, type SharedInformer } from '../../client/index.js';
import { timestampMs } from '../replicaset/replicaset-status.js';
import { runWorkers, type ReconcileResult } from '../runtime/worker-loop.js';
import type { ControllerContext } from '../runtime/controller-context.js';

export type TTLAfterFinishedControllerOptions = ControllerContext;

/**
 * When a finished Job expires: the lastTransitionTime of its True Complete or Failed condition plus
 * ttlSecondsAfterFinished, or undefined when it is not finished, has no TTL, or is being deleted.
 * Throws upstream's error when the finished condition has no time.
 */
export function jobExpiresAt(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const finished = (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!finished) return undefined;
  const at = timestampMs(finished.lastTransitionTime);
  if (at === undefined) throw new Error(`unable to find the time when the Job ${objectKey(job)} finished`);
  return at + ttl * 1000;
}

/**
 * The TTL-after-finished controller (upstream's pkg/controller/ttlafterfinished): deletes a finished Job whose
 * ttlSecondsAfterFinished has passed, in the foreground (its Pods first), after re-reading it from the API server in
 * case the TTL changed, with its uid as precondition.
 */
export class TTLAfterFinishedController {
  readonly name = 'ttl-after-finished';
  private readonly queue: WorkQueue<string>;
  private readonly jobInformer: SharedInformer<Job>;
  private readonly jobs: ResourceClient<Job>;

  constructor(private readonly opts: TTLAfterFinishedControllerOptions) {
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.jobs = opts.client.kind<Job>('batch/v1', 'Job');
    this.jobInformer = opts.informers.informer<Job>(this.jobs.type);
    const enqueue = (job: Job) => {
      if (job.metadata?.deletionTimestamp || job.spec?.ttlSecondsAfterFinished === undefined || job.spec.ttlSecondsAfterFinished === null) return;
      if (jobExpiresAt(job) !== undefined) this.queue.add(objectKey(job));
    };
    this.jobInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, cur) => enqueue(cur) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await this.jobInformer.whenSynced(signal);
    if (signal.aborted) return;
    await runWorkers(this.queue, (key) => this.processJob(key), workers, signal, this.opts.log);
  }

  /** processJob: requeues until the TTL passes, then deletes. */
  async processJob(key: string): Promise<ReconcileResult | void> {
    const cached = this.jobInformer.store.get(key);
    if (!cached) return;
    const left = this.timeLeft(cached);
    if (left === undefined) return;
    if (left > 0) return { requeueAfterMs: left };
    const { namespace, name } = splitObjectKey(key);
    let fresh: Job;
    try {
      fresh = await this.jobs.get(namespace, name);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    const freshLeft = this.timeLeft(fresh);
    if (freshLeft === undefined) return;
    if (freshLeft > 0) return { requeueAfterMs: freshLeft };
    try {
      await this.jobs.delete(namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata?.uid ?? '' } });
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  private timeLeft(job: Job): number | undefined {
    const at = jobExpiresAt(job);
    return at === undefined ? undefined : at - this.opts.clock.now();
  }
}
