import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime } from '../runtime/index.js';

export interface ProbeOutcome {
  success: boolean;
  /** Why it failed, as upstream's event messages say it. */
  output: string;
}

/** Where a probe runs: the container, its runtime and the Pod's IP. */
export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: Container;
  podIP: string;
}

/** A port number, or a named container port. */
function resolvePort(port: number | string | undefined, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function httpProbe(probe: NonNullable<Probe['httpGet']>, t: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const port = resolvePort(probe.port, t.container);
  if (port === undefined) return Promise.resolve({ success: false, output: `unable to resolve port ${String(probe.port)}` });
  const https = probe.scheme === 'HTTPS';
  const host = probe.host || t.podIP;
  const path = probe.path ? (probe.path.startsWith('/') ? probe.path : `/${probe.path}`) : '/';
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of probe.httpHeaders ?? []) headers[h.name] = h.value;
  const url = `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  return new Promise((resolve) => {
    const req = (https ? httpsRequest : httpRequest)({ host, port, path, method: 'GET', headers, timeout: timeoutMs, ...(https ? { rejectUnauthorized: false } : {}) }, (res) => {
      const code = res.statusCode ?? 0;
      res.resume();
      // Redirects are not followed; as upstream's prober counts one as a success.
      resolve(code >= 200 && code < 400 ? { success: true, output: '' } : { success: false, output: `HTTP probe failed with statuscode: ${code}` });
    });
    req.once('timeout', () => req.destroy(new Error(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)));
    req.on('error', (err) => resolve({ success: false, output: err.message.startsWith('Get "') ? err.message : `Get "${url}": ${err.message}` }));
    req.end();
  });
}

function tcpProbe(probe: NonNullable<Probe['tcpSocket']>, t: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const port = resolvePort(probe.port, t.container);
  if (port === undefined) return Promise.resolve({ success: false, output: `unable to resolve port ${String(probe.port)}` });
  const host = probe.host || t.podIP;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => socket.destroy(new Error('i/o timeout')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ success: true, output: '' });
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      resolve({ success: false, output: `dial tcp ${host}:${port}: ${err.message.replace(/^connect /, 'connect: ')}` });
    });
  });
}

/** Runs one probe once: exec (exit code 0), httpGet (2xx/3xx) or tcpSocket (a connection), within timeoutSeconds. */
export async function runProbe(probe: Probe, t: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutSeconds = probe.timeoutSeconds ?? 1;
  if (probe.exec) {
    try {
      const r = await t.runtime.execSync(t.containerId, probe.exec.command ?? [], timeoutSeconds);
      if (r.timedOut) return { success: false, output: `command ${JSON.stringify((probe.exec.command ?? []).join(' '))} timed out` };
      return r.exitCode === 0 ? { success: true, output: '' } : { success: false, output: (r.stdout + r.stderr).trim() || `command exited with ${r.exitCode}` };
    } catch (err) {
      return { success: false, output: err instanceof Error ? err.message : String(err) };
    }
  }
  if (probe.httpGet) return httpProbe(probe.httpGet, t, timeoutSeconds * 1000);
  if (probe.tcpSocket) return tcpProbe(probe.tcpSocket, t, timeoutSeconds * 1000);
  return { success: false, output: 'probe has no handler this kubelet supports (exec, httpGet, tcpSocket)' };
}
