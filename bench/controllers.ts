// npm run bench -- controllers: the ReplicaSet controller and the API server in one process on SQLite (as in
// `skiff server`, Pods never scheduled), next to the raw pod-create rate of the same API measured in the same run
// through the same client while the controller-manager (and its Pod informer) runs: after a warm-up of both paths,
// raw creates, a ReplicaSet scaled 0 → 10,000, five scaled 0 → 1,000 (their median is the figure), raw creates again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { ApiServer } from '../src/apiserver/index.js';
import { inProcessTransport } from '../src/cli/in-process-transport.js';
import { RestClient } from '../src/client/index.js';
import { ControllerManager } from '../src/controllers/index.js';
import { realClock } from '../src/lib/index.js';
import { SqliteStorage } from '../src/storage/index.js';
import { createNamespace } from './namespaces.js';
import { fmt, percentile, printTable, rate, type Row } from './stats.js';

const template: PodTemplateSpec = {
  metadata: { labels: { app: 'bench' } },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'registry.example/app:1.2.3',
        ports: [{ containerPort: 8080, name: 'http' }],
        env: [{ name: 'MODE', value: 'production' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      },
    ],
  },
};

/**
 * Creates `total` Pods from the template through `client` (in a namespace `admin` creates), `concurrency` at a time;
 * returns Pods per second.
 */
async function rawCreates(admin: RestClient, client: RestClient, namespace: string, total: number, concurrency: number): Promise<number> {
  const pods = client.kind<Pod>('v1', 'Pod');
  await createNamespace(admin, namespace);
  return rate(total, concurrency, (i) => pods.create(namespace, { metadata: { name: `raw-${i}`, labels: template.metadata?.labels }, spec: template.spec }));
}

/** Scales a ReplicaSet from 0 to `replicas` as a user; resolves with the milliseconds until status.replicas equals it. */
async function scaleUp(admin: RestClient, namespace: string, replicas: number): Promise<number> {
  const sets = admin.kind<ReplicaSet>('apps/v1', 'ReplicaSet');
  await createNamespace(admin, namespace);
  const rs = await sets.create(namespace, { metadata: { name: 'bench' }, spec: { replicas: 0, selector: { matchLabels: { app: 'bench' } }, template } });
  const ac = new AbortController();
  const deadline = setTimeout(() => ac.abort(), 600_000);
  let started = 0;
  try {
    const events = sets.watch(namespace, { resourceVersion: rs.metadata?.resourceVersion, fieldSelector: 'metadata.name=bench' }, ac.signal);
    for await (const ev of events) {
      const status = ev.object.status;
      if (started === 0 && status?.observedGeneration === 1) {
        started = performance.now();
        await sets.patch(namespace, 'bench', 'merge', { spec: { replicas } });
      } else if (started > 0 && status?.replicas === replicas) {
        return performance.now() - started;
      }
    }
  } finally {
    clearTimeout(deadline);
    ac.abort();
  }
  throw new Error(`the ReplicaSet did not reach ${replicas} replicas within the deadline`);
}

export async function controllersBenchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-controllers-'));
  const storage = SqliteStorage.open({ path: join(dir, 'state.db') });
  const server = new ApiServer({ dataDir: dir, storage, port: 0, log: (m) => console.error(m) });
  const ac = new AbortController();
  try {
    await server.start();
    await server.ready();
    const client = new RestClient(inProcessTransport(server.inProcess({ username: 'system:kube-controller-manager', groups: ['system:authenticated'] })));
    // Namespaces and ReplicaSets are a user's to create (RBAC); the raw Pod creates use the controller-manager's client.
    const admin = new RestClient(inProcessTransport(server.inProcess({ username: 'bench', groups: ['system:masters', 'system:authenticated'] })));
    // The controller-manager runs during the raw creates too: both figures then pay for its watch of every Pod (as any
    // cluster does), and the ratio is what the controller itself adds: slow start, expectations, events, status.
    const manager = new ControllerManager({ client, clock: realClock, log: (m) => console.error(m) });
    const running = manager.run(ac.signal);
    // Both paths are warmed before anything is measured (2,000 raw creates, four ReplicaSets scaled to 1,000: the
    // ReplicaSet path's code is only fully optimised after a few of them). Every Pod stays, so the heap grows through
    // the run and everything slows with it: the raw rate is measured before and after the ReplicaSets, and the
    // baseline is the mean of the two.
    await rawCreates(admin, client, 'warm', 2000, 100);
    for (let n = 0; n < 4; n++) await scaleUp(admin, `warm-rs-${n}`, 1000);
    const rawBefore = await rawCreates(admin, client, 'raw-before', 10_000, 100);
    // A scale-up to 1,000 lasts ~0.3 s, so one collection landing in it moves it by a tenth or more: that figure is the
    // median of five scale-ups (all printed), each of a new ReplicaSet in its own namespace.
    const measured: { replicas: number; times: number[] }[] = [];
    for (const [replicas, runs] of [
      [10_000, 1],
      [1000, 5],
    ] as const) {
      const times: number[] = [];
      for (let run = 0; run < runs; run++) times.push(await scaleUp(admin, `rs-${replicas}-${run}`, replicas));
      measured.push({ replicas, times });
    }
    const rawAfter = await rawCreates(admin, client, 'raw-after', 10_000, 100);
    const raw = (rawBefore + rawAfter) / 2;
    const rows: Row[] = measured.reverse().map(({ replicas, times }) => {
      const ms = percentile(times, 50);
      const perSecond = replicas / (ms / 1000);
      const each = times.length > 1 ? `, median of ${times.length}: ${times.map((t) => fmt(t / 1000, 2)).join(' ')} s` : '';
      return {
        metric: `ReplicaSet 0 → ${fmt(replicas)}: time to status.replicas, s (Pods/s)`,
        figure: `${fmt(ms / 1000, 2)} (${fmt(perSecond)}/s${each})`,
        baseline: `${fmt(raw)}/s (raw creates, same client, 100 at once, controller-manager watching; ${fmt(rawBefore)}/s before, ${fmt(rawAfter)}/s after)`,
        ratio: `${fmt(perSecond / raw, 2)}×`,
        target: '≥ 0.7×',
      };
    });
    ac.abort();
    await running;
    printTable('ReplicaSet controller and API server in one process on SQLite', rows);
  } finally {
    ac.abort();
    await server.stop();
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
