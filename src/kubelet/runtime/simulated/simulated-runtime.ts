import { createHash } from 'node:crypto';
import { appendFile, appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { criLogLine } from '../cri-log.js';
import { type Clock, copyJson, sleep } from '../../../lib/index.js';
import { normalizeImage, SyntheticImages } from '../image-name.js';
import {
  type ContainerConfig,
  type ContainerEvent,
  type ContainerEventType,
  type ContainerRuntime,
  type ContainerStatus,
  type ExecResult,
  type ImageInfo,
  ImagePullError,
  INIT_CONTAINER_ANNOTATION,
  NotFoundError,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type RuntimeVersion,
} from '../runtime.js';
import { parseSimulatedDuration } from './simulated-duration.js';

/**
 * Pod annotations that script a simulated container (`<c>` is the container's name):
 * - `sim.skiff.dev/exit-after.<c>`: the container exits this long after it started (`500ms`, `2s`, `1m`);
 * - `sim.skiff.dev/exit-code.<c>`: with that exit code (default 0);
 * - `sim.skiff.dev/pull-error`: pulling this image (as the Pod spec names it) fails.
 * Without exit-after, a container runs until stopped, and an init container completes (exit 0) as soon as it starts.
 */
export const SIMULATION_ANNOTATIONS = {
  exitAfter: 'sim.skiff.dev/exit-after.',
  exitCode: 'sim.skiff.dev/exit-code.',
  pullError: 'sim.skiff.dev/pull-error',
} as const;

export interface SimulatedRuntimeOptions {
  clock: Clock;
  /** How long pulling an image not yet present takes (default 0). */
  pullDelayMs?: number;
  /** How long creating a container takes (default 0). */
  createDelayMs?: number;
  /** How long starting a container takes (default 0). */
  startDelayMs?: number;
  /** Where container logs are written (a line per start and per exit); without it nothing is written. */
  logDir?: string;
  /** The first two octets of Pod IPs, e.g. `10.244`; the third comes from `subnet`. */
  podNetwork?: string;
  /** The node's /24 within podNetwork (0–255). */
  subnet?: number;
}

interface Sandbox {
  status: PodSandboxStatus;
  config: PodSandboxConfig;
}

interface Container {
  status: ContainerStatus;
  sandboxId: string;
  podUid: string;
  exitAfterMs: number | undefined;
  exitCode: number;
  cancelExit?: () => void;
  /**
   * Log lines not yet on disk. A simulated container's log (a line or two) is kept here until something asks for
   * its path (`kubectl logs`), and written then; later lines are appended as they come (`logWrites`, in order).
   */
  unwrittenLog?: string;
  /** The log file exists (its path was asked for). */
  logOnDisk?: boolean;
  logWrites?: Promise<void>;
}

let idCounter = 0;
function newId(): string {
  idCounter += 1;
  return createHash('sha256').update(`${process.pid}/${Date.now()}/${idCounter}/${Math.random()}`).digest('hex');
}

/**
 * A runtime without processes: containers go through pull → create → running with configurable delays and, when the
 * Pod's annotations say so, exit with a code after a while. State lives in memory; timers run on the injected clock.
 */
export class SimulatedRuntime implements ContainerRuntime {
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, Container>();
  private readonly images = new SyntheticImages();
  private readonly listeners = new Set<(event: ContainerEvent) => void>();
  private readonly idle = new AbortController().signal;
  private nextHost = 2;

  constructor(private readonly opts: SimulatedRuntimeOptions) {}

  get logRoot(): string {
    return this.opts.logDir ?? '/var/log/pods';
  }

  version(): Promise<RuntimeVersion> {
    return Promise.resolve({ runtimeName: 'simulated', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' });
  }

  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    const host = this.nextHost;
    this.nextHost = this.nextHost >= 254 ? 2 : this.nextHost + 1;
    const ip = `${this.opts.podNetwork ?? '10.244'}.${this.opts.subnet ?? 0}.${host}`;
    this.sandboxes.set(id, { config, status: { id, metadata: { ...config.metadata }, state: 'SANDBOX_READY', createdAt: this.opts.clock.now(), ips: [ip] } });
    return Promise.resolve(id);
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return;
    for (const c of this.containers.values()) if (c.sandboxId === sandboxId) this.exit(c, 137, 'Error', 0);
    sandbox.status.state = 'SANDBOX_NOTREADY';
    await Promise.resolve();
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    await this.stopPodSandbox(sandboxId);
    for (const c of [...this.containers.values()]) if (c.sandboxId === sandboxId) await this.removeContainer(c.status.id);
    this.sandboxes.delete(sandboxId);
  }

  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return Promise.reject(new NotFoundError('pod sandbox', sandboxId));
    return Promise.resolve(copyJson(sandbox.status));
  }

  listPodSandboxes(filter: { podUid?: string } = {}): Promise<PodSandboxStatus[]> {
    const all = [...this.sandboxes.values()].map((s) => s.status).filter((s) => filter.podUid === undefined || s.metadata.uid === filter.podUid);
    return Promise.resolve(copyJson(all));
  }

  async createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) throw new NotFoundError('pod sandbox', sandboxId);
    if (sandbox.status.state !== 'SANDBOX_READY') throw new Error(`pod sandbox ${sandboxId} is not ready`);
    await this.delay(this.opts.createDelayMs);
    const id = newId();
    const annotations = sandboxConfig.annotations ?? {};
    const exitAfter = annotations[SIMULATION_ANNOTATIONS.exitAfter + config.name] ?? (config.annotations?.[INIT_CONTAINER_ANNOTATION] === 'true' ? '0ms' : undefined);
    const exitCode = Number(annotations[SIMULATION_ANNOTATIONS.exitCode + config.name] ?? '0');
    const logDir = this.logRoot;
    const meta = sandbox.status.metadata;
    this.containers.set(id, {
      sandboxId,
      podUid: meta.uid,
      exitAfterMs: exitAfter === undefined ? undefined : parseSimulatedDuration(exitAfter),
      exitCode: Number.isInteger(exitCode) ? exitCode : 1,
      status: {
        id,
        podSandboxId: sandboxId,
        name: config.name,
        attempt: config.attempt,
        state: 'CONTAINER_CREATED',
        createdAt: this.opts.clock.now(),
        startedAt: 0,
        finishedAt: 0,
        exitCode: 0,
        reason: '',
        message: '',
        image: config.image,
        imageRef: config.imageRef,
        logPath: `${logDir}/${meta.namespace}_${meta.name}_${meta.uid}/${config.name}/${config.attempt}.log`,
      },
    });
    this.emit('CONTAINER_CREATED_EVENT', this.containers.get(id)!);
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) throw new NotFoundError('container', containerId);
    if (c.status.state !== 'CONTAINER_CREATED') throw new Error(`container ${containerId} is not in created state`);
    await this.delay(this.opts.startDelayMs);
    c.status.state = 'CONTAINER_RUNNING';
    c.status.startedAt = this.opts.clock.now();
    this.writeLog(c, `simulated container ${c.status.name} started (attempt ${c.status.attempt})`);
    this.emit('CONTAINER_STARTED_EVENT', c);
    if (c.exitAfterMs !== undefined) {
      c.cancelExit = this.opts.clock.setTimer(() => this.exit(c, c.exitCode, c.exitCode === 0 ? 'Completed' : 'Error'), c.exitAfterMs);
    }
  }

  async stopContainer(containerId: string, _timeoutSeconds: number): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return;
    // A simulated process honours SIGTERM at once and exits 0.
    this.exit(c, 0, 'Completed');
    await Promise.resolve();
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return;
    c.cancelExit?.();
    this.containers.delete(containerId);
    if (c.logOnDisk) rmSync(c.status.logPath, { force: true });
    this.emit('CONTAINER_DELETED_EVENT', c);
    await Promise.resolve();
  }

  containerStatus(containerId: string): Promise<ContainerStatus> {
    const c = this.containers.get(containerId);
    if (!c) return Promise.reject(new NotFoundError('container', containerId));
    return Promise.resolve({ ...c.status });
  }

  listContainers(filter: { podSandboxId?: string } = {}): Promise<ContainerStatus[]> {
    const all = [...this.containers.values()].filter((c) => filter.podSandboxId === undefined || c.sandboxId === filter.podSandboxId);
    return Promise.resolve(all.map((c) => ({ ...c.status })));
  }

  async pullImage(image: string, sandboxConfig: PodSandboxConfig): Promise<string> {
    if (sandboxConfig.annotations?.[SIMULATION_ANNOTATIONS.pullError] === image) {
      throw new ImagePullError(`failed to pull and unpack image "${normalizeImage(image)}": simulated pull failure`);
    }
    if (!this.images.has(image)) await this.delay(this.opts.pullDelayMs);
    return this.images.pull(image);
  }

  imageStatus(image: string): Promise<ImageInfo | undefined> {
    return Promise.resolve(this.images.status(image));
  }

  /** The container's log file, written now with what the container logged so far if it was not yet. */
  containerLogPath(containerId: string): string {
    const c = this.containers.get(containerId);
    if (!c) throw new NotFoundError('container', containerId);
    if (this.opts.logDir !== undefined && !c.logOnDisk) {
      c.logOnDisk = true;
      try {
        mkdirSync(dirname(c.status.logPath), { recursive: true });
        appendFileSync(c.status.logPath, c.unwrittenLog ?? '');
      } catch {
        // A log that cannot be written does not stop the simulation; the reader finds no file.
      }
      c.unwrittenLog = undefined;
    }
    return c.status.logPath;
  }

  /** A simulated command succeeds at once (exec probes pass). */
  async execSync(containerId: string, _cmd: readonly string[], _timeoutSeconds: number): Promise<ExecResult> {
    const c = this.containers.get(containerId);
    if (!c) throw new NotFoundError('container', containerId);
    if (c.status.state !== 'CONTAINER_RUNNING') throw new Error(`container ${containerId} is not running`);
    await Promise.resolve();
    return { exitCode: 0, stdout: '', stderr: '' };
  }

  onContainerEvent(listener: (event: ContainerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private exit(c: Container, exitCode: number, reason: string, _grace = 0): void {
    if (c.status.state === 'CONTAINER_EXITED') return;
    c.cancelExit?.();
    const now = this.opts.clock.now();
    if (c.status.state === 'CONTAINER_CREATED') c.status.startedAt = 0;
    c.status.state = 'CONTAINER_EXITED';
    c.status.finishedAt = now;
    c.status.exitCode = exitCode;
    c.status.reason = reason;
    this.writeLog(c, `simulated container ${c.status.name} exited with code ${exitCode}`);
    this.emit('CONTAINER_STOPPED_EVENT', c);
  }

  private writeLog(c: Container, line: string): void {
    if (this.opts.logDir === undefined) return;
    // Stamped now. Thousands of simulated containers start at once and few logs are ever read: until a log is
    // asked for, its lines stay in memory (a file costs three system calls on the event loop).
    const text = criLogLine('stdout', line);
    if (!c.logOnDisk) {
      c.unwrittenLog = (c.unwrittenLog ?? '') + text;
      return;
    }
    const path = c.status.logPath;
    // Node's callback API: fs/promises' file handles cost twice the CPU on the event loop per write.
    c.logWrites = (c.logWrites ?? Promise.resolve()).then(() => new Promise<void>((resolve) => appendFile(path, text, () => resolve())));
  }

  private emit(type: ContainerEventType, c: Container): void {
    const event: ContainerEvent = { type, containerId: c.status.id, podSandboxId: c.sandboxId, podUid: c.podUid, at: this.opts.clock.now() };
    for (const l of this.listeners) l(event);
  }

  private async delay(ms: number | undefined): Promise<void> {
    if (ms && ms > 0) await sleep(this.opts.clock, ms, this.idle);
  }
}
