import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parseLogQuery, resolveContainerLog, LogRequestError, type ServedPod } from './container-log-request.js';
import { readContainerLog } from './read-container-log.js';
import type { KubeletRequester } from '../kubelet-authorizer.js';

export type { ServedPod };

/** The common name of the API server's kubelet client certificate: the only client this server answers. */
export const APISERVER_KUBELET_CLIENT = 'kube-apiserver-kubelet-client';

export interface KubeletServerOptions {
  /** The serving certificate and key. */
  certPem: string;
  keyPem: string;
  /** The CA that signs client certificates (the cluster CA). */
  clientCaPem: string;
  /** The Pod of this process's nodes with that namespace and name. */
  findPod(namespace: string, name: string): ServedPod | undefined;
  /**
   * Decides whether an authenticated client may make a call (upstream's webhook authorization: a SubjectAccessReview
   * for nodes/proxy, nodes/log …). Without it only the API server's kubelet client certificate is served.
   */
  authorize?(requester: KubeletRequester, method: string, path: string): Promise<{ allowed: boolean; message: string }>;
  log?: (message: string) => void;
}

function answer(res: ServerResponse, code: number, message: string): void {
  if (res.headersSent) return void res.end();
  const reason = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed' }[code] ?? 'InternalError';
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The kubelet's HTTPS endpoint (upstream's :10250), shared by every node of the process: `/healthz` and
 * `/containerLogs/<namespace>/<pod>/<container>`. TLS requires a client certificate from the cluster CA; with
 * `authorize` each call is then authorized by the API server (nodes/proxy, nodes/log …, as upstream's kubelet does),
 * without it only the API server's kubelet client certificate is served.
 */
export class KubeletServer {
  private server: Server | undefined;
  private readonly streams = new Set<AbortController>();

  constructor(private readonly o: KubeletServerOptions) {}

  async listen(port: number, host: string): Promise<number> {
    this.server = createServer({ cert: this.o.certPem, key: this.o.keyPem, ca: [this.o.clientCaPem], requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }, (req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        this.o.log?.(`kubelet server: ${req.url ?? ''}: ${err instanceof Error ? err.message : String(err)}`);
        answer(res, 500, 'internal error');
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.abort();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const peer = (req.socket as TLSSocket).getPeerCertificate?.();
    if (!peer || !peer.subject) return answer(res, 401, 'Unauthorized');
    const user = peer.subject.CN;
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    if (this.o.authorize) {
      const organizations = peer.subject.O;
      const requester = { username: String(user), groups: [...(Array.isArray(organizations) ? organizations : organizations ? [organizations] : []), 'system:authenticated'] };
      const decision = await this.o.authorize(requester, req.method ?? 'GET', rawPath);
      if (!decision.allowed) return answer(res, 403, decision.message);
    } else if (user !== APISERVER_KUBELET_CLIENT) return answer(res, 403, `Forbidden (user=${String(user)}, verb=get, resource=nodes, subresource=proxy)`);
    if (req.method !== 'GET') return answer(res, 405, `method ${req.method ?? ''} is not allowed`);
    if (rawPath === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end('ok');
    }
    if (!rawPath.startsWith('/containerLogs/')) return answer(res, 404, 'the server could not find the requested resource');
    try {
      const options = parseLogQuery(new URLSearchParams(q < 0 ? '' : target.slice(q + 1)), Date.now());
      const log = await resolveContainerLog(rawPath, options.previous, this.o.findPod);
      const stream = new AbortController();
      this.streams.add(stream);
      res.once('close', () => stream.abort());
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
      res.flushHeaders();
      try {
        await readContainerLog(log.path, options, res, log.stillRunning, stream.signal);
      } finally {
        this.streams.delete(stream);
        res.end();
      }
    } catch (err) {
      if (err instanceof LogRequestError) return answer(res, err.code, err.message);
      throw err;
    }
  }
}
