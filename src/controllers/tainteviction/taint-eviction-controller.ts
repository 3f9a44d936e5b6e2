import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../../api/index.js';
import { splitObjectKey, WorkQueue, type EventRecorder, type ResourceClient, type SharedInformer } from '../../client/index.js';
import { podsOnNode, withPodNodeIndex } from '../runtime/pods-by-node.js';
import { runWorkers } from '../runtime/worker-loop.js';
import { matchingTolerations, minTolerationTimeMs } from './tolerations.js';
import type { ControllerContext } from '../runtime/controller-context.js';

export interface TaintEvictionControllerOptions extends ControllerContext {
  /** Events from `taint-eviction-controller`. */
  readonly recorder?: EventRecorder;
}

const DELETE_RETRIES = 5;

interface ScheduledEviction {
  readonly createdAt: number;
  readonly fireAt: number;
  cancel: () => void;
  /** The deletion was done; the work stays known until cancelled, so it is not scheduled again. */
  done: boolean;
}

const noExecute = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.effect === 'NoExecute');

/**
 * The taint eviction controller (upstream's pkg/controller/tainteviction, `taint-eviction-controller`): a Pod on a
 * node with NoExecute taints it does not tolerate is deleted at once; one that tolerates them all for a while
 * (tolerationSeconds) is deleted when the shortest of those runs out, counted from when the taints were first seen;
 * tolerating them forever, or the taints going away, cancels the deletion. Deleting records the event
 * TaintManagerEviction "Marking for deletion Pod ns/name", sets the Pod's DisruptionTarget condition
 * (DeletionByTaintManager) and DELETEs it.
 */
export class TaintEvictionController {
  readonly name = 'taint-eviction-controller';
  private readonly nodeInformer: SharedInformer<Node>;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly pods: ResourceClient<Pod>;
  /** `node/<name>` and `pod/<namespace>/<name>@<node>` keys; one worker, so node and pod updates never race. */
  private readonly queue: WorkQueue<string>;
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly evictions = new Map<string, ScheduledEviction>();

  constructor(private readonly opts: TaintEvictionControllerOptions) {
    this.pods = opts.client.kind<Pod>('v1', 'Pod');
    this.nodeInformer = opts.informers.informer<Node>(opts.client.kind<Node>('v1', 'Node').type);
    this.podInformer = withPodNodeIndex(opts.informers.informer<Pod>(this.pods.type));
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.nodeInformer.addEventHandler({
      onAdd: (n) => this.queue.add(`node/${n.metadata?.name ?? ''}`),
      onUpdate: (o, n) => {
        if (!isDeepStrictEqual(noExecute(o.spec?.taints), noExecute(n.spec?.taints))) this.queue.add(`node/${n.metadata?.name ?? ''}`);
      },
      onDelete: (n) => this.queue.add(`node/${n.metadata?.name ?? ''}`),
    });
    const podKey = (p: Pod) => `pod/${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}@${p.spec?.nodeName ?? ''}`;
    this.podInformer.addEventHandler({
      onAdd: (p) => this.queue.add(podKey(p)),
      onUpdate: (o, p) => {
        if (isDeepStrictEqual(o.spec?.tolerations ?? [], p.spec?.tolerations ?? []) && o.spec?.nodeName === p.spec?.nodeName) return;
        this.queue.add(podKey(p));
      },
      onDelete: (p) => this.queue.add(podKey(p)),
    });
  }

  async run(_workers: number, signal: AbortSignal): Promise<void> {
    await Promise.all([this.nodeInformer.whenSynced(signal), this.podInformer.whenSynced(signal)]);
    if (signal.aborted) return;
    signal.addEventListener('abort', () => {
      for (const e of this.evictions.values()) e.cancel();
    }, { once: true });
    await runWorkers(this.queue, async (key) => (key.startsWith('node/') ? this.handleNodeUpdate(key.slice(5)) : this.handlePodUpdate(key.slice(4))), 1, signal, this.opts.log);
  }

  /** The scheduled deletion of a Pod (namespace/name), for tests and diagnostics. */
  scheduledEviction(podKey: string): { createdAt: number; fireAt: number } | undefined {
    const e = this.evictions.get(podKey);
    return e && !e.done ? { createdAt: e.createdAt, fireAt: e.fireAt } : undefined;
  }

  handleNodeUpdate(name: string): void {
    const node = this.nodeInformer.store.getByName('', name);
    if (!node) {
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecute(node.spec?.taints);
    if (taints.length === 0) this.taintedNodes.delete(name);
    else this.taintedNodes.set(name, taints);
    const pods = podsOnNode(this.podInformer, name);
    const now = this.opts.clock.now();
    for (const pod of pods) {
      const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
      if (taints.length === 0) this.cancelWithEvent(key);
      else this.processPodOnNode(key, pod, taints, now);
    }
  }

  handlePodUpdate(item: string): void {
    const at = item.lastIndexOf('@');
    const key = item.slice(0, at);
    const nodeName = item.slice(at + 1);
    const { namespace, name } = splitObjectKey(key);
    const pod = this.podInformer.store.getByName(namespace, name);
    if (!pod) {
      this.cancelWithEvent(key);
      this.evictions.delete(key);
      return;
    }
    if ((pod.spec?.nodeName ?? '') !== nodeName || nodeName === '') return;
    const taints = this.taintedNodes.get(nodeName);
    if (!taints) return;
    this.processPodOnNode(key, pod, taints, this.opts.clock.now());
  }

  private processPodOnNode(key: string, pod: Pod, taints: Taint[], now: number): void {
    const { all, used } = matchingTolerations(taints, pod.spec?.tolerations ?? []);
    if (!all) {
      this.cancelWithEvent(key);
      this.schedule(key, now, now);
      return;
    }
    const min = minTolerationTimeMs(used);
    if (min < 0) {
      this.cancelWithEvent(key);
      return;
    }
    let startTime = now;
    const existing = this.evictions.get(key);
    if (existing) {
      if (existing.done) return;
      startTime = existing.createdAt;
      if (startTime + min < now + min) return;
      this.cancelWithEvent(key);
    }
    this.schedule(key, startTime, startTime + min);
  }

  private schedule(key: string, createdAt: number, fireAt: number): void {
    if (this.evictions.has(key)) return;
    const eviction: ScheduledEviction = { createdAt, fireAt, done: false, cancel: () => {} };
    eviction.cancel = this.opts.clock.setTimer(() => void this.evict(key, eviction), Math.max(0, fireAt - this.opts.clock.now()));
    this.evictions.set(key, eviction);
  }

  private cancelWithEvent(key: string): void {
    const e = this.evictions.get(key);
    if (!e) return;
    e.cancel();
    this.evictions.delete(key);
    if (!e.done) this.event(key, 'Cancelling deletion of Pod');
  }

  private event(key: string, what: string): void {
    const { namespace, name } = splitObjectKey(key);
    this.opts.recorder?.event({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } }, 'Normal', 'TaintManagerEviction', `${what} ${key}`);
  }

  private async evict(key: string, eviction: ScheduledEviction): Promise<void> {
    if (this.evictions.get(key) !== eviction) return;
    this.opts.log?.(`taint-eviction-controller: deleting pod ${key}`);
    this.event(key, 'Marking for deletion Pod');
    const { namespace, name } = splitObjectKey(key);
    let lastErr: unknown;
    for (let i = 0; i < DELETE_RETRIES; i++) {
      try {
        await this.addConditionAndDelete(namespace, name);
        eviction.done = true;
        return;
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) {
          eviction.done = true;
          return;
        }
        lastErr = err;
      }
    }
    // Like upstream's timed worker, a failed deletion is not retried until the Pod or its node changes again.
    this.evictions.delete(key);
    this.opts.log?.(`taint-eviction-controller: deleting pod ${key}: ${lastErr instanceof Error ? lastErr.message : String(lastErr)}`);
  }

  private async addConditionAndDelete(namespace: string, name: string): Promise<void> {
    const pod = await this.pods.get(namespace, name);
    const conditions = pod.status?.conditions ?? [];
    const current = conditions.find((c) => c.type === 'DisruptionTarget');
    const reason = 'DeletionByTaintManager';
    const message = 'Taint manager: deleting due to NoExecute taint';
    if (!(current && current.status === 'True' && current.reason === reason && current.message === message)) {
      const now = new Date(Math.floor(this.opts.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      const condition = { type: 'DisruptionTarget', status: 'True', reason, message, lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime : now };
      await this.pods.patch(namespace, name, 'strategic', { metadata: { uid: pod.metadata?.uid }, status: { conditions: [condition] } }, { subresource: 'status' });
    }
    await this.pods.delete(namespace, name);
  }
}
