import type { Container, ContainerStatus as ApiContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus, PodSandboxStatus } from './runtime/index.js';
import { normalizeImage } from './runtime/index.js';

/** Why a container is waiting, as the sync decided it (CrashLoopBackOff, ErrImagePull …). */
export interface WaitingReason {
  reason: string;
  message?: string;
}

/** What the runtime holds for one Pod, and what the last sync decided. */
export interface ObservedPod {
  sandbox: PodSandboxStatus | undefined;
  /** Every container attempt the runtime still has. */
  containers: readonly ContainerStatus[];
  /** By container name. */
  waiting: ReadonlyMap<string, WaitingReason>;
  /** The Pod has reached the end of its life (terminal phase, or stopped because it is being deleted). */
  terminal: boolean;
  /** What the probes say of a running container (undefined: it has none that decide). */
  health?: (containerId: string) => { started: boolean; ready: boolean } | undefined;
}

export interface StatusContext {
  readonly now: number;
  readonly hostIP: string;
  readonly runtimeName: string;
  /**
   * The status the kubelet last decided for this Pod (its status manager's copy), which may be newer than the Pod's
   * as the informer last saw it: the kubelet's own conditions keep their transition times, and the start time and IPs
   * stay, from it (upstream's generateAPIPodStatus reads the status manager's cache the same way).
   */
  readonly previous?: PodStatus;
}

/** The conditions the kubelet owns; the others (PodScheduled, DisruptionTarget, readiness gates) are the API's. */
const KUBELET_CONDITIONS: ReadonlySet<string> = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

const time = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The latest attempt of each container name, and the one before it. */
export function attemptsByName(containers: readonly ContainerStatus[]): Map<string, { latest: ContainerStatus; previous?: ContainerStatus }> {
  const sorted = [...containers].sort((a, b) => a.attempt - b.attempt || a.createdAt - b.createdAt);
  const out = new Map<string, { latest: ContainerStatus; previous?: ContainerStatus }>();
  for (const c of sorted) {
    const known = out.get(c.name);
    out.set(c.name, { latest: c, previous: known?.latest });
  }
  return out;
}

function terminated(c: ContainerStatus, runtimeName: string) {
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
      ...(c.message ? { message: c.message } : {}),
      startedAt: time(c.startedAt || c.createdAt),
      finishedAt: time(c.finishedAt),
      containerID: `${runtimeName}://${c.id}`,
    },
  };
}

function containerStatus(spec: Container, observed: ObservedPod, ctx: StatusContext, defaultWaiting: string, init: boolean): ApiContainerStatus {
  const attempts = attemptsByName(observed.containers).get(spec.name);
  const image = normalizeImage(spec.image ?? '');
  const waiting = observed.waiting.get(spec.name);
  if (!attempts) {
    const reason = waiting ?? { reason: defaultWaiting };
    return { name: spec.name, state: { waiting: { reason: reason.reason, ...(reason.message ? { message: reason.message } : {}) } }, lastState: {}, ready: false, restartCount: 0, image, imageID: '', started: false };
  }
  const { latest, previous } = attempts;
  const base = { name: spec.name, image, imageID: latest.imageRef, containerID: `${ctx.runtimeName}://${latest.id}`, restartCount: latest.attempt };
  const lastState = previous && previous.state === 'CONTAINER_EXITED' ? terminated(previous, ctx.runtimeName) : {};
  switch (latest.state) {
    case 'CONTAINER_RUNNING': {
      const health = observed.health?.(latest.id);
      return { ...base, state: { running: { startedAt: time(latest.startedAt) } }, lastState, ready: !init && (health?.ready ?? true), started: health?.started ?? true };
    }
    case 'CONTAINER_EXITED':
      if (waiting && !observed.terminal) {
        return { ...base, state: { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } }, lastState: terminated(latest, ctx.runtimeName), ready: false, started: false };
      }
      return { ...base, state: terminated(latest, ctx.runtimeName), lastState, ready: init && latest.exitCode === 0, started: false };
    default:
      return { ...base, state: { waiting: { reason: waiting?.reason ?? 'ContainerCreating' } }, lastState, ready: false, started: false };
  }
}

/** Upstream's getPhase: from the containers' states and the restart policy. */
export function podPhase(pod: Pod, statuses: readonly ApiContainerStatus[], initStatuses: readonly ApiContainerStatus[], terminal: boolean): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  for (const s of initStatuses) {
    if (s.state?.terminated?.exitCode === 0) continue;
    if (s.state?.terminated && (policy === 'Never' || terminal)) return 'Failed';
    if (s.state?.waiting?.reason === 'CrashLoopBackOff' && policy === 'Never') return 'Failed';
    return 'Pending';
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated && !terminal) stopped++;
      else waiting++;
    }
  }
  if (waiting > 0) return terminal ? 'Failed' : 'Pending';
  if (running > 0) return terminal ? 'Failed' : 'Running';
  if (stopped > 0) {
    if (!terminal && policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (!terminal && policy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, previous: readonly PodCondition[], now: number, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const old = previous.find((c) => c.type === type);
  const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : time(now);
  return { type, status, lastTransitionTime, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

/** The status the kubelet reports for a Pod: phase, conditions, container statuses, IPs and start time. */
export function generatePodStatus(pod: Pod, observed: ObservedPod, ctx: StatusContext): PodStatus {
  const spec = pod.spec;
  const old = ctx.previous ?? pod.status;
  const previous = old?.conditions ?? [];
  const initSpecs = spec?.initContainers ?? [];
  const initStatuses = initSpecs.map((c) => containerStatus(c, observed, ctx, 'PodInitializing', true));
  const initialized = initStatuses.every((s) => s.state?.terminated?.exitCode === 0);
  const statuses = (spec?.containers ?? []).map((c) => containerStatus(c, observed, ctx, initialized ? 'ContainerCreating' : 'PodInitializing', false));
  const phase = podPhase(pod, statuses, initStatuses, observed.terminal);
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const incomplete = initStatuses.filter((s) => s.state?.terminated?.exitCode !== 0).map((s) => s.name);
  const sandboxReady = observed.sandbox?.state === 'SANDBOX_READY' && !observed.terminal;
  const containersReady = unready.length === 0 && !observed.terminal;
  const notReady = phase === 'Succeeded' || phase === 'Failed' ? { reason: 'PodCompleted' } : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', sandboxReady, previous, ctx.now),
    incomplete.length === 0 || phase === 'Succeeded'
      ? condition('Initialized', true, previous, ctx.now, phase === 'Succeeded' && initSpecs.length > 0 ? 'PodCompleted' : undefined)
      : condition('Initialized', false, previous, ctx.now, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`),
    containersReady ? condition('Ready', true, previous, ctx.now) : condition('Ready', false, previous, ctx.now, notReady.reason, notReady.message),
    containersReady ? condition('ContainersReady', true, previous, ctx.now) : condition('ContainersReady', false, previous, ctx.now, notReady.reason, notReady.message),
    ...(pod.status?.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type)),
  ];
  // A Pod the kubelet sees is scheduled, however it got its node.
  if (!conditions.some((c) => c.type === 'PodScheduled')) conditions.push(condition('PodScheduled', true, previous, ctx.now));
  const ips = observed.sandbox?.ips ?? [];
  const podIPs = ips.length > 0 ? ips : (old?.podIPs ?? []).map((p) => p.ip ?? '').filter((ip) => ip !== '');
  return {
    phase,
    conditions,
    hostIP: ctx.hostIP,
    hostIPs: [{ ip: ctx.hostIP }],
    ...(podIPs.length > 0 ? { podIP: podIPs[0], podIPs: podIPs.map((ip) => ({ ip })) } : {}),
    startTime: old?.startTime ?? pod.status?.startTime ?? time(ctx.now),
    ...(initStatuses.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: pod.status?.qosClass ?? 'BestEffort',
  };
}
