import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Status } from 'kubernetes-types/meta/v1.js';
import { ApiError, type FieldError } from '../../api/index.js';
import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import type { ResourceStore } from '../registry/resource-store.js';

/** Where a node's kubelet answers. */
export interface KubeletEndpoint {
  host: string;
  port: number;
}

export interface PodLogProxyOptions {
  readonly pods: ResourceStore;
  readonly nodes: ResourceStore;
  /** The API server's kubelet client certificate (CN kube-apiserver-kubelet-client). */
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  /** Overrides where a node's kubelet is reached (`skiff server`: its in-process endpoint); default InternalIP:Port. */
  readonly kubeletEndpoint?: (node: Node) => KubeletEndpoint | undefined;
  /** Ends open streams when the server shuts down. */
  readonly shutdown: AbortSignal;
}

const FORWARDED = ['follow', 'previous', 'timestamps', 'tailLines', 'sinceSeconds', 'sinceTime', 'limitBytes'] as const;
const MAX_ERROR_BODY = 64 * 1024;

function integerParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!/^-?\d+$/.test(v)) throw ApiError.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** PodLogOptions validation as upstream's ValidatePodLogOptions (422 Invalid). */
function validate(name: string, query: URLSearchParams): void {
  const causes: FieldError[] = [];
  const tailLines = integerParam(query, 'tailLines');
  const limitBytes = integerParam(query, 'limitBytes');
  const sinceSeconds = integerParam(query, 'sinceSeconds');
  if (tailLines !== undefined && tailLines < 0) causes.push({ type: 'FieldValueInvalid', field: 'tailLines', badValue: tailLines, detail: 'must be greater than or equal to 0' });
  if (limitBytes !== undefined && limitBytes < 1) causes.push({ type: 'FieldValueInvalid', field: 'limitBytes', badValue: limitBytes, detail: 'must be greater than 0' });
  if (sinceSeconds !== undefined && sinceSeconds < 1) causes.push({ type: 'FieldValueInvalid', field: 'sinceSeconds', badValue: sinceSeconds, detail: 'must be greater than 0' });
  if (sinceSeconds !== undefined && query.get('sinceTime') !== null) causes.push({ type: 'FieldValueForbidden', field: '', badValue: '', detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  const sinceTime = query.get('sinceTime');
  if (sinceTime !== null && Number.isNaN(Date.parse(sinceTime))) throw ApiError.badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
  if (causes.length > 0) throw ApiError.invalid({ group: '', kind: 'PodLogOptions' }, name, causes);
}

/** The container whose log is asked for, as upstream's LogLocation picks and checks it. */
function containerOf(pod: Pod, name: string, asked: string | null): string {
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  if (!asked) {
    if (containers.length === 1) return containers[0]!;
    const initPart = init.length > 0 ? ` or one of the init containers: [${init.join(' ')}]` : '';
    throw ApiError.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}`);
  }
  if (![...containers, ...init, ...(pod.spec?.ephemeralContainers ?? []).map((c) => c.name)].includes(asked)) throw ApiError.badRequest(`container ${asked} is not valid for pod ${name}`);
  return asked;
}

function defaultEndpoint(node: Node): KubeletEndpoint | undefined {
  const host = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? node.status?.addresses?.[0]?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return host && port ? { host, port } : undefined;
}

async function readError(res: IncomingMessage): Promise<ApiError> {
  let body = '';
  for await (const chunk of res as AsyncIterable<Buffer>) {
    body += chunk.toString();
    if (body.length > MAX_ERROR_BODY) break;
  }
  const code = res.statusCode ?? 500;
  try {
    const status = JSON.parse(body) as Status;
    if (status.kind === 'Status' && status.message) return ApiError.fromStatus({ ...status, code, reason: status.reason ?? 'InternalError' });
  } catch {
    // Not a Status: the text is the message.
  }
  return new ApiError({ code, reason: code === 400 ? 'BadRequest' : code === 404 ? 'NotFound' : 'InternalError', message: body.trim() || `the kubelet answered ${code}`, details: {} });
}

/**
 * GET pods/<name>/log: validated here, then proxied to `/containerLogs/<ns>/<pod>/<container>` on the kubelet of the
 * Pod's node with the API server's kubelet client certificate. A redirect is never followed; the body streams
 * through (follow) until the kubelet ends it, the client goes away or the server shuts down.
 */
export async function servePodLog(req: ServerRequest, res: ServerResponse, namespace: string, name: string, query: URLSearchParams, o: PodLogProxyOptions): Promise<void> {
  validate(name, query);
  const pod = (await o.pods.get(namespace, name)).object as Pod;
  const container = containerOf(pod, name, query.get('container'));
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) {
    // Upstream answers an unscheduled Pod's log with nothing.
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    return void res.end();
  }
  const node = (await o.nodes.get('', nodeName)).object as Node;
  const endpoint = (o.kubeletEndpoint ?? defaultEndpoint)(node) ?? defaultEndpoint(node);
  if (!endpoint) throw ApiError.internal(`node ${nodeName} reports no kubelet endpoint`);
  const forwarded = new URLSearchParams();
  for (const key of FORWARDED) {
    const v = query.get(key);
    if (v !== null) forwarded.set(key, v);
  }
  const path = `/containerLogs/${[namespace, name, container].map(encodeURIComponent).join('/')}${forwarded.size > 0 ? `?${forwarded}` : ''}`;
  const aborter = new AbortController();
  const abort = () => aborter.abort();
  o.shutdown.addEventListener('abort', abort, { once: true });
  res.once('close', abort);
  try {
    const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
      const r = httpsRequest({ host: endpoint.host, port: endpoint.port, path, method: 'GET', cert: o.clientCertPem, key: o.clientKeyPem, rejectUnauthorized: false, signal: aborter.signal, timeout: 30_000 }, resolve);
      r.once('timeout', () => r.destroy(new Error('timed out connecting to the kubelet')));
      r.once('error', reject);
      r.end();
    }).catch((err: unknown) => {
      throw ApiError.internal(`Get "https://${endpoint.host}:${endpoint.port}${path}": ${err instanceof Error ? err.message : String(err)}`);
    });
    const code = upstream.statusCode ?? 500;
    if (code >= 300 && code < 400) {
      upstream.destroy();
      throw ApiError.internal(`the kubelet of node ${nodeName} answered a redirect (${code}), which is not followed`);
    }
    if (code >= 400) throw await readError(upstream);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.flushHeaders?.();
    await new Promise<void>((resolve) => {
      upstream.on('data', (chunk: Buffer) => {
        if (!res.write(chunk)) {
          upstream.pause();
          res.once('drain', () => upstream.resume());
        }
      });
      upstream.once('end', resolve);
      upstream.once('error', resolve);
      upstream.once('close', resolve);
    });
    res.end();
  } finally {
    o.shutdown.removeEventListener('abort', abort);
    res.removeListener('close', abort);
  }
}
