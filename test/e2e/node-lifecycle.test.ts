// Node failure: a killed kubelet's node becomes Ready=Unknown with the unreachable taints, its Pods are evicted after
// their (admission-defaulted) tolerationSeconds and the ReplicaSet's replacements run on the other node; the Pod GC
// deletes Pods bound to a node that does not exist. Real skiff apiserver, controller-manager and kubelet processes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../src/api/index.js';
import { Http2Transport, loadClientConfig, RestClient, type ResourceClient } from '../../src/client/index.js';
import { startControllerManager, startKubelet, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { until } from '../support/until.js';

const [NODE_A, NODE_B] = ['nl-a', 'nl-b'] as const;

const replicaSet = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
`;

const skip = kubectlSkipReason('1.33');

describe('node failure: node lifecycle, taint eviction and Pod GC', { skip }, () => {
  let server: SkiffProcess;
  let cm: ComponentProcess;
  const kubelets = new Map<string, ComponentProcess>();
  let transport: Http2Transport;
  let pods: ResourceClient<Pod>;
  let nodes: ResourceClient<Node>;
  let events: ResourceClient<Event>;

  const bind = (pod: Pod, node: string) =>
    pods.createSubresource('default', pod.metadata!.name!, 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod.metadata!.name! },
      target: { apiVersion: 'v1', kind: 'Node', name: node },
    } as never);
  const runningOn = async (node: string) =>
    (await pods.list('default', { labelSelector: 'app=web' })).items.filter((p) => p.spec?.nodeName === node && !p.metadata?.deletionTimestamp && p.status?.phase === 'Running');

  before(async () => {
    server = await startApiserver({ args: ['--default-unreachable-toleration-seconds', '2', '--default-not-ready-toleration-seconds', '2'] });
    transport = new Http2Transport(loadClientConfig(server.kubeconfig));
    const client = new RestClient(transport);
    pods = client.kind<Pod>('v1', 'Pod');
    nodes = client.kind<Node>('v1', 'Node');
    events = client.kind<Event>('v1', 'Event');
    cm = await startControllerManager(server.dataDir, ['--node-monitor-grace-period', '4s', '--node-monitor-period', '1s', '--pod-gc-check-period', '1s', '--pod-gc-quarantine', '2s']);
    for (const name of [NODE_A, NODE_B]) kubelets.set(name, await startKubelet(server.dataDir, name, ['--node-lease-duration-seconds', '4']));
  });
  after(async () => {
    for (const k of kubelets.values()) await k.stop();
    await cm?.stop();
    transport?.close();
    await server?.stop();
  });

  test('killing a kubelet: its node goes Ready=Unknown and unreachable, its Pods are evicted and replaced on the other node', async () => {
    const k = kubectl('1.33', server.kubeconfig);
    try {
      await k.ok(['create', '-f', '-'], { input: replicaSet });
      const created = await until('two Pods', async () => {
        const items = (await pods.list('default', { labelSelector: 'app=web' })).items;
        return items.length === 2 ? items : undefined;
      });
      // DefaultTolerationSeconds admission, with the API server's flags.
      assert.deepEqual(created[0]!.spec?.tolerations, [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
      ]);
      for (const pod of created) await bind(pod, NODE_A);
      await until('both Pods Running on node A', async () => (await runningOn(NODE_A)).length === 2);
      // Healthy nodes stay Ready well past the (shortened) grace period: the Leases keep them alive.
      assert.match(await k.ok(['get', 'nodes']), new RegExp(`${NODE_A}\\s+Ready`));

      const killedAt = Date.now();
      kubelets.get(NODE_A)!.kill('SIGKILL');
      await kubelets.get(NODE_A)!.exited;
      kubelets.delete(NODE_A);

      const node = await until('node A Ready=Unknown with the unreachable NoExecute taint', async () => {
        const n = await nodes.get('', NODE_A);
        const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
        return ready?.status === 'Unknown' && n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? n : undefined;
      });
      const unknownAfter = Date.now() - killedAt;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.reason, 'NodeStatusUnknown');
      assert.equal(ready?.message, 'Kubelet stopped posting node status.');
      assert.ok(node.spec?.taints?.find((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute')?.timeAdded);
      await until('the unreachable NoSchedule taint too', async () => (await nodes.get('', NODE_A)).spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoSchedule'));
      assert.equal((await nodes.get('', NODE_B)).status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');

      // What a user sees.
      const get = await k.ok(['get', 'nodes']);
      assert.match(get, new RegExp(`${NODE_A}\\s+NotReady`));
      assert.match(get, new RegExp(`${NODE_B}\\s+Ready`));
      const describe = await k.ok(['describe', 'node', NODE_A]);
      assert.match(describe, /Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute/);
      assert.match(describe, /node\.kubernetes\.io\/unreachable:NoSchedule/);
      assert.match(describe, /Ready\s+Unknown\s.*NodeStatusUnknown\s+Kubelet stopped posting node status\./);

      // Evicted after tolerationSeconds (2 s): marked for deletion with the DisruptionTarget condition.
      const evicted = await until('the Pods on node A being deleted', async () => {
        const items = await Promise.all(created.map((p) => pods.get('default', p.metadata!.name!)));
        return items.every((p) => p.metadata?.deletionTimestamp) ? items : undefined;
      });
      const evictedAfter = Date.now() - killedAt;
      for (const p of evicted) {
        assert.deepEqual(
          p.status?.conditions?.filter((c) => c.type === 'DisruptionTarget').map((c) => [c.status, c.reason, c.message]),
          [['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']],
        );
      }
      const marking = await until('the TaintManagerEviction events', async () => {
        const items = (await events.list('default')).items.filter((e) => e.reason === 'TaintManagerEviction');
        return items.length >= 2 ? items : undefined;
      });
      assert.deepEqual(marking.map((e) => e.message).sort(), created.map((p) => `Marking for deletion Pod default/${p.metadata!.name!}`).sort());
      assert.equal(marking[0]!.source?.component, 'taint-eviction-controller');

      // The ReplicaSet replaces them; the replacements are bound to node B and run there.
      const replacements = await until('two replacement Pods', async () => {
        const items = (await pods.list('default', { labelSelector: 'app=web' })).items.filter((p) => !p.metadata?.deletionTimestamp);
        return items.length === 2 ? items : undefined;
      });
      for (const pod of replacements) {
        assert.ok(!created.some((c) => c.metadata?.uid === pod.metadata?.uid));
        await bind(pod, NODE_B);
      }
      await until('both replacements Running on node B', async () => (await runningOn(NODE_B)).length === 2);
      await until('kubectl shows the ReplicaSet 2/2 ready', async () => /web\s+2\s+2\s+2/.test(await k.ok(['get', 'rs', 'web'])));
      console.log(`# node Unknown + tainted ${unknownAfter} ms after SIGKILL (grace 4 s); Pods evicted after ${evictedAfter} ms (tolerationSeconds 2)`);
    } finally {
      k.cleanup();
    }
  });

  test('a Pod bound to a node that does not exist is deleted by the Pod GC after the quarantine', async () => {
    const pod = await pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan' }, spec: { nodeName: 'no-such-node', containers: [{ name: 'c', image: 'nginx' }] } });
    const start = Date.now();
    await until('the orphaned Pod to be gone', async () => {
      try {
        await pods.get('default', pod.metadata!.name!);
        return false;
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return true;
        throw err;
      }
    });
    assert.ok(Date.now() - start >= 1_500, 'deleted only after the quarantine');
  });
});
