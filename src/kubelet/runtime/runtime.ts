/**
 * The container runtime as the kubelet sees it, shaped like the CRI (RuntimeService + ImageService): pod sandboxes,
 * containers, images and where a container's log lives. Every runtime passes the contract suite in
 * test/support/runtime-contract.ts.
 *
 * Contract:
 * - Calls may run concurrently for different sandboxes and containers; the kubelet serialises the calls for one Pod.
 * - `run…`/`create…` return a new id every time (never reused). Stop and remove are idempotent: stopping a stopped
 *   container or removing an unknown id succeeds. Status of an unknown id rejects with `NotFoundError`.
 * - A container starts in CREATED, goes to RUNNING on `startContainer`, and to EXITED when its process ends or it
 *   is stopped; it never leaves EXITED. `stopContainer(id, timeoutSeconds)` ends it within the timeout.
 * - Removing a sandbox removes its containers; stopping it stops them.
 * - Every change of a container's state is reported to the `onContainerEvent` listeners, after it is visible to
 *   `containerStatus` (CRI's GetContainerEvents).
 */
export interface ContainerRuntime {
  version(): Promise<RuntimeVersion>;

  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(sandboxId: string): Promise<void>;
  removePodSandbox(sandboxId: string): Promise<void>;
  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus>;
  listPodSandboxes(filter?: { podUid?: string }): Promise<PodSandboxStatus[]>;

  createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  listContainers(filter?: { podSandboxId?: string }): Promise<ContainerStatus[]>;

  /** Pulls (or finds) the image; resolves with its image ref (`repo@sha256:…`). Rejects with `ImagePullError`. */
  pullImage(image: string, sandboxConfig: PodSandboxConfig): Promise<string>;
  imageStatus(image: string): Promise<ImageInfo | undefined>;

  /** The directory every container log lies under (the log server serves nothing outside it). */
  readonly logRoot: string;

  /** Where the container's log is (or would be) written; a runtime that keeps logs in memory writes it out when asked. */
  containerLogPath(containerId: string): string;

  /**
   * Runs `cmd` in a running container and waits for it (CRI's ExecSync), for exec probes and hooks; a command that
   * runs longer than `timeoutSeconds` is killed and reported with exit code -1 and `timedOut`.
   */
  execSync(containerId: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecResult>;

  /** Registers a listener for container state changes; returns its removal. */
  onContainerEvent(listener: (event: ContainerEvent) => void): () => void;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}

export interface RuntimeVersion {
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface PodSandboxMetadata {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  labels?: Record<string, string>;
  /** The Pod's annotations (runtimes may read behaviour from them, as the simulated one does). */
  annotations?: Record<string, string>;
  /** What runtimes that isolate Pods use (cri): see sandbox-spec.ts. */
  dnsConfig?: DnsConfig;
  portMappings?: PortMapping[];
  linux?: LinuxSandboxConfig;
}

export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

/** CRI's NamespaceMode: POD shared by the Pod's containers, CONTAINER its own, NODE the host's. */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE';

export interface NamespaceOptions {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
}

export interface LinuxSandboxConfig {
  namespaceOptions?: NamespaceOptions;
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups?: number[];
  readonlyRootfs?: boolean;
  /** Some container of the Pod is privileged. */
  privileged?: boolean;
  sysctls?: Record<string, string>;
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  /** The Pod's IPs, primary first. */
  ips: string[];
}

export interface ContainerConfig {
  name: string;
  attempt: number;
  image: string;
  /** The image ref returned by pullImage. */
  imageRef: string;
  command?: string[];
  args?: string[];
  /** The environment in order, resolved by the kubelet (env, envFrom). */
  envs?: { key: string; value: string }[];
  workingDir?: string;
  /** Volumes to bind-mount into the container (a runtime that cannot must refuse the container). */
  mounts?: ContainerMount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: LinuxContainerConfig;
}

export interface LinuxContainerConfig {
  resources?: { cpuPeriod?: number; cpuQuota?: number; cpuShares?: number; memoryLimitInBytes?: number; oomScoreAdj?: number };
  securityContext?: {
    privileged?: boolean;
    namespaceOptions?: NamespaceOptions;
    runAsUser?: number;
    runAsGroup?: number;
    readonlyRootfs?: boolean;
    noNewPrivs?: boolean;
    capabilities?: { addCapabilities: string[]; dropCapabilities: string[] };
  };
}

/** A directory (or file) of the node seen by the container at containerPath. */
export interface ContainerMount {
  containerPath: string;
  hostPath: string;
  readOnly: boolean;
}

/** Set on ContainerConfig.annotations of an init container. */
export const INIT_CONTAINER_ANNOTATION = 'skiff.dev/init-container';

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface ContainerStatus {
  /** Fully qualified: `<runtime>://<id>` is built by the kubelet from `runtimeName` and this id. */
  id: string;
  podSandboxId: string;
  name: string;
  attempt: number;
  state: ContainerState;
  /** Milliseconds since the epoch; 0 when it did not happen. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** Set when exited: `Completed`, `Error`, `OOMKilled` … */
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  logPath: string;
}

export interface ImageInfo {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
}

export type ContainerEventType = 'CONTAINER_CREATED_EVENT' | 'CONTAINER_STARTED_EVENT' | 'CONTAINER_STOPPED_EVENT' | 'CONTAINER_DELETED_EVENT';

export interface ContainerEvent {
  type: ContainerEventType;
  containerId: string;
  podSandboxId: string;
  /** The Pod's uid, so the kubelet can wake its worker. */
  podUid: string;
  at: number;
}

/** An id the runtime does not know. */
export class NotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`${what} "${id}" not found`);
    this.name = 'NotFoundError';
  }
}

/** An image could not be pulled (the kubelet reports ErrImagePull, then ImagePullBackOff, or ErrImageNeverPull). */
export class ImagePullError extends Error {
  constructor(
    message: string,
    /** The container's waiting reason. */
    readonly reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' = 'ErrImagePull',
  ) {
    super(message);
    this.name = 'ImagePullError';
  }
}
