import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { SyntheticImages } from '../image-name.js';
import {
  type ContainerConfig,
  type ContainerEvent,
  type ContainerEventType,
  type ContainerMount,
  type ContainerRuntime,
  type ContainerStatus,
  type ExecResult,
  type ImageInfo,
  NotFoundError,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type RuntimeVersion,
} from '../runtime.js';
import { containerFiles, type ExitRecord, readJsonFile, type StartedRecord, type SupervisorSpec, writeJsonAtomic } from './container-files.js';
import { runExec } from './run-exec.js';
import { compiledFile } from '../../../lib/index.js';

export interface ProcessRuntimeOptions {
  /** The kubelet's data dir: state under `runtime/`, logs under `logs/pods/<ns>_<pod>_<uid>/<container>/<n>.log`. */
  rootDir: string;
  /** The node's IP, which is every Pod's IP. */
  hostIP: string;
  /** The user the runtime runs as (default this process's uid); only root may mount volumes. */
  uid?: number;
  /** How often running containers are checked for an exit their supervisor recorded (default 250 ms). */
  pollIntervalMs?: number;
  log?: (message: string) => void;
}

interface ContainerRecord {
  id: string;
  sandboxId: string;
  podUid: string;
  name: string;
  attempt: number;
  image: string;
  imageRef: string;
  createdAt: number;
  logPath: string;
  spec: SupervisorSpec;
  /** The container runs in a mount namespace of its own (exec enters it). */
  mountNamespace?: boolean;
}

interface Container {
  record: ContainerRecord;
  dir: string;
  started?: StartedRecord;
  exit?: ExitRecord;
}

/** Single-quoted for sh. */
const shq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The command run in a private mount namespace of its own (unshare, no fork: the process keeps its pid) where each
 * volume is bind-mounted at its containerPath (created when missing), read-only ones remounted so; then the
 * container's command is exec'ed. Without mounts, the command itself.
 */
function withMounts(argv: string[], mounts: readonly ContainerMount[], workingDir: string): string[] {
  if (mounts.length === 0) return argv;
  const steps = mounts.map((m) => {
    const target = shq(m.containerPath);
    const make = `if [ -d ${shq(m.hostPath)} ]; then mkdir -p ${target}; else mkdir -p "$(dirname ${target})" && touch ${target}; fi`;
    return `${make} && mount --bind ${shq(m.hostPath)} ${target}${m.readOnly ? ` && mount -o remount,bind,ro ${target}` : ''}`;
  });
  // The working directory may lie in a volume: it is entered once the volumes are mounted.
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', `set -e; ${steps.join('; ')}; cd ${shq(workingDir)}; exec "$@"`, 'sh', ...argv];
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const supervisorPath = compiledFile('kubelet/runtime/process/supervisor.js').pathname;
const newId = () => randomBytes(32).toString('hex');

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Whether `pid` is alive and is the supervisor of the container in `dir` (not a process that reused its pid). */
function supervisorAlive(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dir);
  } catch {
    return false;
  }
}

/**
 * Containers as process groups on this machine, each started and watched by a supervisor process of its own that
 * outlives the kubelet (supervisor.ts). Images are not pulled: a container runs its `command` + `args`. Every
 * sandbox and container is recorded under `<rootDir>/runtime`, so a new runtime on the same directory adopts the
 * running containers (same processes) and learns from the supervisors how the others ended.
 */
export class ProcessRuntime implements ContainerRuntime {
  private readonly sandboxes = new Map<string, PodSandboxStatus>();
  private readonly containers = new Map<string, Container>();
  private readonly images = new SyntheticImages();
  private readonly listeners = new Set<(event: ContainerEvent) => void>();
  private readonly timer: NodeJS.Timeout;
  private readonly stateDir: string;
  private closed = false;
  readonly logRoot: string;

  constructor(private readonly o: ProcessRuntimeOptions) {
    this.stateDir = join(o.rootDir, 'runtime');
    this.logRoot = join(o.rootDir, 'logs', 'pods');
    mkdirSync(join(this.stateDir, 'sandboxes'), { recursive: true });
    mkdirSync(join(this.stateDir, 'containers'), { recursive: true });
    mkdirSync(this.logRoot, { recursive: true });
    this.load();
    this.timer = setInterval(() => this.checkRunning(), o.pollIntervalMs ?? 250);
    this.timer.unref();
  }

  version(): Promise<RuntimeVersion> {
    return Promise.resolve({ runtimeName: 'process', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' });
  }

  /** Stops watching (the containers keep running). */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }

  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    const status: PodSandboxStatus = { id, metadata: { ...config.metadata }, state: 'SANDBOX_READY', createdAt: Date.now(), ips: [this.o.hostIP] };
    mkdirSync(this.podLogDir(status), { recursive: true });
    this.sandboxes.set(id, status);
    this.saveSandbox(status);
    return Promise.resolve(id);
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return;
    await Promise.all(this.containersOf(sandboxId).map((c) => this.stopContainer(c.record.id, 0)));
    sandbox.state = 'SANDBOX_NOTREADY';
    this.saveSandbox(sandbox);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return;
    await this.stopPodSandbox(sandboxId);
    for (const c of this.containersOf(sandboxId)) await this.removeContainer(c.record.id);
    this.sandboxes.delete(sandboxId);
    rmSync(join(this.stateDir, 'sandboxes', `${sandboxId}.json`), { force: true });
    const podUid = sandbox.metadata.uid;
    if (![...this.sandboxes.values()].some((s) => s.metadata.uid === podUid)) rmSync(this.podLogDir(sandbox), { recursive: true, force: true });
  }

  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return Promise.reject(new NotFoundError('pod sandbox', sandboxId));
    return Promise.resolve(structuredClone(sandbox));
  }

  listPodSandboxes(filter: { podUid?: string } = {}): Promise<PodSandboxStatus[]> {
    return Promise.resolve(structuredClone([...this.sandboxes.values()].filter((s) => filter.podUid === undefined || s.metadata.uid === filter.podUid)));
  }

  createContainer(sandboxId: string, config: ContainerConfig, _sandboxConfig: PodSandboxConfig): Promise<string> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return Promise.reject(new NotFoundError('pod sandbox', sandboxId));
    if (sandbox.state !== 'SANDBOX_READY') return Promise.reject(new Error(`pod sandbox ${sandboxId} is not ready`));
    if (!config.command?.length) {
      return Promise.reject(new Error(`container ${config.name} has no command: the process runtime runs no images, so it has no entrypoint to start; set command (and args)`));
    }
    const mounts = config.mounts ?? [];
    const uid = this.o.uid ?? process.getuid?.() ?? 0;
    if (mounts.length > 0 && uid !== 0) {
      return Promise.reject(new Error(`container ${config.name} mounts volumes, which needs a private mount namespace and so a kubelet running as root (it runs as uid ${uid})`));
    }
    const workingDir = config.workingDir || '/';
    const argv = withMounts([...config.command, ...(config.args ?? [])], mounts, workingDir);
    const id = newId();
    const dir = join(this.stateDir, 'containers', id);
    const logPath = join(this.podLogDir(sandbox), config.name, `${config.attempt}.log`);
    const env: Record<string, string> = { PATH: DEFAULT_PATH, HOSTNAME: sandbox.metadata.name, HOME: homedir() };
    for (const e of config.envs ?? []) env[e.key] = e.value;
    const record: ContainerRecord = {
      id,
      sandboxId,
      podUid: sandbox.metadata.uid,
      name: config.name,
      attempt: config.attempt,
      image: config.image,
      imageRef: config.imageRef,
      createdAt: Date.now(),
      logPath,
      spec: { argv, env, cwd: mounts.length > 0 ? '/' : workingDir, logPath },
      mountNamespace: mounts.length > 0,
    };
    mkdirSync(dir, { recursive: true });
    writeJsonAtomic(containerFiles(dir).config, record);
    this.containers.set(id, { record, dir });
    this.emit('CONTAINER_CREATED_EVENT', record);
    return Promise.resolve(id);
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.known(containerId);
    if (c.started || c.exit) throw new Error(`container ${containerId} is not in created state`);
    const files = containerFiles(c.dir);
    mkdirSync(join(c.record.logPath, '..'), { recursive: true });
    writeJsonAtomic(files.spec, c.record.spec);
    const child = spawn(process.execPath, [supervisorPath, c.dir], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    child.once('exit', () => this.check(c));
    const first = await new Promise<string | undefined>((resolve) => {
      const lines = createInterface({ input: child.stdout! });
      const timer = setTimeout(() => resolve(undefined), 10_000);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line);
      });
      lines.once('close', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    child.stdout!.destroy();
    child.unref();
    c.started = readJsonFile<StartedRecord>(files.started);
    if (c.started) this.emit('CONTAINER_STARTED_EVENT', c.record);
    if (!this.check(c) && !c.started) {
      signalGroup(child.pid ?? 0, 'SIGKILL');
      this.markExited(c, { exitCode: 128, finishedAt: Date.now(), reason: 'StartError', message: `the supervisor did not start the process: ${first ?? 'no answer'}` });
    }
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c || c.exit) return;
    if (!c.started) {
      this.markExited(c, { exitCode: 0, finishedAt: Date.now(), reason: 'Completed' });
      return;
    }
    const pid = c.started.pid;
    signalGroup(pid, 'SIGTERM');
    if (!(await this.waitExited(c, Math.max(0, timeoutSeconds) * 1000))) {
      signalGroup(pid, 'SIGKILL');
      if (!(await this.waitExited(c, 10_000))) this.o.log?.(`container ${containerId}: process group ${pid} did not end after SIGKILL`);
    }
    // Whatever the process left behind in its group goes with it.
    signalGroup(pid, 'SIGKILL');
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return;
    await this.stopContainer(containerId, 0);
    this.containers.delete(containerId);
    rmSync(c.dir, { recursive: true, force: true });
    this.removeLog(c.record.logPath);
    this.emit('CONTAINER_DELETED_EVENT', c.record);
  }

  containerStatus(containerId: string): Promise<ContainerStatus> {
    const c = this.containers.get(containerId);
    if (!c) return Promise.reject(new NotFoundError('container', containerId));
    return Promise.resolve(this.statusOf(c));
  }

  listContainers(filter: { podSandboxId?: string } = {}): Promise<ContainerStatus[]> {
    const all = [...this.containers.values()].filter((c) => filter.podSandboxId === undefined || c.record.sandboxId === filter.podSandboxId);
    return Promise.resolve(all.map((c) => this.statusOf(c)));
  }

  /** Nothing to pull: a container runs its command on the node. */
  pullImage(image: string, _sandboxConfig: PodSandboxConfig): Promise<string> {
    return Promise.resolve(this.images.pull(image));
  }

  imageStatus(image: string): Promise<ImageInfo | undefined> {
    return Promise.resolve(this.images.status(image));
  }

  containerLogPath(containerId: string): string {
    return this.known(containerId).record.logPath;
  }

  async execSync(containerId: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecResult> {
    const c = this.known(containerId);
    if (!c.started || c.exit) throw new Error(`container ${containerId} is not running`);
    const inContainer = c.record.mountNamespace ? ['nsenter', `--target=${c.started.pid}`, '--mount', '--', ...cmd] : cmd;
    return runExec(inContainer, c.record.spec.env, c.record.spec.cwd, timeoutSeconds);
  }

  onContainerEvent(listener: (event: ContainerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The process ids of the running containers (tests, clean-up). */
  runningPids(): number[] {
    return [...this.containers.values()].filter((c) => c.started && !c.exit).map((c) => c.started!.pid);
  }

  /** Removes a log file, unless a symlink has moved its directory out of the log root (nothing outside is touched). */
  private removeLog(path: string): void {
    try {
      if (realpathSync(dirname(path)).startsWith(realpathSync(this.logRoot) + sep)) rmSync(path, { force: true });
    } catch {
      // Its directory is gone already.
    }
  }

  private known(containerId: string): Container {
    const c = this.containers.get(containerId);
    if (!c) throw new NotFoundError('container', containerId);
    return c;
  }

  private podLogDir(s: PodSandboxStatus): string {
    return join(this.logRoot, `${s.metadata.namespace}_${s.metadata.name}_${s.metadata.uid}`);
  }

  private containersOf(sandboxId: string): Container[] {
    return [...this.containers.values()].filter((c) => c.record.sandboxId === sandboxId);
  }

  private saveSandbox(s: PodSandboxStatus): void {
    writeJsonAtomic(join(this.stateDir, 'sandboxes', `${s.id}.json`), s);
  }

  private load(): void {
    for (const name of readdirSync(join(this.stateDir, 'sandboxes'))) {
      const s = name.endsWith('.json') ? readJsonFile<PodSandboxStatus>(join(this.stateDir, 'sandboxes', name)) : undefined;
      if (s) this.sandboxes.set(s.id, s);
    }
    for (const id of readdirSync(join(this.stateDir, 'containers'))) {
      const dir = join(this.stateDir, 'containers', id);
      const files = containerFiles(dir);
      const record = readJsonFile<ContainerRecord>(files.config);
      if (!record || !this.sandboxes.has(record.sandboxId)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const c: Container = { record, dir, started: readJsonFile<StartedRecord>(files.started), exit: readJsonFile<ExitRecord>(files.exit) };
      this.containers.set(id, c);
      if (c.started && !c.exit) this.check(c);
    }
  }

  private checkRunning(): void {
    for (const c of this.containers.values()) if (c.started && !c.exit) this.check(c);
  }

  /** Picks up the exit the supervisor recorded, or notices that it is gone without one. True once exited. */
  private check(c: Container): boolean {
    if (c.exit) return true;
    // Removed, or this runtime was closed (a new one may own the records now).
    if (this.closed || this.containers.get(c.record.id) !== c) return false;
    const files = containerFiles(c.dir);
    let exit = existsSync(files.exit) ? readJsonFile<ExitRecord>(files.exit) : undefined;
    if (!exit && c.started && !supervisorAlive(c.started.supervisorPid, c.dir)) {
      exit = readJsonFile<ExitRecord>(files.exit) ?? { exitCode: 255, finishedAt: Date.now(), reason: 'Unknown', message: 'the container’s supervisor ended without recording its exit' };
    }
    if (!exit) return false;
    this.markExited(c, exit);
    return true;
  }

  private markExited(c: Container, exit: ExitRecord): void {
    if (c.exit) return;
    c.exit = exit;
    try {
      writeJsonAtomic(containerFiles(c.dir).exit, exit);
    } catch (err) {
      this.o.log?.(`container ${c.record.id}: recording its exit: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.emit('CONTAINER_STOPPED_EVENT', c.record);
  }

  private async waitExited(c: Container, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (this.check(c)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
    }
  }

  private statusOf(c: Container): ContainerStatus {
    const r = c.record;
    const state = c.exit ? 'CONTAINER_EXITED' : c.started ? 'CONTAINER_RUNNING' : 'CONTAINER_CREATED';
    return {
      id: r.id,
      podSandboxId: r.sandboxId,
      name: r.name,
      attempt: r.attempt,
      state,
      createdAt: r.createdAt,
      startedAt: c.started?.startedAt ?? 0,
      finishedAt: c.exit?.finishedAt ?? 0,
      exitCode: c.exit?.exitCode ?? 0,
      reason: c.exit?.reason ?? '',
      message: c.exit?.message ?? '',
      image: r.image,
      imageRef: r.imageRef,
      logPath: r.logPath,
    };
  }

  private emit(type: ContainerEventType, r: ContainerRecord): void {
    const event: ContainerEvent = { type, containerId: r.id, podSandboxId: r.sandboxId, podUid: r.podUid, at: Date.now() };
    for (const l of this.listeners) l(event);
  }
}
