// npm run bench -- e2e: the whole flow in one `skiff server` process on SQLite with simulated nodes — ReplicaSet →
// Pods → scheduled → Running — measured from the create to every Pod Running as seen by a watch over HTTPS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { Http2Transport, loadClientConfig, RestClient } from '../src/client/index.js';
import { startSkiff, type SkiffUnderTest } from './https-load.js';
import { createNamespace } from './namespaces.js';
import { fmt, percentile, printTable, type Row } from './stats.js';

const container = { name: 'app', image: 'registry.example/app:1.2.3', resources: { requests: { cpu: '10m', memory: '16Mi' } } };

interface Cluster {
  readonly skiff: SkiffUnderTest;
  readonly client: RestClient;
  stop(): Promise<void>;
}

async function startCluster(dir: string, nodes: number): Promise<Cluster> {
  const skiff = await startSkiff(dir, ['--nodes', String(nodes)], 'server');
  const transport = new Http2Transport(loadClientConfig(join(dir, 'kubeconfig.yaml')));
  const client = new RestClient(transport, { maxInflight: 200 });
  // Wait (bounded) until every simulated node is Ready.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = await client.kind<Node>('v1', 'Node').list('');
    const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready >= nodes) break;
    if (Date.now() > deadline) throw new Error(`only ${ready} of ${nodes} nodes Ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    skiff,
    client,
    async stop() {
      transport.close();
      await skiff.stop();
    },
  };
}

/** Watches the namespace's Pods; `running()` resolves once `count` of them are Running, with when each first was. */
function watchRunning(client: RestClient, namespace: string, resourceVersion: string, count: number, timeoutMs: number) {
  const ac = new AbortController();
  const runningAt = new Map<string, number>();
  const done = (async () => {
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      for await (const ev of client.kind<Pod>('v1', 'Pod').watch(namespace, { resourceVersion }, ac.signal)) {
        const name = ev.object.metadata?.name ?? '';
        if (ev.object.status?.phase === 'Running' && !runningAt.has(name)) runningAt.set(name, performance.now());
        if (runningAt.size >= count) break;
      }
    } finally {
      clearTimeout(timer);
      ac.abort();
    }
    if (runningAt.size < count) throw new Error(`${runningAt.size} of ${count} Pods Running within ${timeoutMs} ms`);
    return runningAt;
  })();
  return { done, stop: () => ac.abort() };
}

/** Creates a ReplicaSet of `replicas` and resolves with the milliseconds until all its Pods are Running. */
async function replicaSetToRunning(client: RestClient, namespace: string, replicas: number, timeoutMs: number): Promise<number> {
  await createNamespace(client, namespace);
  const start = await client.kind<Pod>('v1', 'Pod').list(namespace);
  const watch = watchRunning(client, namespace, start.metadata.resourceVersion ?? '0', replicas, timeoutMs);
  const t0 = performance.now();
  await client.kind<ReplicaSet>('apps/v1', 'ReplicaSet').create(namespace, {
    metadata: { name: 'bench' },
    spec: { replicas, selector: { matchLabels: { app: 'bench' } }, template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [container] } } },
  });
  const runningAt = await watch.done;
  return Math.max(...runningAt.values()) - t0;
}

/** Creates bare Pods at `perSecond` for `seconds`; resolves with each Pod's create-to-Running latency (ms). */
async function steadyStartup(client: RestClient, namespace: string, perSecond: number, seconds: number): Promise<number[]> {
  await createNamespace(client, namespace);
  const total = perSecond * seconds;
  const start = await client.kind<Pod>('v1', 'Pod').list(namespace);
  const watch = watchRunning(client, namespace, start.metadata.resourceVersion ?? '0', total, seconds * 1000 + 60_000);
  const sentAt = new Map<string, number>();
  const pods = client.kind<Pod>('v1', 'Pod');
  const t0 = performance.now();
  const creates: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const name = `steady-${i}`;
    sentAt.set(name, performance.now());
    creates.push(pods.create(namespace, { metadata: { name }, spec: { containers: [container] } }));
  }
  await Promise.all(creates);
  const runningAt = await watch.done;
  return [...runningAt].map(([name, at]) => at - (sentAt.get(name) ?? at));
}

export async function e2eBenchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-e2e-'));
  const rows: Row[] = [];
  const push = rows.push.bind(rows);
  rows.push = (...r: Row[]) => {
    for (const row of r) console.error(`e2e: ${row.metric}: ${row.figure}`);
    return push(...r);
  };
  const running: Cluster[] = [];
  try {
    const small = await startCluster(join(dir, 'a'), 3);
    running.push(small);
    rows.push({ metric: 'skiff server start-up to /readyz, 3 nodes, ms', figure: fmt(small.skiff.startMs), target: '≤ 1,000' });
    const seed = await replicaSetToRunning(small.client, 'seed', 2, 30_000);
    rows.push({ metric: "the seed's ReplicaSet (2 replicas) to all Running, s", figure: fmt(seed / 1000, 3), target: '≤ 0.5' });
    await small.stop();
    running.pop();

    const mid = await startCluster(join(dir, 'b'), 100);
    running.push(mid);
    const k1 = await replicaSetToRunning(mid.client, 'rs-1000', 1000, 120_000);
    rows.push({ metric: '1,000 replicas on 100 nodes to all Running, s', figure: fmt(k1 / 1000, 2), target: '≤ 5' });
    const lat = await steadyStartup(mid.client, 'steady', 100, 10);
    rows.push({ metric: 'pod startup latency at 100 Pods/s for 10 s, ms (p50 / p99)', figure: `${fmt(percentile(lat, 50))} / ${fmt(percentile(lat, 99))}`, target: 'p99 ≤ 1,000' });
    await mid.stop();
    running.pop();

    const big = await startCluster(join(dir, 'c'), 1000);
    running.push(big);
    const k10 = await replicaSetToRunning(big.client, 'rs-10000', 10_000, 300_000);
    rows.push({ metric: '10,000 replicas on 1,000 nodes to all Running, s', figure: fmt(k10 / 1000, 1), target: '≤ 40' });
    rows.push({ metric: 'RSS of skiff server with those 10,000 Pods, MB', figure: fmt(big.skiff.rssMb()), target: '≤ 1,024' });
    await big.stop();
    running.pop();
    printTable('The whole flow in one skiff server process (SQLite, simulated nodes)', rows);
  } finally {
    for (const c of running) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
