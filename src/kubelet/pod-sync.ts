import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { type Clock, sleep } from '../lib/index.js';
import { ContainerBackoff } from './container-backoff.js';
import { ContainerConfigError } from './container-env.js';
import type { Prober } from './probes/prober.js';
import { runProbe } from './probes/run-probe.js';
import { type PodVolumes, VolumeError } from './volumes/pod-volumes.js';
import { ImageManager } from './image-manager.js';
import { containerSpec, sandboxSpec } from './pod-runtime-spec.js';
import { attemptsByName, generatePodStatus, type ObservedPod, type WaitingReason } from './pod-status.js';
import { type ContainerRuntime, type ContainerStatus, ImagePullError, INIT_CONTAINER_ANNOTATION, type PodSandboxConfig } from './runtime/index.js';

export interface PodSyncOptions {
  readonly runtime: ContainerRuntime;
  readonly clock: Clock;
  readonly hostIP: string;
  readonly runtimeName: string;
  readonly backoff: ContainerBackoff;
  /** The container's environment (env, envFrom); rejects with ContainerConfigError when a source is missing. */
  readonly containerEnv?: (pod: Pod, container: Container, podIPs: readonly string[]) => Promise<{ key: string; value: string }[]>;
  /** Materialises the Pod's volumes for the runtime to mount; without it containers get no mounts. */
  readonly volumes?: PodVolumes;
  /** Runs the containers' probes; without it every running container is started and ready. */
  readonly prober?: Prober;
  /** Reports a Pod event (Pulled, Created, Started, Killing, BackOff …). */
  readonly event?: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void;
  /** The node's memory, for the oom_score_adj of Burstable containers (default 8 GiB). */
  readonly nodeMemoryBytes?: number;
}

/** How often a running Pod with projected service account tokens is synced to refresh them (upstream's volume manager resyncs about every minute). */
const TOKEN_REFRESH_CHECK_MS = 60_000;

/** What one sync did. */
export interface SyncResult {
  readonly status: PodStatus;
  /** The Pod reached a terminal phase: stop it for good. */
  readonly terminal: boolean;
  /** Sync again after this long (a back-off ends, or an action was taken and its effect should be reported). */
  readonly requeueAfterMs?: number;
}

const podKey = (pod: Pod) => `${pod.metadata?.uid ?? ''}/`;
const describePod = (pod: Pod) => `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;

function sandboxConfig(pod: Pod, attempt: number): PodSandboxConfig {
  return {
    metadata: { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '', uid: pod.metadata?.uid ?? '', attempt },
    hostname: pod.spec?.hostname ?? pod.metadata?.name,
    labels: { ...pod.metadata?.labels },
    annotations: { ...pod.metadata?.annotations },
    ...sandboxSpec(pod),
  };
}

function shouldRestart(pod: Pod, c: ContainerStatus): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && c.exitCode !== 0);
}

/**
 * The runtime side of one Pod (kuberuntime's SyncPod and KillPod): a sandbox, then the init containers one at a
 * time in order, then every container; restarts by the restart policy with CrashLoopBackOff. A sync reports the
 * status it observed before acting and asks to be called again when it acted or must wait.
 */
export class PodSync {
  private readonly waiting = new Map<string, Map<string, WaitingReason>>();
  private readonly images: ImageManager;

  constructor(private readonly o: PodSyncOptions) {
    this.images = new ImageManager({ runtime: o.runtime, clock: o.clock, event: o.event });
  }

  async observe(pod: Pod, terminal: boolean): Promise<ObservedPod> {
    const uid = pod.metadata?.uid ?? '';
    const sandboxes = (await this.o.runtime.listPodSandboxes({ podUid: uid })).sort((a, b) => b.metadata.attempt - a.metadata.attempt);
    const sandbox = sandboxes[0];
    const containers: ContainerStatus[] = [];
    for (const s of sandboxes) containers.push(...(await this.o.runtime.listContainers({ podSandboxId: s.id })));
    const prober = this.o.prober;
    return { sandbox, containers, waiting: this.waiting.get(uid) ?? new Map(), terminal, ...(prober ? { health: (id: string) => prober.health(id) } : {}) };
  }

  /** The status to report for `pod`; `previous` is the status last decided for it (see StatusContext.previous). */
  status(pod: Pod, observed: ObservedPod, previous?: PodStatus): PodStatus {
    return generatePodStatus(pod, observed, { now: this.o.clock.now(), hostIP: this.o.hostIP, runtimeName: this.o.runtimeName, previous });
  }

  async sync(pod: Pod, previous?: PodStatus): Promise<SyncResult> {
    const uid = pod.metadata?.uid ?? '';
    let observed = await this.observe(pod, false);
    if (await this.restartUnhealthy(pod, observed)) observed = await this.observe(pod, false);
    const status = this.status(pod, observed, previous);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') return { status, terminal: true };
    const waiting = new Map<string, WaitingReason>();
    this.waiting.set(uid, waiting);
    let sandbox = observed.sandbox;
    if (!sandbox || sandbox.state !== 'SANDBOX_READY') {
      // As upstream's SyncPod: a new sandbox, then its containers in the same pass (a fresh sandbox has none yet).
      const config = sandboxConfig(pod, sandbox ? sandbox.metadata.attempt + 1 : 0);
      const id = await this.o.runtime.runPodSandbox(config);
      sandbox = await this.o.runtime.podSandboxStatus(id);
    }
    const config = sandboxConfig(pod, sandbox.metadata.attempt);
    const attempts = attemptsByName(observed.containers.filter((c) => c.podSandboxId === sandbox.id));
    let requeue: number | undefined;
    const consider = (spec: Container): 'done' | 'busy' | 'failed' => {
      const latest = attempts.get(spec.name)?.latest;
      if (!latest) return 'failed';
      if (latest.state !== 'CONTAINER_EXITED') return 'busy';
      return latest.exitCode === 0 ? 'done' : 'failed';
    };
    let prepared: Promise<Map<string, string>> | undefined;
    const mountsOf = async (spec: Container) => {
      const volumes = this.o.volumes;
      if (!volumes) return undefined;
      prepared ??= volumes.prepare(pod, sandbox.ips);
      return volumes.mounts(spec, await prepared, pod);
    };
    const start = async (spec: Container, init: boolean): Promise<void> => {
      const latest = attempts.get(spec.name)?.latest;
      if (latest) {
        if (latest.state !== 'CONTAINER_EXITED' || !shouldRestart(pod, latest)) return;
        const key = podKey(pod) + spec.name;
        const remaining = this.o.backoff.remaining(key, latest.finishedAt);
        if (remaining > 0) {
          const message = `back-off ${goDuration(this.o.backoff.get(key))} restarting failed container=${spec.name} pod=${describePod(pod)}`;
          waiting.set(spec.name, { reason: 'CrashLoopBackOff', message });
          this.o.event?.(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${spec.name} in pod ${describePod(pod)}`);
          requeue = Math.min(requeue ?? Infinity, remaining);
          return;
        }
        this.o.backoff.next(key, latest.finishedAt);
      }
      const attempt = latest ? latest.attempt + 1 : 0;
      try {
        const imageRef = await this.images.ensureImageExists(pod, spec, config);
        const envs = await this.o.containerEnv?.(pod, spec, sandbox.ips);
        const mounts = await mountsOf(spec);
        const id = await this.o.runtime.createContainer(
          sandbox.id,
          { name: spec.name, attempt, image: spec.image ?? '', imageRef, command: spec.command, args: spec.args, envs, workingDir: spec.workingDir, mounts, ...(init ? { annotations: { [INIT_CONTAINER_ANNOTATION]: 'true' } } : {}), ...containerSpec(pod, spec, this.o.nodeMemoryBytes ?? 8 * 2 ** 30) },
          config,
        );
        this.o.event?.(pod, 'Normal', 'Created', `Created container: ${spec.name}`);
        await this.o.runtime.startContainer(id);
        this.o.event?.(pod, 'Normal', 'Started', `Started container ${spec.name}`);
        // As upstream's container GC: only the latest and the previous attempt are kept (logs --previous).
        for (const old of observed.containers) if (old.name === spec.name && latest && old.attempt < latest.attempt) await this.o.runtime.removeContainer(old.id);
      } catch (err) {
        if (err instanceof VolumeError) {
          // As upstream's volume manager: the Pod waits in ContainerCreating and says why in a FailedMount event.
          this.o.event?.(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed: ${err.message}`);
          requeue = Math.min(requeue ?? Infinity, this.o.backoff.baseMs);
          return;
        }
        const reason = err instanceof ImagePullError ? err.reason : err instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'CreateContainerError';
        waiting.set(spec.name, { reason, message: err instanceof Error ? err.message : String(err) });
        if (!(err instanceof ImagePullError)) this.o.event?.(pod, 'Warning', 'Failed', err instanceof Error ? err.message : String(err));
        requeue = Math.min(requeue ?? Infinity, this.o.backoff.baseMs);
        return;
      }
      requeue = 0;
    };
    for (const spec of pod.spec?.initContainers ?? []) {
      const state = consider(spec);
      if (state === 'done') continue;
      if (state === 'failed') await start(spec, true);
      return { status, terminal: false, requeueAfterMs: requeue };
    }
    for (const spec of pod.spec?.containers ?? []) await start(spec, false);
    // Projected service account tokens are rewritten before they expire: the Pod is synced again in a while.
    if (this.o.volumes && (await this.o.volumes.refreshTokens(pod).catch(() => true))) requeue = Math.min(requeue ?? Infinity, TOKEN_REFRESH_CHECK_MS);
    if (waiting.size > 0) {
      // Report the waiting reasons decided in this pass at once.
      return { status: this.status(pod, await this.observe(pod, false), previous), terminal: false, requeueAfterMs: requeue };
    }
    return { status, terminal: false, requeueAfterMs: requeue };
  }

  /**
   * Keeps the probes in step with the running containers, and stops those whose liveness or startup probe failed
   * (the restart policy then decides); true when it stopped one.
   */
  private async restartUnhealthy(pod: Pod, observed: ObservedPod): Promise<boolean> {
    const prober = this.o.prober;
    const sandbox = observed.sandbox;
    if (!prober || !sandbox) return false;
    const running = observed.containers.filter((c) => c.state === 'CONTAINER_RUNNING' && c.podSandboxId === sandbox.id);
    prober.update(pod, running, this.o.runtime, sandbox.ips[0] ?? this.o.hostIP);
    let stopped = false;
    for (const c of running) {
      const why = prober.unhealthy(c.id);
      if (!why) continue;
      this.o.event?.(pod, 'Normal', 'Killing', why.message);
      await this.stopContainer(pod, c, why.gracePeriodSeconds);
      stopped = true;
    }
    return stopped;
  }

  /**
   * Stops one container as upstream's killContainer: its preStop hook (exec, httpGet or sleep) first, within the
   * grace period, then SIGTERM with what is left of it (at least 2 s), then SIGKILL.
   */
  private async stopContainer(pod: Pod, c: ContainerStatus, gracePeriodSeconds = pod.spec?.terminationGracePeriodSeconds ?? 30): Promise<void> {
    const spec = pod.spec?.containers?.find((s) => s.name === c.name);
    const hook = spec?.lifecycle?.preStop;
    let remaining = gracePeriodSeconds;
    if (hook && gracePeriodSeconds > 0) {
      const began = this.o.clock.now();
      if (hook.sleep) {
        await sleep(this.o.clock, Math.min(hook.sleep.seconds, gracePeriodSeconds) * 1000, new AbortController().signal);
      } else {
        const outcome = await runProbe({ ...hook, timeoutSeconds: gracePeriodSeconds }, { runtime: this.o.runtime, containerId: c.id, container: spec ?? { name: c.name }, podIP: this.o.hostIP });
        if (!outcome.success) this.o.event?.(pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${outcome.output}`);
      }
      remaining = Math.max(2, gracePeriodSeconds - Math.floor((this.o.clock.now() - began) / 1000));
    }
    await this.o.runtime.stopContainer(c.id, remaining);
  }

  /** Stops every container of the Pod within the grace period, then its sandbox (KillPod). */
  async kill(pod: Pod, gracePeriodSeconds: number): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    this.o.prober?.forget(uid);
    const observed = await this.observe(pod, true);
    const running = observed.containers.filter((c) => c.state !== 'CONTAINER_EXITED');
    if (running.length > 0) this.o.event?.(pod, 'Normal', 'Killing', `Stopping container ${running.map((c) => c.name).join(', ')}`);
    await Promise.all(running.map((c) => this.stopContainer(pod, c, gracePeriodSeconds)));
    for (const s of await this.o.runtime.listPodSandboxes({ podUid: uid })) await this.o.runtime.stopPodSandbox(s.id);
    this.waiting.delete(uid);
  }

  /** Removes the Pod's containers and sandboxes, and forgets its back-off. */
  async remove(uid: string): Promise<void> {
    for (const s of await this.o.runtime.listPodSandboxes({ podUid: uid })) await this.o.runtime.removePodSandbox(s.id);
    this.waiting.delete(uid);
    this.o.backoff.forget(`${uid}/`);
    this.o.volumes?.remove(uid);
    this.images.forget(uid);
  }
}

/** A duration as Go's time.Duration prints it (10s, 1m20s, 5m0s). */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}
