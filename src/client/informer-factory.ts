import type { Clock } from '../lib/index.js';
import type { ListerWatcher } from './reflector.js';
import type { KubeObject, RestClient, ResourceType } from './rest-client.js';
import { SharedInformer } from './shared-informer.js';

export interface InformerScope {
  /** '' (the default) watches every namespace. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface InformerFactoryOptions {
  readonly clock: Clock;
  /** Default resync period of every informer (0: none). */
  readonly resyncPeriodMs?: number;
  readonly log?: (message: string) => void;
}

/**
 * Hands out one SharedInformer per resource and scope, so a process keeps one watch per collection however many
 * controllers use it. `start` runs every informer not yet running; it may be called again after more are requested.
 */
export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly runs: Promise<void>[] = [];

  constructor(
    private readonly client: RestClient,
    private readonly opts: InformerFactoryOptions,
  ) {}

  informer<T extends KubeObject>(type: ResourceType, scope: InformerScope = {}): SharedInformer<T> {
    const key = [type.group, type.version, type.resource, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');
    let informer = this.informers.get(key) as SharedInformer<T> | undefined;
    if (!informer) {
      informer = new SharedInformer<T>(listerWatcher<T>(this.client, type, scope), {
        clock: this.opts.clock,
        resyncPeriodMs: this.opts.resyncPeriodMs,
        log: this.opts.log,
        name: type.group ? `${type.resource}.${type.group}` : type.resource,
      });
      this.informers.set(key, informer as unknown as SharedInformer<KubeObject>);
    }
    return informer;
  }

  start(signal: AbortSignal): void {
    for (const informer of this.informers.values()) {
      if (!informer.isStarted) this.runs.push(informer.run(signal));
    }
  }

  /** Resolves when every informer requested so far has synced (or the signal aborts). */
  async waitForCacheSync(signal: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.whenSynced(signal)));
  }

  /** Resolves when every started informer has stopped (after the signal given to `start` aborted). */
  async stopped(): Promise<void> {
    await Promise.allSettled(this.runs);
  }
}

/** Lists and watches a resource through a RestClient, within a scope. */
export function listerWatcher<T extends KubeObject>(client: RestClient, type: ResourceType, scope: InformerScope = {}): ListerWatcher<T> {
  const resource = client.resource<T>(type);
  const ns = scope.namespace ?? '';
  const selectors = { labelSelector: scope.labelSelector, fieldSelector: scope.fieldSelector };
  return {
    list: (opts, signal) => resource.list(ns, { ...opts, ...selectors }, signal),
    watch: (opts, signal) => resource.watch(ns, { ...opts, ...selectors }, signal),
  };
}
