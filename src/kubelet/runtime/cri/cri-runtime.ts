import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ContainerConfig,
  type ContainerEvent,
  type ContainerRuntime,
  type ContainerStatus,
  type ExecResult,
  type ImageInfo,
  ImagePullError,
  NotFoundError,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type RuntimeVersion,
} from '../runtime.js';
import { CriCallError, CriClient } from './cri-client.js';
import type { CriMethod } from './cri-proto.js';
import { ContainerEventTracker } from './container-event-tracker.js';
import { containerConfigMessage, NODE_LABEL, nsToMs, podLogDirectory, podSandboxConfigMessage, POD_UID_LABEL, type WireContainerStatus, type WireImage, type WireSandbox } from './cri-wire.js';

export interface CriRuntimeOptions {
  /** The CRI socket, `unix:///run/containerd/containerd.sock`. */
  endpoint: string;
  /** This node: everything the runtime creates carries it, and it lists only what does. */
  nodeName: string;
  /** The kubelet's data dir: container logs under `logs/pods/<ns>_<pod>_<uid>/<container>/<n>.log`. */
  rootDir: string;
  /** The node's IP: the IP of Pods in the node's network namespace. */
  hostIP: string;
  /** How often the relist (upstream's PLEG) looks for containers that changed state; default 1 s. */
  relistIntervalMs?: number;
  log?: (message: string) => void;
}

const FINAL_AFTER_MS = 5000;

/** A runtime.v1 RuntimeCondition. */
export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

/**
 * The kubelet's side of the Container Runtime Interface: sandboxes, containers and images live in a CRI runtime
 * (containerd) reached over gRPC. Sandboxes and containers are labelled with the Pod's name, namespace and uid as
 * upstream does, and with this node's name, which every list filters on: a kubelet sees and touches only its own.
 * Container events come from the calls themselves and from a relist of the node's containers (upstream's PLEG).
 */
export class CriRuntime implements ContainerRuntime {
  readonly client: CriClient;
  readonly logRoot: string;
  private readonly events = new ContainerEventTracker();
  private readonly logPaths = new Map<string, string>();
  /** Statuses of containers exited a while ago: they no longer change. */
  private readonly exited = new Map<string, ContainerStatus>();
  private readonly ips = new Map<string, string[]>();
  private readonly timer: NodeJS.Timeout;
  private relisting = false;

  constructor(private readonly o: CriRuntimeOptions) {
    this.client = new CriClient(o.endpoint);
    this.logRoot = join(o.rootDir, 'logs', 'pods');
    mkdirSync(this.logRoot, { recursive: true });
    this.timer = setInterval(() => void this.relist(), o.relistIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Stops the relist and closes the connection (containers keep running). */
  close(): void {
    clearInterval(this.timer);
    this.client.close();
  }

  async version(): Promise<RuntimeVersion> {
    const v = await this.client.call<RuntimeVersion>('Version', { version: 'v1' });
    return { runtimeName: v.runtimeName, runtimeVersion: v.runtimeVersion, runtimeApiVersion: v.runtimeApiVersion };
  }

  /** The runtime's conditions (RuntimeReady, NetworkReady). */
  async status(): Promise<RuntimeCondition[]> {
    const res = await this.client.call<{ status: { conditions: RuntimeCondition[] } | null }>('Status', {});
    return res.status?.conditions ?? [];
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    mkdirSync(config.logDirectory ?? podLogDirectory(this.logRoot, config.metadata), { recursive: true });
    const res = await this.client.call<{ podSandboxId: string }>('RunPodSandbox', { config: this.sandboxMessage(config) });
    return res.podSandboxId;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    if (!(await this.ownSandbox(sandboxId))) return;
    await this.client.call('StopPodSandbox', { podSandboxId: sandboxId });
    await this.listContainers({ podSandboxId: sandboxId });
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const sandbox = await this.ownSandbox(sandboxId);
    if (!sandbox) return;
    await this.client.call('RemovePodSandbox', { podSandboxId: sandboxId });
    this.ips.delete(sandboxId);
    for (const id of this.events.containersOf(sandboxId)) this.forget(id);
    const m = sandbox.metadata;
    if ((await this.listPodSandboxes({ podUid: m.uid })).length === 0) rmSync(podLogDirectory(this.logRoot, m), { recursive: true, force: true });
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    const sandbox = await this.ownSandbox(sandboxId);
    if (!sandbox) throw new NotFoundError('pod sandbox', sandboxId);
    return this.sandboxStatus(sandbox);
  }

  async listPodSandboxes(filter: { podUid?: string } = {}): Promise<PodSandboxStatus[]> {
    const labelSelector = { [NODE_LABEL]: this.o.nodeName, ...(filter.podUid !== undefined ? { [POD_UID_LABEL]: filter.podUid } : {}) };
    const res = await this.client.call<{ items: WireSandbox[] }>('ListPodSandbox', { filter: { labelSelector } });
    // A list item has no network status: the first time a sandbox is seen its status is read for its IPs.
    const full = await Promise.all(res.items.map(async (s) => (this.ips.has(s.id) ? s : await this.ownSandbox(s.id))));
    return full.filter((s): s is WireSandbox => s !== undefined).map((s) => this.sandboxStatus(s));
  }

  async createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const sandbox = await this.ownSandbox(sandboxId);
    if (!sandbox) throw new NotFoundError('pod sandbox', sandboxId);
    const request = { podSandboxId: sandboxId, config: containerConfigMessage(config, sandboxConfig, this.o.nodeName), sandboxConfig: this.sandboxMessage(sandboxConfig) };
    const { containerId } = await this.client.call<{ containerId: string }>('CreateContainer', request);
    this.logPaths.set(containerId, join(sandboxConfig.logDirectory ?? podLogDirectory(this.logRoot, sandboxConfig.metadata), config.name, `${config.attempt}.log`));
    this.events.observe(containerId, 'CONTAINER_CREATED', sandboxConfig.metadata.uid, sandboxId);
    return containerId;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.containerStatus(containerId);
    await this.rpc('StartContainer', { containerId }, 'container', containerId);
    await this.containerStatus(containerId);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    if (!(await this.ownContainer(containerId))) return;
    await this.ignoreNotFound(this.client.call('StopContainer', { containerId, timeout: timeoutSeconds }, (timeoutSeconds + 60) * 1000));
    await this.ownContainer(containerId);
  }

  async removeContainer(containerId: string): Promise<void> {
    if (!(await this.ownContainer(containerId))) return;
    await this.ignoreNotFound(this.client.call('RemoveContainer', { containerId }));
    this.forget(containerId);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const status = await this.ownContainer(containerId);
    if (!status) throw new NotFoundError('container', containerId);
    return status;
  }

  async listContainers(filter: { podSandboxId?: string } = {}): Promise<ContainerStatus[]> {
    const res = await this.client.call<{ containers: { id: string }[] }>('ListContainers', { filter: { podSandboxId: filter.podSandboxId ?? '', labelSelector: { [NODE_LABEL]: this.o.nodeName } } });
    const statuses = await Promise.all(res.containers.map((c) => this.ownContainer(c.id)));
    return statuses.filter((s): s is ContainerStatus => s !== undefined);
  }

  async pullImage(image: string, sandboxConfig: PodSandboxConfig): Promise<string> {
    try {
      await this.client.call('PullImage', { image: { image }, sandboxConfig: this.sandboxMessage(sandboxConfig) });
    } catch (err) {
      throw new ImagePullError(`Failed to pull image "${image}": ${err instanceof CriCallError ? err.details : String(err)}`);
    }
    const info = await this.imageStatus(image);
    if (!info) throw new ImagePullError(`Failed to pull image "${image}": not present after the pull`);
    return info.repoDigests[0] ?? info.id;
  }

  async imageStatus(image: string): Promise<ImageInfo | undefined> {
    const res = await this.client.call<{ image: WireImage | null }>('ImageStatus', { image: { image } });
    if (!res.image?.id) return undefined;
    return { id: res.image.id, repoTags: res.image.repoTags, repoDigests: res.image.repoDigests, size: res.image.size };
  }

  async listImages(): Promise<ImageInfo[]> {
    const res = await this.client.call<{ images: WireImage[] }>('ListImages', {});
    return res.images.map((i) => ({ id: i.id, repoTags: i.repoTags, repoDigests: i.repoDigests, size: i.size }));
  }

  /** CPU (cumulative core-nanoseconds) and memory (working set bytes) of a container. */
  async containerStats(containerId: string): Promise<{ cpuCoreNanoSeconds: number; memoryWorkingSetBytes: number }> {
    if (!(await this.ownContainer(containerId))) throw new NotFoundError('container', containerId);
    type Stats = { stats: { cpu: { usageCoreNanoSeconds: { value: number } | null } | null; memory: { workingSetBytes: { value: number } | null } | null } | null };
    const res = await this.rpc<Stats>('ContainerStats', { containerId }, 'container', containerId);
    return { cpuCoreNanoSeconds: res.stats?.cpu?.usageCoreNanoSeconds?.value ?? 0, memoryWorkingSetBytes: res.stats?.memory?.workingSetBytes?.value ?? 0 };
  }

  containerLogPath(containerId: string): string {
    const path = this.logPaths.get(containerId);
    if (path === undefined) throw new NotFoundError('container', containerId);
    return path;
  }

  async execSync(containerId: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecResult> {
    await this.containerStatus(containerId);
    try {
      const res = await this.client.call<{ stdout: Uint8Array; stderr: Uint8Array; exitCode: number }>('ExecSync', { containerId, cmd, timeout: timeoutSeconds }, (timeoutSeconds + 10) * 1000);
      return { exitCode: res.exitCode, stdout: Buffer.from(res.stdout).toString(), stderr: Buffer.from(res.stderr).toString() };
    } catch (err) {
      if (err instanceof CriCallError && (err.code === 4 || /timeout/i.test(err.details))) return { exitCode: -1, stdout: '', stderr: err.details, timedOut: true };
      throw err;
    }
  }

  onContainerEvent(listener: (event: ContainerEvent) => void): () => void {
    return this.events.onContainerEvent(listener);
  }

  /** One relist: every container of this node, with events for what changed since the last one. */
  async relist(): Promise<void> {
    if (this.relisting) return;
    this.relisting = true;
    const started = Date.now();
    try {
      const seen = new Set((await this.listContainers()).map((c) => c.id));
      for (const id of this.events.missingFrom(seen, started)) this.forget(id);
    } catch (err) {
      this.o.log?.(`cri relist: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.relisting = false;
    }
  }

  private sandboxMessage(config: PodSandboxConfig): object {
    return podSandboxConfigMessage(config, this.o.nodeName, this.logRoot);
  }

  /** The sandbox when it exists and is this node's. */
  private async ownSandbox(sandboxId: string): Promise<WireSandbox | undefined> {
    const res = await this.ignoreNotFound(this.client.call<{ status: WireSandbox | null }>('PodSandboxStatus', { podSandboxId: sandboxId }));
    const s = res?.status;
    return s && s.labels[NODE_LABEL] === this.o.nodeName ? s : undefined;
  }

  private sandboxStatus(s: WireSandbox): PodSandboxStatus {
    let ips = this.ips.get(s.id);
    if (!ips) {
      ips = s.network ? [s.network.ip, ...s.network.additionalIps.map((p) => p.ip)].filter((ip) => ip !== '') : [];
      // In the node's network namespace the sandbox has the node's address.
      if (ips.length === 0) ips = [this.o.hostIP];
      if (s.network) this.ips.set(s.id, ips);
    }
    return { id: s.id, metadata: { ...s.metadata }, state: s.state, createdAt: nsToMs(s.createdAt), ips: [...ips] };
  }

  /** The container's status when it exists and is this node's. */
  private async ownContainer(containerId: string): Promise<ContainerStatus | undefined> {
    const done = this.exited.get(containerId);
    if (done) return structuredClone(done);
    const res = await this.ignoreNotFound(this.client.call<{ status: WireContainerStatus | null }>('ContainerStatus', { containerId }));
    const s = res?.status;
    if (!s || s.labels[NODE_LABEL] !== this.o.nodeName) {
      this.forget(containerId);
      return undefined;
    }
    const sandboxId = this.events.sandboxOf(containerId) ?? (await this.sandboxOf(containerId));
    const status: ContainerStatus = {
      id: s.id,
      podSandboxId: sandboxId,
      name: s.metadata.name,
      attempt: s.metadata.attempt,
      state: s.state,
      createdAt: nsToMs(s.createdAt),
      startedAt: nsToMs(s.startedAt),
      finishedAt: nsToMs(s.finishedAt),
      exitCode: s.exitCode,
      reason: s.reason,
      message: s.message,
      image: s.image?.image ?? '',
      imageRef: s.imageRef,
      logPath: s.logPath,
    };
    this.logPaths.set(s.id, s.logPath);
    this.events.observe(s.id, s.state, s.labels[POD_UID_LABEL] ?? '', sandboxId);
    // containerd may learn of an OOM kill just after the exit: a status is final only a little after the exit.
    if (s.state === 'CONTAINER_EXITED' && Date.now() - status.finishedAt > FINAL_AFTER_MS) this.exited.set(s.id, structuredClone(status));
    return status;
  }

  private async sandboxOf(containerId: string): Promise<string> {
    const res = await this.client.call<{ containers: { podSandboxId: string }[] }>('ListContainers', { filter: { id: containerId } });
    return res.containers[0]?.podSandboxId ?? '';
  }

  /** Drops what is cached about a container that is gone, and reports its deletion. */
  private forget(id: string): void {
    this.exited.delete(id);
    this.logPaths.delete(id);
    this.events.deleted(id);
  }

  private async rpc<T>(method: CriMethod, request: object, what: string, id: string): Promise<T> {
    try {
      return await this.client.call<T>(method, request);
    } catch (err) {
      if (err instanceof CriCallError && err.notFound) throw new NotFoundError(what, id);
      throw err;
    }
  }

  private async ignoreNotFound<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (err) {
      if (err instanceof CriCallError && err.notFound) return undefined;
      throw err;
    }
  }
}
