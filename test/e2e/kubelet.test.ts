// Steps 10–12 of the seed: `skiff kubelet` processes (simulated runtime) register their Nodes, keep their Leases, run
// the Pods bound to them and report their status, driven by the real kubectl binaries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { Http2Transport, loadClientConfig, RestClient, type ResourceClient } from '../../src/client/index.js';
import { startControllerManager, startKubelet, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { until } from '../support/until.js';

const manifest = new URL('../../../examples/replicaset.yaml', import.meta.url).pathname;
const NODES = ['sim-a', 'sim-b'];

const skip = kubectlSkipReason('1.33') ?? kubectlSkipReason('1.27');

describe('skiff kubelet (simulated runtime)', { skip }, () => {
  let server: SkiffProcess;
  let cm: ComponentProcess;
  const kubelets: ComponentProcess[] = [];
  let transport: Http2Transport;
  let pods: ResourceClient<Pod>;
  let nodes: ResourceClient<Node>;
  let leases: ResourceClient<Lease>;

  before(async () => {
    server = await startApiserver();
    transport = new Http2Transport(loadClientConfig(server.kubeconfig));
    const client = new RestClient(transport);
    pods = client.kind<Pod>('v1', 'Pod');
    nodes = client.kind<Node>('v1', 'Node');
    leases = client.kind<Lease>('coordination.k8s.io/v1', 'Lease');
    cm = await startControllerManager(server.dataDir);
    for (const name of NODES) kubelets.push(await startKubelet(server.dataDir, name, ['--crash-loop-backoff-base', '1s', '--node-labels', 'pool=sim', '--register-with-taints', 'sim=true:PreferNoSchedule']));
  });
  after(async () => {
    for (const k of kubelets) await k.stop();
    await cm?.stop();
    transport?.close();
    await server?.stop();
  });

  for (const version of ['1.27', '1.33']) {
    test(`kubectl ${version}: both Nodes are registered and Ready with their labels, taints, capacity and Leases`, async () => {
      const k = kubectl(version, server.kubeconfig);
      try {
        const out = await k.ok(['get', 'nodes', '-o', 'wide']);
        for (const name of NODES) assert.match(out, new RegExp(`${name}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.32`));
        const node = JSON.parse(await k.ok(['get', 'node', 'sim-a', '-o', 'json'])) as Node;
        assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'sim-a');
        assert.equal(node.metadata?.labels?.pool, 'sim');
        assert.deepEqual(node.spec?.taints, [{ key: 'sim', value: 'true', effect: 'PreferNoSchedule' }]);
        assert.equal(node.status?.capacity?.pods, '110');
        assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.message, 'kubelet is posting ready status');
        const describe = await k.ok(['describe', 'node', 'sim-b']);
        assert.match(describe, /HolderIdentity:\s+sim-b/);
        assert.match(describe, /KubeletHasSufficientMemory/);
      } finally {
        k.cleanup();
      }
      for (const name of NODES) {
        const lease = await leases.get('kube-node-lease', name);
        assert.equal(lease.spec?.holderIdentity, name);
        assert.equal(lease.spec?.leaseDurationSeconds, 40);
        assert.equal(lease.metadata?.ownerReferences?.[0]?.kind, 'Node');
      }
    });
  }

  test("the seed's ReplicaSet: its Pods, bound to the two nodes, reach 1/1 Running (kubectl 1.27 and 1.33)", async () => {
    const k27 = kubectl('1.27', server.kubeconfig);
    const k33 = kubectl('1.33', server.kubeconfig);
    try {
      await k33.ok(['create', '-f', '-'], { input: readFileSync(manifest, 'utf8') });
      const created = await until('two Pods', async () => {
        const items = (await pods.list('default', { labelSelector: 'app=my-app' })).items;
        return items.length === 2 ? items : undefined;
      });
      for (const [i, pod] of created.entries()) {
        await pods.createSubresource('default', pod.metadata!.name!, 'binding', {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name: pod.metadata!.name! },
          target: { apiVersion: 'v1', kind: 'Node', name: NODES[i % 2]! },
        } as never);
      }
      for (const k of [k27, k33]) {
        await until(`kubectl ${k.version} shows 1/1 Running twice`, async () => {
          const out = await k.ok(['get', 'pods', '-l', 'app=my-app', '-o', 'wide']);
          return (out.match(/1\/1\s+Running\s+0/g) ?? []).length === 2;
        });
      }
      const pod = (await pods.list('default', { labelSelector: 'app=my-app' })).items[0]!;
      assert.deepEqual(pod.status?.conditions?.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
      const cs = pod.status?.containerStatuses?.[0];
      assert.equal(cs?.image, 'docker.io/library/nginx:latest');
      assert.equal(cs?.started, true);
      assert.ok(pod.status?.podIP && pod.status.hostIP && pod.status.startTime);
      assert.match(await k33.ok(['get', 'rs', 'my-replicaset']), /my-replicaset\s+2\s+2\s+2/);
    } finally {
      k27.cleanup();
      k33.cleanup();
    }
  });

  test('a failing container goes into CrashLoopBackOff with growing delays; a Never Pod ends Failed with its exit code', async () => {
    const k = kubectl('1.33', server.kubeconfig);
    try {
      await k.ok(['create', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crasher', annotations: { 'sim.skiff.dev/exit-after.c': '200ms', 'sim.skiff.dev/exit-code.c': '2' } }, spec: { nodeName: 'sim-a', containers: [{ name: 'c', image: 'busybox' }] } },
            { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'once', annotations: { 'sim.skiff.dev/exit-after.c': '200ms', 'sim.skiff.dev/exit-code.c': '7' } }, spec: { nodeName: 'sim-b', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
          ],
        }),
      });
      const delays = new Set<string>();
      await until('back-off delays 1s, 2s and 4s', async () => {
        const pod = await pods.get('default', 'crasher');
        const m = /^back-off (\S+) restarting failed container=c pod=crasher_default\(/.exec(pod.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '');
        if (m) delays.add(m[1]!);
        return delays.has('4s');
      }, 60_000);
      assert.deepEqual([...delays].slice(0, 3), ['1s', '2s', '4s']);
      const table = await k.ok(['get', 'pod', 'crasher']);
      assert.match(table, /crasher\s+0\/1\s+(CrashLoopBackOff|Error|Running)\s+\d+/);
      const crasher = await pods.get('default', 'crasher');
      assert.equal(crasher.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 2);
      assert.equal(crasher.status?.containerStatuses?.[0]?.lastState?.terminated?.reason, 'Error');
      assert.ok((crasher.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3);

      const once = await until('the Never Pod to fail', async () => {
        const pod = await pods.get('default', 'once');
        return pod.status?.phase === 'Failed' ? pod : undefined;
      });
      assert.equal(once.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 7);
      assert.equal(once.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Error');
      assert.equal(once.status?.containerStatuses?.[0]?.restartCount, 0);
      assert.match(await k.ok(['get', 'pod', 'once']), /once\s+0\/1\s+Error\s+0/);
      await k.ok(['delete', 'pod', 'crasher', 'once', '--wait=true']);
    } finally {
      k.cleanup();
    }
  });

  test('deletion is graceful: the kubelet stops the containers, then removes the Pod with grace 0', async () => {
    const k = kubectl('1.27', server.kubeconfig);
    try {
      await pods.create('default', { metadata: { name: 'graceful' }, spec: { nodeName: 'sim-b', terminationGracePeriodSeconds: 20, containers: [{ name: 'c', image: 'nginx' }] } });
      await until('Running', async () => (await pods.get('default', 'graceful')).status?.phase === 'Running');
      const deleting = await pods.delete('default', 'graceful');
      assert.equal((deleting as Pod).metadata?.deletionGracePeriodSeconds, 20, 'the API server keeps a Pod on a node until its kubelet confirms');
      await until('the Pod gone', async () => {
        const r = await k.run(['get', 'pod', 'graceful']);
        return r.code !== 0 && /NotFound/.test(r.stderr);
      }, 15_000);
    } finally {
      k.cleanup();
    }
  });

  test('node status is not rewritten while nothing changes; the Lease is renewed', async () => {
    const before = await nodes.get('', 'sim-a');
    const leaseBefore = await leases.get('kube-node-lease', 'sim-a');
    await until('a renewal', async () => (await leases.get('kube-node-lease', 'sim-a')).spec?.renewTime !== leaseBefore.spec?.renewTime, 15_000);
    const afterRenewal = await nodes.get('', 'sim-a');
    assert.equal(afterRenewal.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime, before.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime);
  });
});
