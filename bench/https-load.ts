// HTTPS plumbing for the API benchmark: an admin client from a kubeconfig, and the skiff process under test.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parse } from 'yaml';

export interface Client {
  readonly agent: Agent;
  readonly url: URL;
  call(method: string, path: string, body?: string): Promise<{ status: number; body: string }>;
}

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

/** A client with the admin credentials of a kubeconfig; `server` overrides its URL (the baselines' ports). */
export function adminClient(kubeconfigPath: string, maxSockets = 50, server?: string): Client {
  const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const agent = new Agent({
    keepAlive: true,
    maxSockets,
    ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
    cert: b64(kc.users[0]!.user['client-certificate-data']),
    key: b64(kc.users[0]!.user['client-key-data']),
  });
  const url = new URL(server ?? kc.clusters[0]!.cluster.server);
  return {
    agent,
    url,
    call: (method, path, body) =>
      new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path, method, agent, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        req.end(body);
      }),
  };
}

export interface SkiffUnderTest {
  readonly child: ChildProcess;
  readonly url: string;
  /** Milliseconds from spawn until /readyz answered 200. */
  readonly startMs: number;
  rssMb(): number;
  stop(): Promise<void>;
}

const bin = new URL('../../bin/skiff', import.meta.url).pathname;

/** Starts `skiff apiserver` (or `skiff server`) on a free port and measures the time until /readyz is 200. */
export async function startSkiff(dataDir: string, args: readonly string[] = [], command: 'apiserver' | 'server' = 'apiserver'): Promise<SkiffUnderTest> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, command, '--data-dir', dataDir, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving (https:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`skiff exited with ${code}`)));
  });
  // `serving` is printed once /readyz would answer 200 (the CLI waits for readiness); confirm over HTTPS.
  const client = adminClient(`${dataDir}/kubeconfig.yaml`, 1);
  const res = await client.call('GET', '/readyz');
  if (res.status !== 200) throw new Error(`/readyz answered ${res.status}`);
  const startMs = performance.now() - started;
  client.agent.destroy();
  return {
    child,
    url,
    startMs,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
