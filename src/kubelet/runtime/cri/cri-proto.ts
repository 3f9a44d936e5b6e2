import { createRequire } from 'node:module';
import type { Root } from 'protobufjs';

// The runtime.v1 messages Skiff uses, written down by us: names and field numbers are those of the published CRI
// definitions (k8s.io/cri-api pkg/apis/runtime/v1/api.proto); fields we never send or read are left out, which
// protobuf's wire format allows (unknown fields are skipped).

type Fields = Record<string, { type: string; id: number; rule?: 'repeated'; keyType?: string }>;

const f = (id: number, type: string): { type: string; id: number } => ({ type, id });
const list = (id: number, type: string) => ({ type, id, rule: 'repeated' as const });
const map = (id: number) => ({ keyType: 'string', type: 'string', id });
const message = (fields: Fields) => ({ fields });

const messages: Record<string, { fields: Fields }> = {
  VersionRequest: message({ version: f(1, 'string') }),
  VersionResponse: message({ version: f(1, 'string'), runtimeName: f(2, 'string'), runtimeVersion: f(3, 'string'), runtimeApiVersion: f(4, 'string') }),
  StatusRequest: message({ verbose: f(1, 'bool') }),
  RuntimeCondition: message({ type: f(1, 'string'), status: f(2, 'bool'), reason: f(3, 'string'), message: f(4, 'string') }),
  RuntimeStatus: message({ conditions: list(1, 'RuntimeCondition') }),
  StatusResponse: message({ status: f(1, 'RuntimeStatus'), info: map(2) }),

  DNSConfig: message({ servers: list(1, 'string'), searches: list(2, 'string'), options: list(3, 'string') }),
  PortMapping: message({ protocol: f(1, 'Protocol'), containerPort: f(2, 'int32'), hostPort: f(3, 'int32'), hostIp: f(4, 'string') }),
  Mount: message({ containerPath: f(1, 'string'), hostPath: f(2, 'string'), readonly: f(3, 'bool'), selinuxRelabel: f(4, 'bool'), propagation: f(5, 'MountPropagation') }),
  NamespaceOption: message({ network: f(1, 'NamespaceMode'), pid: f(2, 'NamespaceMode'), ipc: f(3, 'NamespaceMode'), targetId: f(4, 'string') }),
  Int64Value: message({ value: f(1, 'int64') }),
  UInt64Value: message({ value: f(1, 'uint64') }),
  LinuxSandboxSecurityContext: message({
    namespaceOptions: f(1, 'NamespaceOption'),
    runAsUser: f(3, 'Int64Value'),
    readonlyRootfs: f(4, 'bool'),
    supplementalGroups: list(5, 'int64'),
    privileged: f(6, 'bool'),
    runAsGroup: f(8, 'Int64Value'),
  }),
  LinuxPodSandboxConfig: message({ cgroupParent: f(1, 'string'), securityContext: f(2, 'LinuxSandboxSecurityContext'), sysctls: map(3) }),
  PodSandboxMetadata: message({ name: f(1, 'string'), uid: f(2, 'string'), namespace: f(3, 'string'), attempt: f(4, 'uint32') }),
  PodSandboxConfig: message({
    metadata: f(1, 'PodSandboxMetadata'),
    hostname: f(2, 'string'),
    logDirectory: f(3, 'string'),
    dnsConfig: f(4, 'DNSConfig'),
    portMappings: list(5, 'PortMapping'),
    labels: map(6),
    annotations: map(7),
    linux: f(8, 'LinuxPodSandboxConfig'),
  }),
  RunPodSandboxRequest: message({ config: f(1, 'PodSandboxConfig'), runtimeHandler: f(2, 'string') }),
  RunPodSandboxResponse: message({ podSandboxId: f(1, 'string') }),
  StopPodSandboxRequest: message({ podSandboxId: f(1, 'string') }),
  StopPodSandboxResponse: message({}),
  RemovePodSandboxRequest: message({ podSandboxId: f(1, 'string') }),
  RemovePodSandboxResponse: message({}),
  PodSandboxStatusRequest: message({ podSandboxId: f(1, 'string'), verbose: f(2, 'bool') }),
  PodIP: message({ ip: f(1, 'string') }),
  PodSandboxNetworkStatus: message({ ip: f(1, 'string'), additionalIps: list(2, 'PodIP') }),
  PodSandboxStatus: message({
    id: f(1, 'string'),
    metadata: f(2, 'PodSandboxMetadata'),
    state: f(3, 'PodSandboxState'),
    createdAt: f(4, 'int64'),
    network: f(5, 'PodSandboxNetworkStatus'),
    labels: map(7),
    annotations: map(8),
    runtimeHandler: f(9, 'string'),
  }),
  PodSandboxStatusResponse: message({ status: f(1, 'PodSandboxStatus'), info: map(2) }),
  PodSandboxStateValue: message({ state: f(1, 'PodSandboxState') }),
  PodSandboxFilter: message({ id: f(1, 'string'), state: f(2, 'PodSandboxStateValue'), labelSelector: map(3) }),
  ListPodSandboxRequest: message({ filter: f(1, 'PodSandboxFilter') }),
  PodSandbox: message({
    id: f(1, 'string'),
    metadata: f(2, 'PodSandboxMetadata'),
    state: f(3, 'PodSandboxState'),
    createdAt: f(4, 'int64'),
    labels: map(5),
    annotations: map(6),
    runtimeHandler: f(7, 'string'),
  }),
  ListPodSandboxResponse: message({ items: list(1, 'PodSandbox') }),

  ImageSpec: message({ image: f(1, 'string'), annotations: map(2), userSpecifiedImage: f(18, 'string') }),
  KeyValue: message({ key: f(1, 'string'), value: f(2, 'string') }),
  LinuxContainerResources: message({
    cpuPeriod: f(1, 'int64'),
    cpuQuota: f(2, 'int64'),
    cpuShares: f(3, 'int64'),
    memoryLimitInBytes: f(4, 'int64'),
    oomScoreAdj: f(5, 'int64'),
    cpusetCpus: f(6, 'string'),
    cpusetMems: f(7, 'string'),
  }),
  Capability: message({ addCapabilities: list(1, 'string'), dropCapabilities: list(2, 'string') }),
  LinuxContainerSecurityContext: message({
    capabilities: f(1, 'Capability'),
    privileged: f(2, 'bool'),
    namespaceOptions: f(3, 'NamespaceOption'),
    runAsUser: f(5, 'Int64Value'),
    runAsUsername: f(6, 'string'),
    readonlyRootfs: f(7, 'bool'),
    supplementalGroups: list(8, 'int64'),
    noNewPrivs: f(11, 'bool'),
    runAsGroup: f(12, 'Int64Value'),
  }),
  LinuxContainerConfig: message({ resources: f(1, 'LinuxContainerResources'), securityContext: f(2, 'LinuxContainerSecurityContext') }),
  ContainerMetadata: message({ name: f(1, 'string'), attempt: f(2, 'uint32') }),
  ContainerConfig: message({
    metadata: f(1, 'ContainerMetadata'),
    image: f(2, 'ImageSpec'),
    command: list(3, 'string'),
    args: list(4, 'string'),
    workingDir: f(5, 'string'),
    envs: list(6, 'KeyValue'),
    mounts: list(7, 'Mount'),
    labels: map(9),
    annotations: map(10),
    logPath: f(11, 'string'),
    stdin: f(12, 'bool'),
    stdinOnce: f(13, 'bool'),
    tty: f(14, 'bool'),
    linux: f(15, 'LinuxContainerConfig'),
  }),
  CreateContainerRequest: message({ podSandboxId: f(1, 'string'), config: f(2, 'ContainerConfig'), sandboxConfig: f(3, 'PodSandboxConfig') }),
  CreateContainerResponse: message({ containerId: f(1, 'string') }),
  StartContainerRequest: message({ containerId: f(1, 'string') }),
  StartContainerResponse: message({}),
  StopContainerRequest: message({ containerId: f(1, 'string'), timeout: f(2, 'int64') }),
  StopContainerResponse: message({}),
  RemoveContainerRequest: message({ containerId: f(1, 'string') }),
  RemoveContainerResponse: message({}),
  ContainerStateValue: message({ state: f(1, 'ContainerState') }),
  ContainerFilter: message({ id: f(1, 'string'), state: f(2, 'ContainerStateValue'), podSandboxId: f(3, 'string'), labelSelector: map(4) }),
  ListContainersRequest: message({ filter: f(1, 'ContainerFilter') }),
  Container: message({
    id: f(1, 'string'),
    podSandboxId: f(2, 'string'),
    metadata: f(3, 'ContainerMetadata'),
    image: f(4, 'ImageSpec'),
    imageRef: f(5, 'string'),
    state: f(6, 'ContainerState'),
    createdAt: f(7, 'int64'),
    labels: map(8),
    annotations: map(9),
  }),
  ListContainersResponse: message({ containers: list(1, 'Container') }),
  ContainerStatusRequest: message({ containerId: f(1, 'string'), verbose: f(2, 'bool') }),
  ContainerStatus: message({
    id: f(1, 'string'),
    metadata: f(2, 'ContainerMetadata'),
    state: f(3, 'ContainerState'),
    createdAt: f(4, 'int64'),
    startedAt: f(5, 'int64'),
    finishedAt: f(6, 'int64'),
    exitCode: f(7, 'int32'),
    image: f(8, 'ImageSpec'),
    imageRef: f(9, 'string'),
    reason: f(10, 'string'),
    message: f(11, 'string'),
    labels: map(12),
    annotations: map(13),
    mounts: list(14, 'Mount'),
    logPath: f(15, 'string'),
  }),
  ContainerStatusResponse: message({ status: f(1, 'ContainerStatus'), info: map(2) }),
  ExecSyncRequest: message({ containerId: f(1, 'string'), cmd: list(2, 'string'), timeout: f(3, 'int64') }),
  ExecSyncResponse: message({ stdout: f(1, 'bytes'), stderr: f(2, 'bytes'), exitCode: f(3, 'int32') }),
  ContainerStatsRequest: message({ containerId: f(1, 'string') }),
  ContainerAttributes: message({ id: f(1, 'string'), metadata: f(2, 'ContainerMetadata'), labels: map(3), annotations: map(4) }),
  CpuUsage: message({ timestamp: f(1, 'int64'), usageCoreNanoSeconds: f(2, 'UInt64Value'), usageNanoCores: f(3, 'UInt64Value') }),
  MemoryUsage: message({ timestamp: f(1, 'int64'), workingSetBytes: f(2, 'UInt64Value'), availableBytes: f(3, 'UInt64Value'), usageBytes: f(4, 'UInt64Value'), rssBytes: f(5, 'UInt64Value') }),
  ContainerStats: message({ attributes: f(1, 'ContainerAttributes'), cpu: f(2, 'CpuUsage'), memory: f(3, 'MemoryUsage') }),
  ContainerStatsResponse: message({ stats: f(1, 'ContainerStats') }),

  ImageFilter: message({ image: f(1, 'ImageSpec') }),
  ListImagesRequest: message({ filter: f(1, 'ImageFilter') }),
  Image: message({ id: f(1, 'string'), repoTags: list(2, 'string'), repoDigests: list(3, 'string'), size: f(4, 'uint64'), spec: f(7, 'ImageSpec'), pinned: f(8, 'bool') }),
  ListImagesResponse: message({ images: list(1, 'Image') }),
  ImageStatusRequest: message({ image: f(1, 'ImageSpec'), verbose: f(2, 'bool') }),
  ImageStatusResponse: message({ image: f(1, 'Image'), info: map(2) }),
  PullImageRequest: message({ image: f(1, 'ImageSpec'), sandboxConfig: f(3, 'PodSandboxConfig') }),
  PullImageResponse: message({ imageRef: f(1, 'string') }),
};

const enums: Record<string, { values: Record<string, number> }> = {
  Protocol: { values: { TCP: 0, UDP: 1, SCTP: 2 } },
  MountPropagation: { values: { PROPAGATION_PRIVATE: 0, PROPAGATION_HOST_TO_CONTAINER: 1, PROPAGATION_BIDIRECTIONAL: 2 } },
  NamespaceMode: { values: { POD: 0, CONTAINER: 1, NODE: 2, TARGET: 3 } },
  PodSandboxState: { values: { SANDBOX_READY: 0, SANDBOX_NOTREADY: 1 } },
  ContainerState: { values: { CONTAINER_CREATED: 0, CONTAINER_RUNNING: 1, CONTAINER_EXITED: 2, CONTAINER_UNKNOWN: 3 } },
};

/** The runtime.v1 package as a protobufjs Root. */
let root: Root | undefined;

/** The messages as a protobufjs Root, built on first use (protobufjs is loaded only by a kubelet that speaks CRI). */
export function criRoot(): Root {
  const protobuf = createRequire(import.meta.url)('protobufjs') as typeof import('protobufjs');
  return (root ??= protobuf.Root.fromJSON({ nested: { runtime: { nested: { v1: { nested: { ...messages, ...enums } } } } } }));
}

/** The calls we make: method → [service, request type, response type]. */
export const CRI_METHODS = {
  Version: ['RuntimeService', 'VersionRequest', 'VersionResponse'],
  Status: ['RuntimeService', 'StatusRequest', 'StatusResponse'],
  RunPodSandbox: ['RuntimeService', 'RunPodSandboxRequest', 'RunPodSandboxResponse'],
  StopPodSandbox: ['RuntimeService', 'StopPodSandboxRequest', 'StopPodSandboxResponse'],
  RemovePodSandbox: ['RuntimeService', 'RemovePodSandboxRequest', 'RemovePodSandboxResponse'],
  PodSandboxStatus: ['RuntimeService', 'PodSandboxStatusRequest', 'PodSandboxStatusResponse'],
  ListPodSandbox: ['RuntimeService', 'ListPodSandboxRequest', 'ListPodSandboxResponse'],
  CreateContainer: ['RuntimeService', 'CreateContainerRequest', 'CreateContainerResponse'],
  StartContainer: ['RuntimeService', 'StartContainerRequest', 'StartContainerResponse'],
  StopContainer: ['RuntimeService', 'StopContainerRequest', 'StopContainerResponse'],
  RemoveContainer: ['RuntimeService', 'RemoveContainerRequest', 'RemoveContainerResponse'],
  ContainerStatus: ['RuntimeService', 'ContainerStatusRequest', 'ContainerStatusResponse'],
  ListContainers: ['RuntimeService', 'ListContainersRequest', 'ListContainersResponse'],
  ExecSync: ['RuntimeService', 'ExecSyncRequest', 'ExecSyncResponse'],
  ContainerStats: ['RuntimeService', 'ContainerStatsRequest', 'ContainerStatsResponse'],
  ListImages: ['ImageService', 'ListImagesRequest', 'ListImagesResponse'],
  ImageStatus: ['ImageService', 'ImageStatusRequest', 'ImageStatusResponse'],
  PullImage: ['ImageService', 'PullImageRequest', 'PullImageResponse'],
} as const;

export type CriMethod = keyof typeof CRI_METHODS;
