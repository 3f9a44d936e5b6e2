// The extension points of a scheduling profile, one small interface each (upstream's framework/interface.go). Every
// call of the scheduling cycle (PreFilter … Permit) is synchronous and made for one Pod at a time, so a plugin sees the
// cache unchanged for the whole cycle; the binding cycle (PreBind, Bind, PostBind) is asynchronous and may overlap the
// next Pods' scheduling cycles. A call returns `undefined` for success or a Status.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { RestClient } from '../../client/index.js';
import type { Clock } from '../../lib/index.js';
import type { CycleState } from './cycle-state.js';
import type { SchedulerListers } from './listers.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { Result, Status } from './status.js';

/** Upstream's MaxNodeScore: every Score plugin answers 0…100 after normalisation. */
export const MAX_NODE_SCORE = 100;

export interface Plugin {
  readonly name: string;
}

/** A Pod waiting in the scheduling queue. */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When it was first added (ms); the tie-breaker of PrioritySort. */
  readonly initialAttemptTimestamp: number;
  /** When it was last added or moved (ms). */
  timestamp: number;
  attempts: number;
  /** Plugins that rejected it in its last attempt; only events that may change their answer move it back. */
  unschedulablePlugins: Set<string>;
}

/** Orders the active queue: `less(a, b)` is true when a should be scheduled before b. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** What PreFilter may answer besides a status: the only nodes worth filtering (undefined: all). */
export interface PreFilterResult {
  readonly nodeNames?: ReadonlySet<string>;
}

/**
 * Checks the Pod and precomputes what Filter needs into the CycleState. A rejection rejects every node; Skip means its
 * Filter is not called for this Pod.
 */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status?: Status };
  /** Updates the state computed by preFilter when preemption tries removing (or re-adding) a Pod on a node. */
  readonly extensions?: PreFilterExtensions;
}

export interface PreFilterExtensions {
  addPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): void;
  removePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): void;
}

/** Whether the Pod can run on the node. Must not change anything; called for many nodes per cycle. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Result;
}

export interface PostFilterResult {
  /** The node the Pod is nominated to (preemption); '' clears a nomination. */
  readonly nominatedNodeName?: string;
}

/** Called when no node passed the filters (preemption). `message` becomes part of the FailedScheduling message. */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, filtered: ReadonlyMap<string, Status>): Promise<{ result?: PostFilterResult; status: Status | undefined }>;
}

/** Precomputes what Score needs, once for the feasible nodes; Skip means its Score is not called. */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Result;
}

export interface NodeScore {
  readonly name: string;
  score: number;
}

/** Ranks a feasible node (any integer); normalizeScore then maps every node's score into 0…MAX_NODE_SCORE in place. */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): void;
}

/** Reserves (and, on a later failure, releases) per-node state of the plugin for the chosen node. Unreserve must be idempotent. */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Result;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** Approves, rejects or (Wait) delays the binding of the Pod to the chosen node. */
export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: PodInfo, nodeName: string): Result;
}

/** Runs before binding, in the binding cycle (e.g. provisioning volumes). */
export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string, signal?: AbortSignal): Promise<Result>;
}

/** Binds the Pod to the node; Skip passes to the next Bind plugin. The signal aborts when the scheduler stops. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodInfo, nodeName: string, signal?: AbortSignal): Promise<Result>;
}

/** Informational, after a successful binding. */
export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** What plugins may use of the scheduler. */
export interface Handle {
  readonly client: RestClient;
  readonly clock: Clock;
  /** Every node of the cache, in the order they are filtered. */
  nodeInfos(): readonly NodeInfo[];
  nodeInfo(name: string): NodeInfo | undefined;
  /** The nodes (of nodeInfos) with at least one Pod with pod affinity or anti-affinity terms. */
  nodeInfosWithPodsWithAffinity(): readonly NodeInfo[];
  /** The nodes (of nodeInfos) with at least one Pod with required pod anti-affinity terms. */
  nodeInfosWithPodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  readonly listers: SchedulerListers;
  /** Runs every Filter plugin (skipping those skipped by PreFilter); the first rejection. */
  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): Result;
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): void;
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): void;
  /** Records a core/v1 Event about an object, as the scheduler. */
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export type AnyPlugin = Plugin &
  Partial<
    QueueSortPlugin &
      PreFilterPlugin &
      FilterPlugin &
      PostFilterPlugin &
      PreScorePlugin &
      ScorePlugin &
      ReservePlugin &
      PermitPlugin &
      PreBindPlugin &
      BindPlugin &
      PostBindPlugin
  >;

/** A plugin in a profile, with its weight at Score. */
export interface PluginEntry {
  readonly plugin: AnyPlugin;
  readonly weight?: number;
}

export type PluginFactory = (handle: Handle) => AnyPlugin;
