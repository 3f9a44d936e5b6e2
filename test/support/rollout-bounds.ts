// Watches a Deployment's Pods and records every moment a rolling update breaks its bounds: more than
// replicas + maxSurge Pods that are not terminating, or fewer than replicas − maxUnavailable of them Ready.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { InformerFactory, type RestClient, type SharedInformer } from '../../src/client/index.js';
import { realClock } from '../../src/lib/index.js';

export interface RolloutBounds {
  readonly maxPods: number;
  readonly minAvailable: number;
}

export interface BoundsMonitor {
  /** States (after each watch event) that broke a bound, as text. */
  readonly violations: string[];
  /** Watch events seen since the monitor was armed. */
  events(): number;
  /** The most Pods running and the fewest ready seen since the monitor was armed. */
  extremes(): { maxRunning: number; minReady: number };
  /** Starts checking (call once the Deployment is fully available). */
  arm(): void;
  /** The Pods that are not terminating, and those of them that are Ready. */
  counts(): { running: number; ready: number };
  /** Resolves once `check` holds after some event (or right away), failing after the deadline. */
  until(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const terminating = (p: Pod) => !!p.metadata?.deletionTimestamp || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/**
 * `invariant`, when given, is checked too: it gets the Pods that are not terminating and returns what is wrong with
 * them, if anything.
 */
export async function watchRolloutBounds(
  client: RestClient,
  namespace: string,
  labelSelector: string,
  bounds: RolloutBounds,
  invariant?: (live: Pod[]) => string | undefined,
): Promise<BoundsMonitor> {
  const ac = new AbortController();
  const factory = new InformerFactory(client, { clock: realClock });
  const informer: SharedInformer<Pod> = factory.informer<Pod>(client.kind<Pod>('v1', 'Pod').type, { namespace, labelSelector });
  const violations: string[] = [];
  let armed = false;
  let seen = 0;
  let maxRunning = 0;
  let minReady = Number.POSITIVE_INFINITY;
  const waiters = new Set<() => void>();
  const counts = () => {
    const live = informer.store.list().filter((p) => !terminating(p));
    return { running: live.length, ready: live.filter(ready).length };
  };
  const onEvent = (what: string, pod: Pod) => {
    if (armed) {
      seen++;
      const c = counts();
      maxRunning = Math.max(maxRunning, c.running);
      minReady = Math.min(minReady, c.ready);
      if (c.running > bounds.maxPods) violations.push(`${c.running} Pods running (> ${bounds.maxPods}) after ${what} ${pod.metadata?.name}`);
      if (c.ready < bounds.minAvailable) violations.push(`${c.ready} Pods ready (< ${bounds.minAvailable}) after ${what} ${pod.metadata?.name}`);
      const wrong = invariant?.(informer.store.list().filter((p) => !terminating(p)));
      if (wrong !== undefined) violations.push(`${wrong} after ${what} ${pod.metadata?.name}`);
    }
    for (const w of waiters) w();
  };
  informer.addEventHandler({
    onAdd: (p) => onEvent('add', p),
    onUpdate: (_o, p) => onEvent('update', p),
    onDelete: (p) => onEvent('delete', p),
  });
  factory.start(ac.signal);
  await informer.whenSynced(ac.signal);
  return {
    violations,
    events: () => seen,
    extremes: () => ({ maxRunning, minReady }),
    arm: () => {
      armed = true;
    },
    counts,
    until(what, check, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const attempt = () => {
          if (!check()) return;
          done();
          resolve();
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; Pods: ${JSON.stringify(counts())}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(attempt);
        };
        waiters.add(attempt);
        attempt();
      });
    },
    async stop() {
      ac.abort();
      await factory.stopped();
    },
  };
}
