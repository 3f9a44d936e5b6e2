// npm run bench -- scheduler: the scheduler and the API server in one process on SQLite (as in `skiff server`). N Nodes
// are created, then M Pods; the figure is Pods bound per second from the first create to the last binding seen. The
// baseline, in the same run and on the same nodes, binds the same number of Pods round-robin with no plugins at all.
// Each is warmed up first with 2,000 Pods of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Binding, Node, Pod } from 'kubernetes-types/core/v1.js';
import { ApiServer } from '../src/apiserver/index.js';
import { inProcessTransport } from '../src/cli/in-process-transport.js';
import { InformerFactory, RestClient } from '../src/client/index.js';
import { realClock } from '../src/lib/index.js';
import { Scheduler } from '../src/scheduler/index.js';
import { SqliteStorage } from '../src/storage/index.js';
import { fmt, printTable, rate, type Row } from './stats.js';
import { createNamespaceAndAccount } from './namespaces.js';

const podSpec: Pod['spec'] = {
  containers: [{ name: 'app', image: 'registry.example/app:1.2.3', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
};

async function createNodes(client: RestClient, n: number): Promise<void> {
  const nodes = client.kind<Node>('v1', 'Node');
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  await rate(n, 100, (i) =>
    nodes.create('', {
      metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': zones[i % 3] ?? '' } },
      status: { allocatable: { cpu: '32', memory: '128Gi', pods: '110' }, capacity: { cpu: '32', memory: '128Gi', pods: '110' } },
    }),
  );
}

/** Creates `total` Pods in `namespace` and resolves with Pods bound per second, first create to last binding. */
async function createAndWaitBound(client: RestClient, namespace: string, total: number): Promise<number> {
  await createNamespaceAndAccount(client, namespace);
  const ac = new AbortController();
  const informers = new InformerFactory(client, { clock: realClock });
  const informer = informers.informer<Pod>(client.kind<Pod>('v1', 'Pod').type, { namespace });
  let bound = 0;
  let done: () => void = () => {};
  const allBound = new Promise<void>((resolve) => (done = resolve));
  informer.addEventHandler({
    onUpdate: (old, cur) => {
      if (!old.spec?.nodeName && cur.spec?.nodeName && ++bound === total) done();
    },
  });
  informers.start(ac.signal);
  await informer.whenSynced(ac.signal);
  const pods = client.kind<Pod>('v1', 'Pod');
  const started = performance.now();
  await rate(total, 100, (i) => pods.create(namespace, { metadata: { name: `p-${i}`, labels: { app: 'bench' } }, spec: podSpec }));
  const deadline = setTimeout(() => done(), 600_000);
  await allBound;
  clearTimeout(deadline);
  const elapsed = performance.now() - started;
  ac.abort();
  await informers.stopped();
  if (bound < total) throw new Error(`only ${bound}/${total} Pods bound within 10 minutes`);
  return total / (elapsed / 1000);
}

/** The baseline: binds every unbound Pod of the namespace to the next node, round-robin, without any plugin. */
function trivialBinder(client: RestClient, namespace: string, nodes: number, signal: AbortSignal): InformerFactory {
  const informers = new InformerFactory(client, { clock: realClock });
  const pods = client.kind<Pod>('v1', 'Pod');
  const informer = informers.informer<Pod>(pods.type, { namespace });
  let next = 0;
  const bind = (pod: Pod) => {
    if (pod.spec?.nodeName) return;
    const target = `node-${next++ % nodes}`;
    const binding: Binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata?.name, namespace }, target: { kind: 'Node', name: target } };
    pods.createSubresource(namespace, pod.metadata?.name ?? '', 'binding', binding).catch((err: unknown) => console.error(`bind: ${String(err)}`));
  };
  informer.addEventHandler({ onAdd: (pod) => bind(pod) });
  informers.start(signal);
  return informers;
}

async function scenario(nodes: number, pods: number, rows: Row[], floor: { perSecond: number; ratio?: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-scheduler-'));
  const storage = SqliteStorage.open({ path: join(dir, 'state.db') });
  const server = new ApiServer({ dataDir: dir, storage, port: 0, log: (m) => console.error(m) });
  try {
    await server.start();
    await server.ready();
    const admin = new RestClient(inProcessTransport(server.inProcess({ username: 'bench', groups: ['system:masters', 'system:authenticated'] })));
    const schedulerClient = new RestClient(inProcessTransport(server.inProcess({ username: 'system:kube-scheduler', groups: ['system:authenticated'] })));
    await createNodes(admin, nodes);

    const ac = new AbortController();
    const scheduler = new Scheduler({ client: schedulerClient, clock: realClock, log: () => {} });
    const running = scheduler.run(ac.signal);
    await createAndWaitBound(admin, 'warm-scheduled', 2000);
    const figure = await createAndWaitBound(admin, 'scheduled', pods);
    ac.abort();
    await running;

    const trivial = new AbortController();
    const warm = trivialBinder(schedulerClient, 'warm-trivial', nodes, trivial.signal);
    await createAndWaitBound(admin, 'warm-trivial', 2000);
    const binder = trivialBinder(schedulerClient, 'trivial', nodes, trivial.signal);
    const baseline = await createAndWaitBound(admin, 'trivial', pods);
    trivial.abort();
    await binder.stopped();
    await warm.stopped();

    const ratio = figure / baseline;
    rows.push({
      metric: `${fmt(nodes)} nodes, ${fmt(pods)} Pods: Pods bound/s, first create to last bind`,
      figure: `${fmt(figure)}/s`,
      baseline: `${fmt(baseline)}/s (round-robin binder, no plugins)`,
      ratio: `${fmt(ratio, 2)}×`,
      target: `≥ ${fmt(floor.perSecond)}/s${floor.ratio ? ` and ≥ ${floor.ratio}×` : ''}`,
    });
  } finally {
    await server.stop();
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function schedulerBenchmark(): Promise<void> {
  const rows: Row[] = [];
  await scenario(1000, 10_000, rows, { perSecond: 500, ratio: 0.5 });
  await scenario(5000, 10_000, rows, { perSecond: 270 });
  printTable('Scheduler and API server in one process on SQLite', rows);
}
