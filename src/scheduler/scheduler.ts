import { setMaxListeners } from 'node:events';
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../api/index.js';
import { EventRecorder, InformerFactory, type ResourceClient, type RestClient, type SharedInformer } from '../client/index.js';
import { childSignal, type Clock } from '../lib/index.js';
import { CycleState } from './framework/cycle-state.js';
import { Framework, type ProfilePlugin } from './framework/framework.js';
import type { QueuedPodInfo } from './framework/interfaces.js';
import { PodInfo, podKey } from './framework/pod-info.js';
import { Code, type Status } from './framework/status.js';
import { SchedulerCache } from './cache/scheduler-cache.js';
import { ASSIGNED_POD_ADD, ASSIGNED_POD_DELETE, NODE_ADD, NODE_UPDATE, SchedulingQueue } from './queue/scheduling-queue.js';
import { defaultPlugins } from './plugins/registry.js';
import { InformerListers } from './informer-listers.js';
import { eventSink } from './event-sink.js';
import { FitError, PodScheduler } from './schedule-pod.js';
import type { SchedulerMetrics } from './metrics.js';

export interface SchedulerProfile {
  /** The spec.schedulerName of the Pods this profile schedules. */
  readonly schedulerName: string;
  /** The default plugins with upstream's weights when not given. */
  readonly plugins?: readonly ProfilePlugin[];
  /** 0 (default): upstream's adaptive percentage. */
  readonly percentageOfNodesToScore?: number;
}

export interface SchedulerOptions {
  readonly client: RestClient;
  readonly clock: Clock;
  readonly profiles?: readonly SchedulerProfile[];
  readonly podInitialBackoffMs?: number;
  readonly podMaxBackoffMs?: number;
  readonly metrics?: SchedulerMetrics;
  readonly random?: () => number;
  readonly log?: (message: string) => void;
}

/**
 * kube-scheduler's scheduling loop. Informers feed the cache (Nodes, bound Pods) and the queue (Pending Pods whose
 * schedulerName is one of the profiles). Each cycle pops one Pod, filters and scores the nodes synchronously, assumes
 * the Pod on the chosen node and starts its binding without waiting for it, so the next cycle starts at once. Results:
 * a `Scheduled` event, or a `FailedScheduling` event and the PodScheduled=False condition, and the Pod back in the queue.
 */
export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly profiles = new Map<string, Framework>();
  private readonly recorders = new Map<string, EventRecorder>();
  private readonly podScheduler: PodScheduler;
  private readonly pods: ResourceClient<Pod>;
  private readonly inFlightBindings = new Set<Promise<void>>();
  private podInformer: SharedInformer<Pod> | undefined;
  private stopping: AbortSignal | undefined;
  private readonly bindingAborts = new Set<AbortController>();
  private readonly listers = new InformerListers();

  constructor(private readonly opts: SchedulerOptions) {
    this.pods = opts.client.kind<Pod>('v1', 'Pod');
    this.podScheduler = new PodScheduler(opts.random);
    for (const profile of opts.profiles ?? [{ schedulerName: 'default-scheduler' }]) {
      const recorder = new EventRecorder({ sink: eventSink(opts.client), component: profile.schedulerName, clock: opts.clock, onError: (e) => opts.log?.(`event: ${String(e)}`) });
      this.recorders.set(profile.schedulerName, recorder);
      const fwk = new Framework({
        profileName: profile.schedulerName,
        plugins: profile.plugins ?? defaultPlugins(),
        client: opts.client,
        clock: opts.clock,
        nodeInfos: () => this.cache.nodeInfos(),
        nodeInfo: (name) => this.cache.nodeInfo(name),
        nodeInfosWithPodsWithAffinity: () => this.cache.nodeInfosWithPodsWithAffinity(),
        nodeInfosWithPodsWithRequiredAntiAffinity: () => this.cache.nodeInfosWithPodsWithRequiredAntiAffinity(),
        listers: this.listers,
        event: (pod, type, reason, message) => recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata }, type, reason, message),
        percentageOfNodesToScore: profile.percentageOfNodesToScore,
      });
      this.profiles.set(profile.schedulerName, fwk);
    }
    const first = [...this.profiles.values()][0];
    if (!first) throw new Error('no scheduler profile');
    this.queue = new SchedulingQueue({ clock: opts.clock, less: (a, b) => first.queueSort.less(a, b), initialBackoffMs: opts.podInitialBackoffMs, maxBackoffMs: opts.podMaxBackoffMs });
  }

  /**
   * Watches and schedules until the signal aborts; bindings still under way are then cancelled (the Pods stay
   * Pending for the next scheduler), and the events of those that completed are written before it resolves.
   */
  async run(signal: AbortSignal): Promise<void> {
    const informers = new InformerFactory(this.opts.client, { clock: this.opts.clock, log: this.opts.log });
    const nodeInformer = informers.informer<Node>(this.opts.client.kind<Node>('v1', 'Node').type);
    const podInformer = informers.informer<Pod>(this.pods.type);
    this.podInformer = podInformer;
    this.listers.start(informers, this.opts.client);
    this.stopping = signal;
    // One controller per binding in flight, aborted together on stop (thousands of listeners on one signal cost O(n) each).
    signal.addEventListener('abort', () => {
      for (const ac of this.bindingAborts) ac.abort();
    }, { once: true });
    this.addHandlers(nodeInformer, podInformer);
    // The informers (7 kinds) listen on a signal of their own, so the caller's does not collect a listener per informer.
    const informersSignal = childSignal(signal);
    setMaxListeners(32, informersSignal);
    informers.start(informersSignal);
    await informers.waitForCacheSync(informersSignal);
    this.queue.run();
    const stopMetrics = this.opts.metrics?.watchQueue(() => this.queue.stats());
    try {
      if (!signal.aborted) await this.loop(signal);
    } finally {
      this.queue.close();
      stopMetrics?.();
      await Promise.all([...this.inFlightBindings]);
      await informers.stopped();
      for (const r of this.recorders.values()) {
        await r.flush();
        r.shutDown();
      }
    }
  }

  private responsibleFor(pod: Pod): boolean {
    return this.profiles.has(pod.spec?.schedulerName ?? 'default-scheduler');
  }

  private addHandlers(nodeInformer: SharedInformer<Node>, podInformer: SharedInformer<Pod>): void {
    nodeInformer.addEventHandler({
      onAdd: (node) => {
        this.cache.addNode(node);
        this.queue.moveAllToActiveOrBackoffQueue(NODE_ADD);
      },
      onUpdate: (old, node) => {
        this.cache.updateNode(node);
        if (nodeSchedulingPropertiesChanged(old, node)) this.queue.moveAllToActiveOrBackoffQueue(NODE_UPDATE);
      },
      onDelete: (node) => this.cache.removeNode(node.metadata?.name ?? ''),
    });
    podInformer.addEventHandler({
      onAdd: (pod) => this.podSeen(undefined, pod),
      onUpdate: (old, pod) => this.podSeen(old, pod),
      onDelete: (pod) => {
        if (pod.spec?.nodeName) {
          this.cache.removePod(pod);
          this.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE);
        } else this.queue.delete(pod);
      },
    });
  }

  private podSeen(old: Pod | undefined, pod: Pod): void {
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (pod.spec?.nodeName) {
      if (!old?.spec?.nodeName) this.queue.delete(pod);
      if (terminal) {
        this.cache.removePod(pod);
        this.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE);
        return;
      }
      this.cache.addPod(pod);
      if (!old?.spec?.nodeName) this.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_ADD);
      return;
    }
    if (terminal || !this.responsibleFor(pod)) return;
    if (this.cache.isAssumed(podKey(pod))) return;
    if (old) this.queue.update(old, pod);
    else this.queue.add(pod);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let lastYield = performance.now();
    for (;;) {
      const qpi = await this.queue.pop(signal);
      if (!qpi) return;
      const cycle = this.queue.cycle;
      await this.scheduleOne(qpi, cycle);
      if (performance.now() - lastYield > 5) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
  }

  /** One scheduling cycle for one Pod (upstream's ScheduleOne); the binding cycle goes on in the background. */
  async scheduleOne(qpi: QueuedPodInfo, cycle: number): Promise<void> {
    const podInfo = qpi.podInfo;
    const pod = podInfo.pod;
    const fwk = this.profiles.get(pod.spec?.schedulerName ?? 'default-scheduler');
    if (!fwk || pod.metadata?.deletionTimestamp || this.cache.isAssumed(podInfo.key)) return;
    const started = performance.now();
    const state = new CycleState();
    let host: string;
    try {
      host = this.podScheduler.schedule(fwk, state, podInfo, this.cache.nodeInfos()).suggestedHost;
    } catch (err) {
      if (!(err instanceof FitError)) {
        this.opts.metrics?.attempt('error', fwk.profileName, performance.now() - started);
        this.failed(fwk, qpi, cycle, Code.Error, err instanceof Error ? err.message : String(err));
        return;
      }
      let nominatedNodeName: string | undefined;
      if (fwk.hasPostFilter && err.numAllNodes > 0) {
        const post = await fwk.runPostFilterPlugins(state, podInfo, err.nodeStatuses);
        if (post.status && post.status.code !== Code.Error) err.postFilterMsg = post.status.message();
        nominatedNodeName = post.result?.nominatedNodeName;
      }
      for (const p of err.unschedulablePlugins) qpi.unschedulablePlugins.add(p);
      this.opts.metrics?.attempt('unschedulable', fwk.profileName, performance.now() - started);
      this.failed(fwk, qpi, cycle, Code.Unschedulable, err.message(), nominatedNodeName);
      return;
    }
    const assumed = new PodInfo({ ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName: host } });
    this.cache.assumePod(assumed, host);
    const reserve = fwk.runReservePluginsReserve(state, assumed, host);
    const permit = reserve ?? fwk.runPermitPlugins(state, assumed, host);
    if (permit && permit.code !== Code.Wait) {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed.key);
      this.opts.metrics?.attempt(permit.isRejection() ? 'unschedulable' : 'error', fwk.profileName, performance.now() - started);
      this.failed(fwk, qpi, cycle, permit.isRejection() ? Code.Unschedulable : Code.Error, permit.message());
      return;
    }
    this.opts.metrics?.attempt('scheduled', fwk.profileName, performance.now() - started);
    const binding = this.bindingCycle(fwk, state, qpi, assumed, host, cycle).finally(() => this.inFlightBindings.delete(binding));
    this.inFlightBindings.add(binding);
  }

  private async bindingCycle(fwk: Framework, state: CycleState, qpi: QueuedPodInfo, assumed: PodInfo, host: string, cycle: number): Promise<void> {
    const ac = new AbortController();
    if (this.stopping?.aborted) ac.abort();
    this.bindingAborts.add(ac);
    const signal = ac.signal;
    let status: Status | undefined;
    try {
      status = (await fwk.runPreBindPlugins(state, assumed, host, signal)) ?? (await fwk.runBindPlugins(state, assumed, host, signal));
    } finally {
      this.bindingAborts.delete(ac);
    }
    if (status) {
      if (signal?.aborted) {
        // Stopping: the cancelled request may still have reached the server; if it did, the Pod gets its event.
        const current = await this.pods.get(assumed.pod.metadata?.namespace ?? '', assumed.pod.metadata?.name ?? '').catch(() => undefined);
        if (current?.spec?.nodeName === host && current.metadata?.uid === assumed.pod.metadata?.uid) this.scheduled(fwk, current, host);
        return;
      }
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed.key);
      const err = status.error;
      if (err instanceof ApiError && (err.code === 404 || err.code === 409)) {
        // Deleted, or bound by someone else: the informer tells the rest.
        this.opts.log?.(`binding ${assumed.key} to ${host}: ${err.code} ${status.message()}`);
        return;
      }
      this.failed(fwk, qpi, cycle, Code.Error, `binding rejected: ${status.message()}`);
      return;
    }
    this.cache.finishBinding(assumed.key);
    this.scheduled(fwk, qpi.podInfo.pod, host);
    fwk.runPostBindPlugins(state, assumed, host);
  }

  private scheduled(fwk: Framework, pod: Pod, host: string): void {
    fwk.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} to ${host}`);
  }

  /** upstream's handleSchedulingFailure: back to the queue, a FailedScheduling event, the PodScheduled condition. */
  private failed(fwk: Framework, qpi: QueuedPodInfo, cycle: number, code: Code, message: string, nominatedNodeName?: string): void {
    const pod = qpi.podInfo.pod;
    const current = this.podInformer?.store.getByName(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
    if (!current || current.metadata?.uid !== pod.metadata?.uid || current.spec?.nodeName) return;
    qpi.podInfo = new PodInfo(current);
    this.queue.addUnschedulableIfNotPresent(qpi, cycle, code === Code.Error);
    fwk.event(current, 'Warning', 'FailedScheduling', truncate(message));
    const reason = code === Code.Error ? 'SchedulerError' : 'Unschedulable';
    void this.updatePodStatus(current, reason, truncate(message), nominatedNodeName).catch((err: unknown) => this.opts.log?.(`updating status of ${qpi.podInfo.key}: ${String(err)}`));
  }

  private async updatePodStatus(pod: Pod, reason: string, message: string, nominatedNodeName: string | undefined): Promise<void> {
    const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const nnnChanged = nominatedNodeName !== undefined && (pod.status?.nominatedNodeName ?? '') !== nominatedNodeName;
    if (old && old.status === 'False' && old.reason === reason && old.message === message && !nnnChanged) return;
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      reason,
      message,
      lastProbeTime: null as unknown as undefined,
      lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(this.opts.clock.now()),
    };
    const status: Record<string, unknown> = { conditions: [condition] };
    if (nnnChanged) status.nominatedNodeName = nominatedNodeName === '' ? null : nominatedNodeName;
    try {
      await this.pods.patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'strategic', { status }, { subresource: 'status' });
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
  }
}

/** Event and condition messages are cut at 1024 characters, as upstream's truncateMessage does. */
function truncate(message: string): string {
  const max = 1024;
  return message.length <= max ? message : `${message.slice(0, max - 3)}...`;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function nodeSchedulingPropertiesChanged(a: Node, b: Node): boolean {
  return (
    JSON.stringify(a.metadata?.labels) !== JSON.stringify(b.metadata?.labels) ||
    JSON.stringify(a.spec?.taints) !== JSON.stringify(b.spec?.taints) ||
    !!a.spec?.unschedulable !== !!b.spec?.unschedulable ||
    JSON.stringify(a.status?.allocatable) !== JSON.stringify(b.status?.allocatable) ||
    JSON.stringify(a.status?.conditions?.map((c) => [c.type, c.status])) !== JSON.stringify(b.status?.conditions?.map((c) => [c.type, c.status]))
  );
}

export type { Status };
