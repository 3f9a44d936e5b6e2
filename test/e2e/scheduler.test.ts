// Step 9 of the seed: `skiff scheduler` (a real process, over HTTPS) binds Pods to Nodes created with real kubectl,
// as upstream's default profile would, and reports what does not fit in upstream's words.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event as CoreEvent, Pod } from 'kubernetes-types/core/v1.js';
import { Http2Transport, InformerFactory, loadClientConfig, RestClient, type ResourceClient } from '../../src/client/index.js';
import { realClock } from '../../src/lib/index.js';
import { startControllerManager, startScheduler, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const manifest = new URL('../../../examples/replicaset.yaml', import.meta.url).pathname;

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function nodeYaml(name: string, opts: { cpu?: string; labels?: Record<string, string>; taint?: string } = {}): string {
  const labels = Object.entries({ 'kubernetes.io/hostname': name, ...opts.labels }).map(([k, v]) => `    ${k}: "${v}"`).join('\n');
  const taints = opts.taint ? `spec:\n  taints:\n  - ${opts.taint}\n` : '';
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
${labels}
${taints}status:
  capacity: {cpu: "${opts.cpu ?? '2'}", memory: 4Gi, pods: "110"}
  allocatable: {cpu: "${opts.cpu ?? '2'}", memory: 4Gi, pods: "110"}
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady, message: ready}
---
`;
}

function podYaml(name: string, ns: string, spec: string, container = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${spec}
  containers:
  - name: c
    image: nginx
${container}`;
}

interface Cluster {
  server: SkiffProcess;
  client: RestClient;
  pods: ResourceClient<Pod>;
  events: ResourceClient<CoreEvent>;
  stop(): Promise<void>;
}

async function startCluster(): Promise<Cluster> {
  const server = await startApiserver();
  const transport = new Http2Transport(loadClientConfig(server.kubeconfig));
  const client = new RestClient(transport);
  return {
    server,
    client,
    pods: client.kind<Pod>('v1', 'Pod'),
    events: client.kind<CoreEvent>('v1', 'Event'),
    async stop() {
      transport.close();
      await server.stop();
    },
  };
}

async function nodeOf(c: Cluster, ns: string, name: string): Promise<string | undefined> {
  return (await c.pods.get(ns, name)).spec?.nodeName;
}

async function boundTo(c: Cluster, ns: string, name: string): Promise<string> {
  await until(`${ns}/${name} bound`, async () => (await nodeOf(c, ns, name)) !== undefined);
  return (await nodeOf(c, ns, name)) ?? '';
}

async function failedMessage(c: Cluster, ns: string, name: string): Promise<string> {
  let message = '';
  await until(`a FailedScheduling event for ${name}`, async () => {
    const evs = (await c.events.list(ns, { fieldSelector: `involvedObject.name=${name},reason=FailedScheduling` })).items;
    message = evs.at(-1)?.message ?? '';
    return message !== '';
  });
  return message;
}

for (const version of ['1.27', '1.33']) {
  describe(`the scheduler with kubectl ${version}`, { skip: kubectlSkipReason(version) }, () => {
    let c: Cluster;
    let scheduler: ComponentProcess;
    let cm: ComponentProcess;
    let k: Kubectl;
    before(async () => {
      c = await startCluster();
      k = kubectl(version, c.server.kubeconfig);
      await k.ok(['create', '-f', '-'], {
        input:
          nodeYaml('n1', { labels: { disk: 'ssd', zone: 'a' } }) +
          nodeYaml('n2', { labels: { disk: 'hdd', zone: 'b' } }) +
          nodeYaml('n3', { labels: { disk: 'ssd', zone: 'c' }, taint: '{key: dedicated, value: gpu, effect: NoSchedule}' }),
      });
      scheduler = await startScheduler(c.server.dataDir);
      cm = await startControllerManager(c.server.dataDir);
    });
    after(async () => {
      await cm?.stop();
      await scheduler?.stop();
      k?.cleanup();
      await c?.stop();
    });

    test("the seed's two Pods get a node and one Scheduled event each", async () => {
      await k.ok(['create', '-f', manifest]);
      let pods: Pod[] = [];
      await until('two bound Pods', async () => {
        pods = (await c.pods.list('default', { labelSelector: 'app=my-app' })).items;
        return pods.length === 2 && pods.every((p) => p.spec?.nodeName);
      });
      for (const p of pods) assert.notEqual(p.spec?.nodeName, 'n3', 'n3 is tainted');
      await until('two Scheduled events', async () => (await c.events.list('default', { fieldSelector: 'reason=Scheduled' })).items.length === 2);
      const events = (await c.events.list('default', { fieldSelector: 'reason=Scheduled' })).items;
      assert.deepEqual(
        events.map((e) => e.message).sort(),
        pods.map((p) => `Successfully assigned default/${p.metadata?.name} to ${p.spec?.nodeName}`).sort(),
      );
      for (const e of events) assert.equal(e.source?.component, 'default-scheduler');
      const wide = await k.ok(['get', 'pods', '-o', 'wide']);
      assert.match(wide, /my-replicaset-\S+\s+0\/1\s+Pending\s+0\s+\S+\s+\S+\s+n[12]\s/);
    });

    test('a Pod asking for more cpu than any node has stays Pending until a big enough node is added', async () => {
      await k.ok(['create', 'namespace', 'big']);
      await k.ok(['create', '-f', '-'], { input: podYaml('huge', 'big', '  priority: 0', '    resources: {requests: {cpu: "8"}}\n') });
      const message = await failedMessage(c, 'big', 'huge');
      assert.equal(
        message,
        '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
      );
      await until('the PodScheduled condition', async () => {
        const cond = (await c.pods.get('big', 'huge')).status?.conditions?.find((x) => x.type === 'PodScheduled');
        return cond?.status === 'False' && cond.reason === 'Unschedulable' && cond.message === message;
      });
      assert.match(await k.ok(['-n', 'big', 'describe', 'pod', 'huge']), /FailedScheduling\s+\S+\s+default-scheduler\s+0\/3 nodes are available/);
      await k.ok(['create', '-f', '-'], { input: nodeYaml('big', { cpu: '16', labels: { zone: 'big' } }) });
      assert.equal(await boundTo(c, 'big', 'huge'), 'big');
      await k.ok(['delete', 'namespace', 'big', '--wait=false']);
      await k.ok(['delete', 'pod', '-n', 'big', 'huge', '--grace-period=0', '--force']).catch(() => '');
      await k.ok(['delete', 'node', 'big']);
    });

    test('nodeSelector, required node affinity, taints and host ports keep Pods off the wrong nodes; cordon is honoured', async () => {
      const ns = 'rules';
      await k.ok(['create', 'namespace', ns]);
      await k.ok(['create', '-f', '-'], {
        input: [
          podYaml('hdd', ns, '  nodeSelector: {disk: hdd}'),
          podYaml('not-ssd', ns, '  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: zone, operator: In, values: [a]}'),
          podYaml('gpu', ns, '  nodeSelector: {zone: c}\n  tolerations:\n  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}'),
          podYaml('no-toleration', ns, '  nodeSelector: {zone: c}'),
        ].join('---\n'),
      });
      assert.equal(await boundTo(c, ns, 'hdd'), 'n2');
      assert.equal(await boundTo(c, ns, 'not-ssd'), 'n1');
      assert.equal(await boundTo(c, ns, 'gpu'), 'n3');
      assert.equal(
        await failedMessage(c, ns, 'no-toleration'),
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
      );
      const port = '    ports:\n    - {containerPort: 80, hostPort: 8080}\n';
      await k.ok(['create', '-f', '-'], { input: podYaml('port-1', ns, '  nodeSelector: {zone: a}', port) });
      assert.equal(await boundTo(c, ns, 'port-1'), 'n1');
      await k.ok(['create', '-f', '-'], { input: podYaml('port-2', ns, '  nodeSelector: {disk: ssd}', port) });
      assert.match(await failedMessage(c, ns, 'port-2'), /^0\/3 nodes are available: 1 node\(s\) didn't have free ports for the requested pod ports, 1 node\(s\) didn't match Pod's node affinity\/selector, 1 node\(s\) had untolerated taint \{dedicated: gpu\}\./);
      await k.ok(['create', '-f', '-'], { input: podYaml('port-other', ns, '  nodeSelector: {zone: b}', port) });
      assert.equal(await boundTo(c, ns, 'port-other'), 'n2', 'the same host port is free on another node');

      await k.ok(['cordon', 'n2']);
      await k.ok(['create', '-f', '-'], { input: podYaml('cordoned', ns, '  nodeSelector: {disk: hdd}') });
      assert.match(await failedMessage(c, ns, 'cordoned'), /^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 1 node\(s\) were unschedulable, 1 node\(s\) didn't match Pod's node affinity\/selector\.|^0\/3 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector, 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 1 node\(s\) were unschedulable\./);
      await k.ok(['uncordon', 'n2']);
      assert.equal(await boundTo(c, ns, 'cordoned'), 'n2', 'bound once the node is uncordoned');
    });

    test('preferred node affinity places a Pod as the scores predict', async () => {
      const ns = 'prefer';
      await k.ok(['create', 'namespace', ns]);
      await k.ok(['create', '-f', '-'], {
        input: podYaml('likes-b', ns, '  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 50\n        preference:\n          matchExpressions:\n          - {key: zone, operator: In, values: [b]}'),
      });
      assert.equal(await boundTo(c, ns, 'likes-b'), 'n2');
    });

    test('a high-priority Pod preempts a low-priority one on a full node', async () => {
      const ns = 'preempt';
      await k.ok(['create', 'namespace', ns]);
      const cpu = '    resources: {requests: {cpu: 1500m}}\n';
      // Priorities come from PriorityClasses (the Priority admission plugin refuses a Pod that states one itself).
      for (const [name, value] of [['low-priority', 1], ['high-priority', 1000]] as const) {
        const r = await k.run(['create', 'priorityclass', name, `--value=${value}`]);
        assert.ok(r.code === 0 || /AlreadyExists/.test(r.stderr), r.stderr);
      }
      await k.ok(['create', '-f', '-'], { input: podYaml('low', ns, '  nodeSelector: {zone: b}\n  priorityClassName: low-priority\n  terminationGracePeriodSeconds: 0', cpu) });
      assert.equal(await boundTo(c, ns, 'low'), 'n2');
      const low = await c.pods.get(ns, 'low');
      await k.ok(['create', '-f', '-'], { input: podYaml('high', ns, '  nodeSelector: {zone: b}\n  priorityClassName: high-priority', cpu) });
      assert.equal(await boundTo(c, ns, 'high'), 'n2');
      await until('the victim gone', async () => (await c.pods.list(ns)).items.every((p) => p.metadata?.name !== 'low'));
      const preempted = (await c.events.list(ns, { fieldSelector: 'reason=Preempted' })).items;
      assert.deepEqual(
        preempted.map((e) => [e.involvedObject.name, e.message]),
        [['low', `Preempted by pod ${(await c.pods.get(ns, 'high')).metadata?.uid} on node n2`]],
      );
      assert.ok(low.metadata?.uid);
      const failed = await failedMessage(c, ns, 'high');
      assert.equal(failed, "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}.");
    });
  });
}

describe('the scheduler stopped while 500 Pods are pending, then restarted', { skip: kubectlSkipReason('1.33') }, () => {
  let c: Cluster;
  const schedulers: ComponentProcess[] = [];
  before(async () => {
    c = await startCluster();
  });
  after(async () => {
    for (const s of schedulers) await s.stop();
    await c?.stop();
  });

  test('every Pod is bound once, with no binding answered 409 and exactly one Scheduled event each', async () => {
    const k = kubectl('1.33', c.server.kubeconfig);
    try {
      await k.ok(['create', '-f', '-'], { input: ['a', 'b', 'c'].map((n) => nodeYaml(`node-${n}`, { cpu: '64' })).join('').replace(/pods: "110"/g, 'pods: "1000"') });
      await k.ok(['create', 'namespace', 'many']);
    } finally {
      k.cleanup();
    }
    const total = 500;
    let next = 0;
    const create = async () => {
      for (let i = next++; i < total; i = next++) {
        await c.pods.create('many', { metadata: { name: `p-${i}` }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '10m' } } }] } });
      }
    };
    await Promise.all(Array.from({ length: 20 }, create));
    const bound = async () => (await c.pods.list('many')).items.filter((p) => p.spec?.nodeName).length;
    const ac = new AbortController();
    const informers = new InformerFactory(c.client, { clock: realClock });
    const informer = informers.informer<Pod>(c.pods.type, { namespace: 'many' });
    // Rate-limited so that most Pods are still pending (or their bindings in flight) when it is stopped.
    const first = await startScheduler(c.server.dataDir, ['--kube-api-qps', '50', '--kube-api-burst', '50']);
    schedulers.push(first);
    let killed = false;
    informer.addEventHandler({
      onUpdate: () => {
        if (!killed && informer.store.list().filter((p) => p.spec?.nodeName).length >= 20) {
          killed = true;
          first.kill('SIGTERM');
        }
      },
    });
    informers.start(ac.signal);
    await until('the first 20 bindings', () => killed, 30_000);
    await first.exited;
    ac.abort();
    await informers.stopped();
    const boundAtStop = await bound();
    assert.ok(boundAtStop < total, `stopped with ${total - boundAtStop} Pods pending`);
    const second = await startScheduler(c.server.dataDir);
    schedulers.push(second);
    await until('all 500 Pods bound', async () => (await bound()) === total, 60_000);
    const pods = (await c.pods.list('many')).items;
    await until('500 Scheduled events', async () => (await c.events.list('many', { fieldSelector: 'reason=Scheduled' })).items.length >= total, 30_000);
    const events = (await c.events.list('many', { fieldSelector: 'reason=Scheduled' })).items;
    const perPod = new Map<string, number>();
    for (const e of events) perPod.set(e.involvedObject.name ?? '', (perPod.get(e.involvedObject.name ?? '') ?? 0) + (e.count ?? 1));
    for (const p of pods) {
      assert.equal(perPod.get(p.metadata?.name ?? ''), 1, `one Scheduled event for ${p.metadata?.name}`);
      const e = events.find((x) => x.involvedObject.name === p.metadata?.name);
      assert.equal(e?.message, `Successfully assigned many/${p.metadata?.name} to ${p.spec?.nodeName}`);
    }
    assert.equal(events.length, total);
    for (const s of schedulers) assert.doesNotMatch(s.output(), /binding \S+ to \S+:/, 'no binding was refused');
  });
});
