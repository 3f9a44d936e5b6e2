import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, LabelSelector } from '../../api/index.js';
import { objectKey, splitObjectKey, WorkQueue, type EventRecorder, type ResourceClient, type SharedInformer } from '../../client/index.js';
import { adoptPatch, classifyPods, getControllerOf, releasePatch } from '../runtime/controller-ref.js';
import { addControllerUIDIndex, CONTROLLER_UID_INDEX, orphanIndexKey } from '../runtime/controller-uid-index.js';
import { ControllerExpectations } from '../runtime/expectations.js';
import { runWorkers, type ReconcileResult } from '../runtime/worker-loop.js';
import { BackoffStore, DefaultJobPodFailureBackOffMs, MaxJobPodFailureBackOffMs } from './job-backoff.js';
import { isJobFinished } from './job-conditions.js';
import { hasJobTrackingFinalizer, JobTrackingFinalizer, removeTrackingFinalizerPatch } from './job-pods.js';
import { JobSync } from './job-sync.js';
import { FinalizerExpectations, JOB_GVK } from './job-sync-context.js';
import type { ControllerContext } from '../runtime/controller-context.js';

export interface JobControllerOptions extends ControllerContext {
  /** Records as `job-controller`. */
  readonly recorder: EventRecorder;
  /** The first delay before replacing a failed Pod (10 s), doubled per further failure up to `podFailureBackoffMaxMs` (6 min). */
  readonly podFailureBackoffMs?: number;
  readonly podFailureBackoffMaxMs?: number;
  /** How long Pod events of one Job are gathered before a sync (upstream's syncJobBatchPeriod, 1 s). */
  readonly syncBatchPeriodMs?: number;
}

/**
 * The Job controller (upstream's pkg/controller/job): runs a Job's Pods to `completions` successes with at most
 * `parallelism` at once, replaces failed Pods after a backoff until backoffLimit, applies podFailurePolicy,
 * activeDeadlineSeconds and suspend, and keeps every finished Pod until counted (the job-tracking finalizer).
 * Finalizers of Pods whose Job is gone or finished are removed from a queue of orphan Pods.
 */
export class JobController {
  readonly name = 'job';
  private readonly queue: WorkQueue<string>;
  private readonly orphanQueue: WorkQueue<string>;
  private readonly expectations: ControllerExpectations;
  private readonly finalizerExpectations = new FinalizerExpectations();
  private readonly backoff = new BackoffStore();
  private readonly jobInformer: SharedInformer<Job>;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly jobs: ResourceClient<Job>;
  private readonly pods: ResourceClient<Pod>;
  private readonly syncer: JobSync;
  private readonly batchMs: number;

  constructor(private readonly opts: JobControllerOptions) {
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.orphanQueue = new WorkQueue<string>({ clock: opts.clock });
    this.expectations = new ControllerExpectations(opts.clock);
    this.jobs = opts.client.kind<Job>('batch/v1', 'Job');
    this.pods = opts.client.kind<Pod>('v1', 'Pod');
    this.batchMs = opts.syncBatchPeriodMs ?? 1000;
    this.jobInformer = opts.informers.informer<Job>(this.jobs.type);
    this.podInformer = opts.informers.informer<Pod>(this.pods.type);
    addControllerUIDIndex(this.podInformer);
    this.syncer = new JobSync({
      jobs: this.jobs,
      pods: this.pods,
      recorder: opts.recorder,
      clock: opts.clock,
      expectations: this.expectations,
      finalizerExpectations: this.finalizerExpectations,
      backoff: this.backoff,
      backoffBaseMs: opts.podFailureBackoffMs ?? DefaultJobPodFailureBackOffMs,
      backoffMaxMs: opts.podFailureBackoffMaxMs ?? MaxJobPodFailureBackOffMs,
    });
    this.jobInformer.addEventHandler({
      onAdd: (job) => this.queue.add(objectKey(job)),
      onUpdate: (old, cur) => {
        if (old.metadata?.uid !== cur.metadata?.uid) this.forget(objectKey(old));
        this.queue.add(objectKey(cur));
      },
      onDelete: (job) => {
        this.forget(objectKey(job));
        this.queue.add(objectKey(job));
      },
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (pod) => this.podDeleted(pod, true),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await Promise.all([this.jobInformer.whenSynced(signal), this.podInformer.whenSynced(signal)]);
    if (signal.aborted) return;
    await Promise.all([
      runWorkers(this.queue, (key) => this.sync(key), workers, signal, this.opts.log),
      runWorkers(this.orphanQueue, (key) => this.syncOrphanPod(key), 1, signal, this.opts.log),
    ]);
  }

  private forget(key: string): void {
    this.expectations.deleteExpectations(key);
    this.finalizerExpectations.delete(key);
  }

  private enqueueBatched(job: Job): void {
    this.queue.addAfter(objectKey(job), this.batchMs);
  }

  /** The Job a ControllerRef names, when it is a batch Job with that uid. */
  private resolveControllerRef(pod: Pod): Job | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'Job' || !ref.apiVersion.startsWith('batch/')) return undefined;
    const job = this.jobInformer.store.getByName(pod.metadata?.namespace ?? '', ref.name);
    return job && job.metadata?.uid === ref.uid ? job : undefined;
  }

  private matchingJobs(pod: Pod): Job[] {
    return this.jobInformer.store.byIndex('namespace', pod.metadata?.namespace ?? '').filter((job) => {
      const selector = selectorOf(job);
      return selector !== undefined && !selector.isEmpty() && selector.matches(pod.metadata?.labels);
    });
  }

  private enqueueOrphan(pod: Pod): void {
    this.orphanQueue.add(objectKey(pod));
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod, false);
    if (getControllerOf(pod)) {
      const job = this.resolveControllerRef(pod);
      if (!job || isJobFinished(job)) {
        if (hasJobTrackingFinalizer(pod)) this.enqueueOrphan(pod);
        return;
      }
      this.expectations.creationObserved(objectKey(job));
      this.enqueueBatched(job);
      return;
    }
    if (hasJobTrackingFinalizer(pod)) this.enqueueOrphan(pod);
    for (const job of this.matchingJobs(pod)) this.enqueueBatched(job);
  }

  private podUpdated(old: Pod, cur: Pod): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    if (cur.metadata?.deletionTimestamp) {
      this.podDeleted(cur, false);
      return;
    }
    const oldJob = this.resolveControllerRef(old);
    const curJob = this.resolveControllerRef(cur);
    if (hasJobTrackingFinalizer(old) && !hasJobTrackingFinalizer(cur)) {
      const owner = curJob ?? oldJob;
      if (owner) this.finalizerExpectations.observed(objectKey(owner), cur.metadata?.uid ?? '');
    }
    if (oldJob && oldJob !== curJob) this.enqueueBatched(oldJob);
    if (curJob) {
      if (isJobFinished(curJob) && hasJobTrackingFinalizer(cur)) this.enqueueOrphan(cur);
      this.enqueueBatched(curJob);
      return;
    }
    if (hasJobTrackingFinalizer(cur)) this.enqueueOrphan(cur);
    if (!getControllerOf(cur)) for (const job of this.matchingJobs(cur)) this.enqueueBatched(job);
  }

  /** `final`: the Pod is gone from the store (not only being deleted). */
  private podDeleted(pod: Pod, final: boolean): void {
    const job = this.resolveControllerRef(pod);
    if (!job || isJobFinished(job)) {
      if (!final && hasJobTrackingFinalizer(pod)) this.enqueueOrphan(pod);
      return;
    }
    const key = objectKey(job);
    this.expectations.deletionObserved(key);
    if (final || !hasJobTrackingFinalizer(pod)) this.finalizerExpectations.observed(key, pod.metadata?.uid ?? '');
    this.enqueueBatched(job);
  }

  /** syncOrphanPod: removes the tracking finalizer from a Pod whose Job is gone or finished. */
  private async syncOrphanPod(key: string): Promise<void> {
    const pod = this.podInformer.store.get(key);
    if (!pod || !hasJobTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolveControllerRef(pod);
      if (job && !isJobFinished(job)) return;
    }
    const patch = removeTrackingFinalizerPatch(pod);
    const { namespace, name } = splitObjectKey(key);
    try {
      if (patch) await this.pods.patch(namespace, name, 'strategic', patch);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }

  /** syncJob: one pass over the Job with this key. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const job = this.jobInformer.store.get(key);
    if (!job) {
      this.forget(key);
      this.backoff.remove(key);
      return;
    }
    if (isJobFinished(job)) {
      this.backoff.remove(key);
      return;
    }
    const mode = job.spec?.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.opts.recorder.event({ ...job, ...JOB_GVK }, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const pods = await this.claimPods(job);
    const { requeueAfterMs } = await this.syncer.sync(job, pods);
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }

  /** getPodsForJob: the Pods the Job controls and matches, adopting orphans (with the tracking finalizer) and releasing others. */
  private async claimPods(job: Job): Promise<Pod[]> {
    const selector = selectorOf(job);
    const store = this.podInformer.store;
    const ns = job.metadata?.namespace ?? '';
    const candidates = [...store.byIndex(CONTROLLER_UID_INDEX, job.metadata?.uid ?? ''), ...store.byIndex(CONTROLLER_UID_INDEX, orphanIndexKey(ns))];
    if (!selector) return candidates.filter((p) => getControllerOf(p)?.uid === job.metadata?.uid);
    let plan = classifyPods(job, selector, candidates);
    if (plan.adopt.length > 0) {
      const fresh = await this.jobs.get(ns, job.metadata?.name ?? '');
      if (fresh.metadata?.uid !== job.metadata?.uid || fresh.metadata?.deletionTimestamp) plan = classifyPods(job, selector, candidates, false);
    }
    const claimed = [...plan.owned];
    await Promise.all([
      ...plan.adopt.map(async (pod) => {
        try {
          const patch = adoptPatch(job, JOB_GVK, pod.metadata?.uid ?? '') as { metadata: Record<string, unknown> };
          patch.metadata['finalizers'] = [JobTrackingFinalizer];
          claimed.push(await this.pods.patch(ns, pod.metadata?.name ?? '', 'strategic', patch));
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        }
      }),
      ...plan.release.map(async (pod) => {
        try {
          const patch = releasePatch(job.metadata?.uid ?? '', pod.metadata?.uid ?? '') as { metadata: Record<string, unknown> };
          if (hasJobTrackingFinalizer(pod)) patch.metadata['$deleteFromPrimitiveList/finalizers'] = [JobTrackingFinalizer];
          await this.pods.patch(ns, pod.metadata?.name ?? '', 'strategic', patch);
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 404 || err.code === 422))) throw err;
        }
      }),
    ]);
    return claimed;
  }
}

function selectorOf(job: Job): LabelSelector | undefined {
  try {
    return LabelSelector.fromSpec(job.spec?.selector);
  } catch {
    return undefined;
  }
}
