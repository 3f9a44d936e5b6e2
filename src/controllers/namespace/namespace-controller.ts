import type { Namespace } from 'kubernetes-types/core/v1.js';
import { defaultControllerRateLimiter, WorkQueue, type DiscoveredResource, type SharedInformer } from '../../client/index.js';
import { runWorkers, type ReconcileResult } from '../runtime/worker-loop.js';
import { NamespacedResourcesDeleter } from './namespaced-resources-deleter.js';
import { requeueAfterMs } from './remaining-content.js';
import type { ControllerContext } from '../runtime/controller-context.js';

/**
 * How long after seeing a namespace being deleted the controller starts on it (upstream's namespaceDeletionGracePeriod):
 * time for every API server to refuse creates in it and for last-moment creations to become visible.
 */
export const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5000;

export interface NamespaceControllerOptions extends ControllerContext {
  /** Overrides NAMESPACE_DELETION_GRACE_PERIOD_MS (tests). */
  readonly deletionGracePeriodMs?: number;
  /** Every served resource (discovery by default). */
  readonly discover?: (signal?: AbortSignal) => Promise<DiscoveredResource[]>;
}

/**
 * The namespace controller (upstream's pkg/controller/namespace): for every namespace with a deletionTimestamp, deletes
 * everything in it, reports progress in its conditions and then finalizes it, so that the API server removes it.
 * Content that is expected to go by itself (graceful deletion, finalizers) is looked at again after its estimate.
 */
export class NamespaceController {
  readonly name = 'namespace';
  private readonly queue: WorkQueue<string>;
  private readonly informer: SharedInformer<Namespace>;
  private readonly deleter: NamespacedResourcesDeleter;
  private readonly gracePeriodMs: number;

  constructor(private readonly opts: NamespaceControllerOptions) {
    // Retried at least every minute, never longer (upstream's nsControllerRateLimiter).
    this.queue = new WorkQueue<string>({ clock: opts.clock, rateLimiter: defaultControllerRateLimiter({ clock: opts.clock, maxDelayMs: 60_000 }) });
    this.gracePeriodMs = opts.deletionGracePeriodMs ?? NAMESPACE_DELETION_GRACE_PERIOD_MS;
    this.deleter = new NamespacedResourcesDeleter({ client: opts.client, clock: opts.clock, discover: opts.discover, log: opts.log });
    this.informer = opts.informers.informer<Namespace>(opts.client.kind<Namespace>('v1', 'Namespace').type);
    this.informer.addEventHandler({
      onAdd: (ns) => this.enqueue(ns),
      onUpdate: (_old, ns) => this.enqueue(ns),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await this.informer.whenSynced(signal);
    if (signal.aborted) return;
    await runWorkers(this.queue, (key) => this.sync(key, signal), workers, signal, this.opts.log);
  }

  private enqueue(ns: Namespace): void {
    if (!ns.metadata?.deletionTimestamp || !ns.metadata.name) return;
    this.queue.addAfter(ns.metadata.name, this.gracePeriodMs);
  }

  /** syncNamespaceFromKey. */
  async sync(name: string, signal?: AbortSignal): Promise<ReconcileResult | void> {
    if (!this.informer.store.getByName('', name)) return;
    const estimate = await this.deleter.delete(name, signal);
    if (estimate > 0) return { requeueAfterMs: requeueAfterMs(estimate) };
  }
}
