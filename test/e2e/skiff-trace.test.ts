// `skiff server` as a newcomer runs it, and `skiff trace` on the seed's ReplicaSet: in one process (SQLite, etcd) and as
// four separate component processes; a restart on the same data dir keeps everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startControllerManager, startKubelet, startScheduler, type ComponentProcess } from '../support/component-process.js';
import { etcdSkipReason, startEtcd } from '../support/etcd-server.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver } from '../support/skiff-process.js';

const skiffBin = new URL('../../../bin/skiff', import.meta.url).pathname;
const manifest = new URL('../../../examples/replicaset.yaml', import.meta.url).pathname;
const run = promisify(execFile);

interface PodView {
  name: string;
  uid: string;
  phase: string;
  node: string;
}

async function pods(k: Kubectl): Promise<PodView[]> {
  const out = await k.ok(['get', 'pods', '-l', 'app=my-app', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.uid} {.status.phase} {.spec.nodeName}{"\\n"}{end}']);
  return out.trim().split('\n').filter((l) => l !== '').map((l) => {
    const [name = '', uid = '', phase = '', node = ''] = l.split(' ');
    return { name, uid, phase, node };
  });
}

/** Polls (bounded by the deadline) until both Pods are Running; returns them and the time since `since`. */
async function bothRunning(k: Kubectl, since: number, deadlineMs = 15_000): Promise<{ pods: PodView[]; ms: number }> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const seen = await pods(k);
    if (seen.length === 2 && seen.every((p) => p.phase === 'Running')) return { pods: seen, ms: Date.now() - since };
    if (Date.now() > deadline) assert.fail(`the Pods were not Running within ${deadlineMs} ms: ${JSON.stringify(seen)}`);
  }
}

async function trace(kubeconfig: string, extra: readonly string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, [skiffBin, 'trace', 'rs/my-replicaset', '--kubeconfig', kubeconfig, ...extra], { timeout: 20_000 });
  return stdout;
}

/** The text timeline: steps 1–12 in order, each with at least one timed line. */
function assertSteps(text: string): void {
  assert.match(text, /^Step 0, before it: every component lists, then watches/m, text);
  const steps = [...text.matchAll(/^Step (\d+)\./gm)].map((m) => Number(m[1]));
  assert.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], text);
  const blocks = text.split(/^Step \d+\./m).slice(2);
  for (const [i, block] of blocks.entries()) assert.match(block, /^ {4}\d\d:\d\d:\d\d\.\d{6} /m, `step ${i + 1} has no timed line:\n${text}`);
  assert.match(text, /kubectl POST \/apis\/apps\/v1\/namespaces\/default\/replicasets/);
  assert.match(text, /kube-controller-manager POST \/api\/v1\/namespaces\/default\/pods/);
  assert.match(text, /kube-scheduler POST \/api\/v1\/namespaces\/default\/pods\/my-replicaset-\S+\/binding → bound to node-\d/);
  assert.match(text, /delivered to node-\d's kubelet/);
  assert.match(text, /container started, status Running/);
  assert.match(text, /\+\d+\.\d{3} ms/);
}

const podCreates = (dataDir: string) =>
  readFileSync(join(dataDir, 'audit.log'), 'utf8').split('\n').filter((l) => l.includes('"stage":"ResponseComplete"') && l.includes('"verb":"create"') && l.includes('"resource":"pods"') && !l.includes('"subresource"')).length;

test('skiff server: kubeconfig only once ready, the seed\'s Pods Running within 2 s, skiff trace steps 1–12 (text and JSON), and a restart keeps the same Pods', { skip: kubectlSkipReason('1.33') }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-trace-'));
  // A stale kubeconfig from an earlier run must not be taken for a running server.
  writeFileSync(join(dataDir, 'kubeconfig.yaml'), 'stale: true\n');
  let server = await startApiserver({ command: 'server', dataDir });
  const k = kubectl('1.33', server.kubeconfig);
  try {
    assert.match(server.output(), /starting storage[\s\S]*API server ready[\s\S]*controller-manager and the scheduler[\s\S]*3 simulated kubelet\(s\): node-1 … node-3[\s\S]*export KUBECONFIG=/);
    assert.doesNotMatch(readFileSync(server.kubeconfig, 'utf8'), /stale/);
    const start = Date.now();
    assert.match(await k.ok(['create', '-f', manifest]), /replicaset.apps\/my-replicaset created/);
    const first = await bothRunning(k, start);
    assert.ok(first.ms < 2000, `both Pods Running after ${first.ms} ms`);
    for (const p of first.pods) assert.match(p.node, /^node-[123]$/);

    const text = await trace(server.kubeconfig);
    assertSteps(text);
    const json = JSON.parse(await trace(server.kubeconfig, ['-o', 'json'])) as { items: { kind: string; subject: { resource: string; name: string; uid?: string }; records: { type: string }[] }[] };
    assert.equal(json.items.length, 3);
    assert.ok(json.items.every((t) => t.kind === 'Trace' && t.records.length > 0));
    assert.deepEqual(json.items.map((t) => t.subject.resource), ['replicasets', 'pods', 'pods']);
    assert.deepEqual(json.items.slice(1).map((t) => t.subject.name).sort(), first.pods.map((p) => p.name).sort());
    // The resource is served like any other: discoverable, read-only.
    assert.match(await k.ok(['api-resources', '--api-group=trace.skiff.dev']), /traces\s+trace\.skiff\.dev\/v1alpha1\s+true\s+Trace/);
    assert.match(await k.ok(['get', '--raw', '/apis/trace.skiff.dev/v1alpha1/namespaces/default/traces/replicasets.my-replicaset']), /"kind":"Trace"/);
    const del = await k.run(['delete', '--raw', '/apis/trace.skiff.dev/v1alpha1/namespaces/default/traces/replicasets.my-replicaset']);
    assert.notEqual(del.code, 0);
    assert.match(del.stderr, /MethodNotAllowed|not allowed|405/i);

    const createsBefore = podCreates(dataDir);
    assert.equal(createsBefore, 2);
    await server.stop();
    server = await startApiserver({ command: 'server', dataDir });
    const again = kubectl('1.33', server.kubeconfig);
    try {
      assert.match(await again.ok(['get', 'rs', 'my-replicaset', '-o', 'jsonpath={.spec.replicas}']), /^2$/);
      const after = await bothRunning(again, Date.now());
      const byName = (ps: PodView[]) => ps.map((p) => `${p.name} ${p.uid}`).sort();
      assert.deepEqual(byName(after.pods), byName(first.pods));
      await again.ok(['wait', '--for=jsonpath={.status.readyReplicas}=2', 'rs/my-replicaset', '--timeout=20s']);
      assert.deepEqual(byName(await pods(again)), byName(first.pods));
      assert.equal(podCreates(dataDir), createsBefore);
    } finally {
      again.cleanup();
    }
  } finally {
    k.cleanup();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('skiff server --storage etcd: the seed and skiff trace', { skip: kubectlSkipReason('1.33') ?? etcdSkipReason() }, async () => {
  const etcd = await startEtcd();
  const server = await startApiserver({ command: 'server', storage: 'etcd', etcdEndpoint: etcd.endpoint });
  const k = kubectl('1.33', server.kubeconfig);
  try {
    const start = Date.now();
    await k.ok(['create', '-f', manifest]);
    const { ms } = await bothRunning(k, start);
    assert.ok(ms < 2000, `both Pods Running after ${ms} ms`);
    assertSteps(await trace(server.kubeconfig));
  } finally {
    k.cleanup();
    await server.stop();
    await etcd.stop();
  }
});

test('the four components as separate processes: the seed and skiff trace', { skip: kubectlSkipReason('1.33') }, async () => {
  const server = await startApiserver();
  const components: ComponentProcess[] = [];
  const k = kubectl('1.33', server.kubeconfig);
  try {
    components.push(await startControllerManager(server.dataDir), await startScheduler(server.dataDir));
    for (const node of ['node-1', 'node-2']) components.push(await startKubelet(server.dataDir, node));
    const start = Date.now();
    await k.ok(['create', '-f', manifest]);
    const { ms } = await bothRunning(k, start);
    assert.ok(ms < 2000, `both Pods Running after ${ms} ms`);
    assertSteps(await trace(server.kubeconfig));
  } finally {
    k.cleanup();
    for (const c of components) await c.stop();
    await server.stop();
  }
});
