import { realpath } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import type { ContainerStatus as ApiContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime } from '../runtime/index.js';
import type { LogOptions } from './read-container-log.js';

/** A Pod this process runs, and the runtime that runs it. */
export interface ServedPod {
  pod: Pod;
  runtime: ContainerRuntime;
}

/** A log request the kubelet refuses, with the HTTP code of its answer. */
export class LogRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'LogRequestError';
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function bool(params: URLSearchParams, name: string): boolean {
  const v = params.get(name);
  if (v === null || v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new LogRequestError(400, `invalid ${name}: ${JSON.stringify(v)}`);
}

function int(params: URLSearchParams, name: string, min: number): number | undefined {
  const v = params.get(name);
  if (v === null) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min) throw new LogRequestError(400, `invalid ${name}: ${JSON.stringify(v)}: must be ${min === 0 ? 'a non-negative' : 'a positive'} integer`);
  return Number(v);
}

/** PodLogOptions from a query: follow, previous, timestamps, tailLines, sinceSeconds | sinceTime, limitBytes. */
export function parseLogQuery(params: URLSearchParams, now: number): LogOptions & { previous: boolean } {
  const sinceSeconds = int(params, 'sinceSeconds', 1);
  const sinceTime = params.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime !== null) throw new LogRequestError(400, 'at most one of sinceTime or sinceSeconds may be specified');
  let sinceMs = sinceSeconds === undefined ? undefined : now - sinceSeconds * 1000;
  if (sinceTime !== null) {
    sinceMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceMs)) throw new LogRequestError(400, `invalid sinceTime: ${JSON.stringify(sinceTime)}`);
  }
  return {
    follow: bool(params, 'follow'),
    previous: bool(params, 'previous'),
    timestamps: bool(params, 'timestamps'),
    tailLines: int(params, 'tailLines', 0),
    limitBytes: int(params, 'limitBytes', 1),
    sinceMs,
  };
}

function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new LogRequestError(400, 'invalid escape in the request path');
  }
}

/** The runtime's container id behind a container status (`process://<id>` → `<id>`). */
const runtimeId = (containerID: string | undefined) => containerID?.replace(/^[a-z]+:\/\//, '') || undefined;

/** Which container's log to serve, as upstream's validateContainerLogStatus picks it from the Pod's status. */
function pickContainer(status: ApiContainerStatus, pod: string, previous: boolean): string {
  const name = status.name;
  if (previous) {
    const last = runtimeId(status.lastState?.terminated?.containerID);
    if (!last) throw new LogRequestError(400, `previous terminated container "${name}" in pod "${pod}" not found`);
    return last;
  }
  const current = status.state?.running ? runtimeId(status.containerID) : runtimeId(status.state?.terminated?.containerID);
  if (current) return current;
  const last = runtimeId(status.lastState?.terminated?.containerID);
  if (status.state?.waiting && last) return last;
  throw new LogRequestError(400, `container "${name}" in pod "${pod}" is waiting to start: ${status.state?.waiting?.reason ?? 'ContainerCreating'}`);
}

/**
 * Resolves `/containerLogs/<namespace>/<pod>/<container>` to a log file of a container this process runs. Names are
 * decoded once and must be valid Kubernetes names (so no `..`, `/` or NUL can reach a path); the file is found
 * through the runtime, never built from the request, and must resolve (symlinks followed) inside the runtime's log
 * directory.
 */
export async function resolveContainerLog(rawPath: string, previous: boolean, findPod: (ns: string, name: string) => ServedPod | undefined): Promise<{ path: string; stillRunning: () => Promise<boolean> }> {
  const parts = rawPath.slice('/containerLogs/'.length).split('/');
  if (parts.length !== 3) throw new LogRequestError(400, 'expected /containerLogs/<namespace>/<pod>/<container>');
  const [namespace, podName, container] = parts.map(segment) as [string, string, string];
  if (!DNS_LABEL.test(namespace) || !DNS_SUBDOMAIN.test(podName) || !DNS_LABEL.test(container)) throw new LogRequestError(400, 'invalid namespace, pod or container name');
  const served = findPod(namespace, podName);
  if (!served) throw new LogRequestError(404, `pod "${podName}" in namespace "${namespace}" not found`);
  const { pod, runtime } = served;
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const status = statuses.find((s) => s.name === container);
  if (!status) throw new LogRequestError(400, `container "${container}" in pod "${podName}" is not available`);
  const id = pickContainer(status, podName, previous);
  let path: string;
  try {
    path = runtime.containerLogPath(id);
  } catch {
    throw new LogRequestError(400, `container "${container}" in pod "${podName}" is not available`);
  }
  const root = await realpath(runtime.logRoot).catch(() => runtime.logRoot);
  // A log not written yet is judged by the directory it would be written to.
  const real = await realpath(path).catch(async (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? join(await realpath(dirname(path)).catch(() => '/'), basename(path)) : undefined));
  if (real === undefined || !real.startsWith(root + sep)) throw new LogRequestError(403, `the log of container "${container}" is not in the log directory`);
  const stillRunning = async () => {
    try {
      return (await runtime.containerStatus(id)).state === 'CONTAINER_RUNNING';
    } catch {
      return false;
    }
  };
  return { path: real, stillRunning };
}
