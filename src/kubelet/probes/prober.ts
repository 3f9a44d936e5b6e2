import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../lib/index.js';
import type { ContainerRuntime, ContainerStatus } from '../runtime/index.js';
import { runProbe } from './run-probe.js';

export type ProbeType = 'startup' | 'liveness' | 'readiness';

/** What the probes say of a running container. */
export interface ContainerHealth {
  /** The startup probe succeeded (true without one). */
  started: boolean;
  /** Started, and the readiness probe succeeded (true without one). */
  ready: boolean;
}

export interface ProberOptions {
  readonly clock: Clock;
  /** A result changed: sync the Pod (its status, or a restart after a failed liveness or startup probe). */
  readonly wake: (podUid: string) => void;
  readonly event?: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void;
}

interface Worker {
  type: ProbeType;
  probe: Probe;
  pod: Pod;
  container: Container;
  containerId: string;
  podUid: string;
  /** undefined: no verdict yet (startup), else the current result. */
  result: boolean | undefined;
  successes: number;
  failures: number;
  /** Why the last failing run failed. */
  output: string;
  cancel?: () => void;
  busy: boolean;
  stopped: boolean;
}

const LABEL: Record<ProbeType, string> = { startup: 'Startup', liveness: 'Liveness', readiness: 'Readiness' };

/**
 * The probes of the running containers (kubelet's prober manager): one worker per container and probe type, on the
 * probe's period from initialDelaySeconds after the container started. Readiness starts failed, liveness
 * successful, startup undecided; a result changes after successThreshold successes or failureThreshold failures in a
 * row. Liveness and readiness wait for the startup probe. A change wakes the Pod's worker, which reads `health` for
 * the status and `unhealthy` to restart a container whose liveness or startup probe failed.
 */
export class Prober {
  private readonly workers = new Map<string, Worker>();

  constructor(private readonly o: ProberOptions) {}

  /** Starts workers for the running containers of `pod` that have probes and stops those of the others. */
  update(pod: Pod, running: readonly ContainerStatus[], runtime: ContainerRuntime, podIP: string): void {
    const uid = pod.metadata?.uid ?? '';
    const live = new Set<string>();
    for (const c of running) {
      const container = pod.spec?.containers?.find((s) => s.name === c.name);
      if (!container) continue;
      for (const type of ['startup', 'liveness', 'readiness'] as const) {
        const probe = container[`${type}Probe`];
        if (!probe) continue;
        const key = `${c.id}/${type}`;
        live.add(key);
        if (this.workers.has(key)) continue;
        const w: Worker = { type, probe, pod, container, containerId: c.id, podUid: uid, result: type === 'readiness' ? false : type === 'liveness' ? true : undefined, successes: 0, failures: 0, output: '', busy: false, stopped: false };
        this.workers.set(key, w);
        const firstAt = c.startedAt + (probe.initialDelaySeconds ?? 0) * 1000;
        this.schedule(w, runtime, podIP, Math.max(0, firstAt - this.o.clock.now()));
      }
    }
    for (const [key, w] of this.workers) if (w.podUid === uid && !live.has(key)) this.stop(key, w);
  }

  health(containerId: string): ContainerHealth | undefined {
    const startup = this.workers.get(`${containerId}/startup`);
    const readiness = this.workers.get(`${containerId}/readiness`);
    if (!startup && !readiness) return undefined;
    const started = !startup || startup.result === true;
    return { started, ready: started && (!readiness || readiness.result === true) };
  }

  /**
   * Why the container must be restarted (its liveness or startup probe failed) and the probe's own
   * terminationGracePeriodSeconds, or undefined.
   */
  unhealthy(containerId: string): { message: string; gracePeriodSeconds?: number } | undefined {
    for (const type of ['startup', 'liveness'] as const) {
      const w = this.workers.get(`${containerId}/${type}`);
      if (w?.result === false) return { message: `Container ${w.container.name} failed ${type} probe, will be restarted`, gracePeriodSeconds: w.probe.terminationGracePeriodSeconds };
    }
    return undefined;
  }

  /** Stops every worker of the Pod. */
  forget(podUid: string): void {
    for (const [key, w] of this.workers) if (w.podUid === podUid) this.stop(key, w);
  }

  private stop(key: string, w: Worker): void {
    w.stopped = true;
    w.cancel?.();
    this.workers.delete(key);
  }

  private schedule(w: Worker, runtime: ContainerRuntime, podIP: string, delayMs: number): void {
    w.cancel = this.o.clock.setTimer(() => void this.run(w, runtime, podIP), delayMs);
  }

  private async run(w: Worker, runtime: ContainerRuntime, podIP: string): Promise<void> {
    if (w.stopped || w.busy) return;
    const periodMs = (w.probe.periodSeconds ?? 10) * 1000;
    const startup = this.workers.get(`${w.containerId}/startup`);
    const waiting = w.type !== 'startup' && startup !== undefined && startup.result !== true;
    // A startup probe that succeeded, or a liveness or startup probe that failed, is done with this container.
    const done = (w.type === 'startup' && w.result === true) || (w.type !== 'readiness' && w.result === false);
    if (!waiting && !done) {
      w.busy = true;
      const outcome = await runProbe(w.probe, { runtime, containerId: w.containerId, container: w.container, podIP });
      w.busy = false;
      if (w.stopped) return;
      this.record(w, outcome.success, outcome.output);
    }
    if (!w.stopped) this.schedule(w, runtime, podIP, periodMs);
  }

  private record(w: Worker, success: boolean, output: string): void {
    const before = w.result;
    if (success) {
      w.failures = 0;
      w.successes++;
      if (w.successes >= (w.type === 'readiness' ? (w.probe.successThreshold ?? 1) : 1)) w.result = true;
    } else {
      w.successes = 0;
      w.failures++;
      w.output = output;
      this.o.event?.(w.pod, 'Warning', 'Unhealthy', `${LABEL[w.type]} probe failed: ${output}`);
      if (w.failures >= (w.probe.failureThreshold ?? 3)) w.result = false;
    }
    if (w.result !== before) this.o.wake(w.podUid);
  }
}
