import { join } from 'node:path';
import type { ContainerConfig, ContainerState, PodSandboxConfig, PodSandboxMetadata, PodSandboxState } from '../runtime.js';

// Our runtime-interface shapes to runtime.v1 messages (plain objects for CriClient), and the labels the kubelet puts on
// what it creates, as upstream's kubelet does (pkg/kubelet/types/labels.go).

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** Which Skiff node created it: a kubelet lists, and so touches, only what carries its own node name. */
export const NODE_LABEL = 'skiff.dev/node';
const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';

/** `<logRoot>/<namespace>_<name>_<uid>`, as upstream's /var/log/pods/… */
export function podLogDirectory(logRoot: string, m: PodSandboxMetadata): string {
  return join(logRoot, `${m.namespace}_${m.name}_${m.uid}`);
}

/** Relative to the sandbox's log directory: `<container>/<attempt>.log`. */
export const containerLogPath = (name: string, attempt: number) => `${name}/${attempt}.log`;

const int64 = (value: number | undefined) => (value === undefined ? undefined : { value });

export function podSandboxConfigMessage(config: PodSandboxConfig, nodeName: string, logRoot: string): object {
  const m = config.metadata;
  const linux = config.linux ?? {};
  const hostNetwork = linux.namespaceOptions?.network === 'NODE';
  return {
    metadata: { name: m.name, uid: m.uid, namespace: m.namespace, attempt: m.attempt },
    // A sandbox in the node's network namespace has no UTS namespace of its own to name.
    hostname: hostNetwork ? '' : (config.hostname ?? m.name),
    logDirectory: config.logDirectory ?? podLogDirectory(logRoot, m),
    dnsConfig: config.dnsConfig,
    portMappings: config.portMappings ?? [],
    labels: { ...config.labels, [POD_NAME_LABEL]: m.name, [POD_NAMESPACE_LABEL]: m.namespace, [POD_UID_LABEL]: m.uid, [NODE_LABEL]: nodeName },
    annotations: { ...config.annotations },
    linux: {
      cgroupParent: '',
      securityContext: {
        namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD', ...linux.namespaceOptions },
        runAsUser: int64(linux.runAsUser),
        runAsGroup: int64(linux.runAsGroup),
        supplementalGroups: linux.supplementalGroups ?? [],
        readonlyRootfs: linux.readonlyRootfs ?? false,
        privileged: linux.privileged ?? false,
      },
      sysctls: { ...linux.sysctls },
    },
  };
}

export function containerConfigMessage(config: ContainerConfig, sandbox: PodSandboxConfig, nodeName: string): object {
  const m = sandbox.metadata;
  const sc = config.linux?.securityContext;
  return {
    metadata: { name: config.name, attempt: config.attempt },
    image: { image: config.imageRef || config.image, userSpecifiedImage: config.image },
    command: config.command ?? [],
    args: config.args ?? [],
    workingDir: config.workingDir ?? '',
    envs: config.envs ?? [],
    mounts: (config.mounts ?? []).map((mount) => ({ containerPath: mount.containerPath, hostPath: mount.hostPath, readonly: mount.readOnly })),
    labels: { ...config.labels, [CONTAINER_NAME_LABEL]: config.name, [POD_NAME_LABEL]: m.name, [POD_NAMESPACE_LABEL]: m.namespace, [POD_UID_LABEL]: m.uid, [NODE_LABEL]: nodeName },
    annotations: { ...config.annotations, [RESTART_COUNT_ANNOTATION]: String(config.attempt) },
    logPath: containerLogPath(config.name, config.attempt),
    stdin: config.stdin ?? false,
    stdinOnce: config.stdinOnce ?? false,
    tty: config.tty ?? false,
    linux: {
      resources: { ...config.linux?.resources },
      securityContext: {
        privileged: sc?.privileged ?? false,
        namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD', ...sc?.namespaceOptions },
        runAsUser: int64(sc?.runAsUser),
        runAsGroup: int64(sc?.runAsGroup),
        readonlyRootfs: sc?.readonlyRootfs ?? false,
        noNewPrivs: sc?.noNewPrivs ?? false,
        capabilities: sc?.capabilities,
      },
    },
  };
}

/** What we read of runtime.v1 answers (CriClient's plain objects). */
export interface WireMeta {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}
export interface WireSandbox {
  id: string;
  metadata: WireMeta;
  state: PodSandboxState;
  createdAt: number;
  labels: Record<string, string>;
  network?: { ip: string; additionalIps: { ip: string }[] } | null;
}
export interface WireContainerStatus {
  id: string;
  metadata: { name: string; attempt: number };
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  image: { image: string } | null;
  imageRef: string;
  reason: string;
  message: string;
  labels: Record<string, string>;
  logPath: string;
}
export interface WireImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
}

/** Nanoseconds (int64 as a number) to milliseconds. */
export const nsToMs = (ns: number | undefined) => Math.floor((ns ?? 0) / 1e6);

const ORDER: Record<ContainerState, number> = { CONTAINER_CREATED: 0, CONTAINER_RUNNING: 1, CONTAINER_EXITED: 2, CONTAINER_UNKNOWN: -1 };

/** The container events between two states, in order (`undefined`: not known yet). */
export function transitions(from: ContainerState | undefined, to: ContainerState): ('CONTAINER_CREATED_EVENT' | 'CONTAINER_STARTED_EVENT' | 'CONTAINER_STOPPED_EVENT')[] {
  const start = from === undefined ? -1 : ORDER[from];
  const end = ORDER[to];
  const all = ['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT', 'CONTAINER_STOPPED_EVENT'] as const;
  return all.filter((_, i) => i > start && i <= end);
}
