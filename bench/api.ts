// npm run bench -- api: the API server over HTTPS on SQLite, next to baselines measured in the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { request } from 'node:https';
import { createInterface } from 'node:readline';
import { adminClient, startSkiff, type Client } from './https-load.js';
import { fmt, percentile, printTable, rate, type Row } from './stats.js';

const baselineScript = new URL('./baseline-servers.js', import.meta.url).pathname;

function pod(i: number, ns = 'default'): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `bench-${i}`, namespace: ns, labels: { app: 'bench', 'pod-template-hash': '7d9f8c6b5' } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example/app:1.2.3',
          ports: [{ containerPort: 8080, name: 'http' }],
          env: [{ name: 'MODE', value: 'production' }, { name: 'LOG_LEVEL', value: 'info' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
        },
      ],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
    },
  });
}

async function startBaseline(mode: 'echo' | 'fanout', pkiDir: string) {
  const child = spawn(process.execPath, [baselineScript, mode, pkiDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve(Number(l))));
  return { child, port, stop: () => child.kill('SIGTERM') };
}

/** Creates `total` pods with 50 concurrent clients while one more client GETs a pod in a loop. */
async function createLoad(client: Client, path: string, total: number, getPath?: string, namespace = 'default'): Promise<{ perSecond: number; getP99: number }> {
  const gets: number[] = [];
  let done = false;
  const getter = (async () => {
    if (!getPath) return;
    while (!done) {
      const t = performance.now();
      await client.call('GET', getPath);
      gets.push(performance.now() - t);
    }
  })();
  const perSecond = await rate(total, 50, async (i) => {
    const res = await client.call('POST', path, pod(i, namespace));
    if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.body.slice(0, 300)}`);
  });
  done = true;
  await getter;
  return { perSecond, getP99: percentile(gets, 99) };
}

/** Opens `count` watch streams; resolves with per-line delivery latencies (ms) once `events` arrived on each. */
function watchers(open: () => Promise<NodeJS.ReadableStream>, count: number, events: number): { ready: Promise<void>; done: Promise<number[]> } {
  const latencies: number[] = [];
  let opened = 0;
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const done = Promise.all(
    Array.from({ length: count }, async () => {
      const stream = await open();
      if (++opened === count) readyResolve();
      let seen = 0;
      let buf = '';
      for await (const chunk of stream) {
        buf += (chunk as Buffer).toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const m = /"sent":"?([\d.]+)/.exec(line);
          if (!m) continue;
          latencies.push(performance.timeOrigin + performance.now() - Number(m[1]));
          if (++seen >= events) return;
        }
      }
    }),
  ).then(() => latencies);
  return { ready, done };
}

async function skiffFanout(client: Client, count: number, events: number, perSecond: number): Promise<number[]> {
  const path = '/api/v1/namespaces/default/configmaps?watch=true&labelSelector=fanout%3Dyes';
  const w = watchers(
    () =>
      new Promise((resolve, reject) => {
        const req = request({ host: client.url.hostname, port: client.url.port, path, agent: client.agent }, (res) => resolve(res));
        req.on('error', reject);
        req.end();
      }),
    count,
    events,
  );
  await w.ready;
  const pad = 'x'.repeat(2900);
  for (let i = 0; i < events; i++) {
    const started = performance.now();
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `fan-${i}`, labels: { fanout: 'yes' }, annotations: { sent: String(performance.timeOrigin + performance.now()) } },
      data: { pad },
    });
    await client.call('POST', '/api/v1/namespaces/default/configmaps', body);
    const wait = 1000 / perSecond - (performance.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return w.done;
}

async function rawFanout(pkiDir: string, count: number, events: number, perSecond: number): Promise<number[]> {
  const server = await startBaseline('fanout', pkiDir);
  try {
    const w = watchers(
      () =>
        new Promise((resolve, reject) => {
          const s = connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false }, () => resolve(s));
          s.on('error', reject);
        }),
      count,
      events,
    );
    await w.ready;
    server.child.stdin!.write(`${events} ${perSecond}\n`);
    return await w.done;
  } finally {
    server.stop();
  }
}

export async function apiBenchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-api-'));
  const rows: Row[] = [];
  const running: { stop(): unknown }[] = [];
  try {
    const empty = await startSkiff(join(dir, 'a'));
    running.push(empty);
    rows.push({ metric: 'cold start to /readyz, empty, ms', figure: fmt(empty.startMs), target: '≤ 1,000' });
    rows.push({ metric: 'idle RSS after start, MB', figure: fmt(empty.rssMb()), target: '≤ 150' });
    const client = adminClient(join(dir, 'a', 'kubeconfig.yaml'), 60);
    const echo = await startBaseline('echo', join(dir, 'a', 'pki'));
    running.push(echo);
    const echoClient = adminClient(join(dir, 'a', 'kubeconfig.yaml'), 60, `https://127.0.0.1:${echo.port}`);
    const echoRate = (await createLoad(echoClient, '/echo', 10_000)).perSecond;
    echoClient.agent.destroy();
    echo.stop();
    await client.call('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'warm' } }));
    // No controller-manager runs here to create the namespaces' default ServiceAccount, which Pods need (admission).
    for (const ns of ['warm', 'default']) await client.call('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, JSON.stringify({ metadata: { name: 'default' } }));
    await createLoad(client, '/api/v1/namespaces/warm/pods', 2000, undefined, 'warm');
    await client.call('POST', '/api/v1/namespaces/default/pods', pod(-1));
    const load = await createLoad(client, '/api/v1/namespaces/default/pods', 10_000, '/api/v1/namespaces/default/pods/bench--1');
    rows.push({ metric: 'pod creates/s, 50 clients', figure: fmt(load.perSecond), baseline: `${fmt(echoRate)} (HTTPS parse+echo)`, ratio: `${fmt(load.perSecond / echoRate, 2)}×`, target: '≥ 0.4× and ≥ 2,000/s' });
    rows.push({ metric: 'GET p99 under that load, ms', figure: fmt(load.getP99, 2), target: '≤ 10' });
    const lists: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const res = await client.call('GET', '/api/v1/namespaces/default/pods');
      lists.push(performance.now() - t);
      if (!res.body.includes('"bench-9999"')) throw new Error('list is missing pods');
    }
    rows.push({ metric: 'LIST 10,000 pods, ms (p50 / max)', figure: `${fmt(percentile(lists, 50))} / ${fmt(Math.max(...lists))}`, target: '≤ 250' });
    client.agent.destroy();

    const fanClient = adminClient(join(dir, 'a', 'kubeconfig.yaml'), 1100);
    const skiffLat = await skiffFanout(fanClient, 1000, 250, 50);
    fanClient.agent.destroy();
    const rawLat = await rawFanout(join(dir, 'a', 'pki'), 1000, 250, 50);
    const s99 = percentile(skiffLat, 99);
    const r99 = percentile(rawLat, 99);
    rows.push({
      metric: 'watch delivery, 1,000 watchers × 50 events/s, ms (p50 / p99)',
      figure: `${fmt(percentile(skiffLat, 50), 1)} / ${fmt(s99, 1)}`,
      baseline: `${fmt(percentile(rawLat, 50), 1)} / ${fmt(r99, 1)} (raw TLS fan-out)`,
      ratio: `${fmt(s99 / r99, 2)}× (p99)`,
      target: 'p99 ≤ 1.5×',
    });
    await empty.stop();
    const full = await startSkiff(join(dir, 'a'));
    running.push(full);
    rows.push({ metric: 'cold start to /readyz with 12,000 pods stored, ms', figure: fmt(full.startMs), target: '≤ 3,000' });
    rows.push({ metric: 'RSS after that start, MB', figure: fmt(full.rssMb()) });
    await full.stop();
    printTable('API server on SQLite over HTTPS', rows);
  } finally {
    for (const r of running) r.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
