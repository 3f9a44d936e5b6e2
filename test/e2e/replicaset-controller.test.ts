// Step 5 of the seed: `skiff controller-manager` (a real process, over HTTPS) turns ReplicaSets into Pods, on both
// storage backends, driven by the real kubectl binaries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { InformerFactory, RestClient, type ResourceClient, type SharedInformer } from '../../src/client/index.js';
import { realClock } from '../../src/lib/index.js';
import { startControllerManager, type ComponentProcess } from '../support/component-process.js';
import { etcdSkipReason, type EtcdServer } from '../support/etcd-server.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import type { SkiffProcess } from '../support/skiff-process.js';
import { startClientCluster } from '../support/client-cluster.js';

const manifest = new URL('../../../examples/replicaset.yaml', import.meta.url).pathname;
const GENERATED_NAME = /^my-replicaset-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

/** Waits for a condition with a deadline, re-checking on each watch event the informer delivers (or every 50 ms). */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Cluster {
  server: SkiffProcess;
  etcd?: EtcdServer;
  client: RestClient;
  pods: ResourceClient<Pod>;
  replicaSets: ResourceClient<ReplicaSet>;
  podInformer(namespace: string): Promise<SharedInformer<Pod>>;
  stop(): Promise<void>;
}

async function startCluster(backend: 'sqlite' | 'etcd'): Promise<Cluster> {
  const base = await startClientCluster(backend);
  const { client } = base;
  const ac = new AbortController();
  const factory = new InformerFactory(client, { clock: realClock });
  return {
    ...base,
    pods: client.kind<Pod>('v1', 'Pod'),
    replicaSets: client.kind<ReplicaSet>('apps/v1', 'ReplicaSet'),
    async podInformer(namespace) {
      const informer = factory.informer<Pod>(client.kind<Pod>('v1', 'Pod').type, { namespace });
      factory.start(ac.signal);
      await informer.whenSynced(ac.signal);
      return informer;
    },
    async stop() {
      ac.abort();
      await factory.stopped();
      await base.stop();
    },
  };
}

function ownedBy(pods: readonly Pod[], uid: string | undefined): Pod[] {
  return pods.filter((p) => p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid) && !p.metadata?.deletionTimestamp);
}

async function createNamespace(client: RestClient, name: string): Promise<void> {
  await client.kind('v1', 'Namespace').create('', { metadata: { name } });
}

const replicaSet = (name: string, replicas: number, labels: Record<string, string>): ReplicaSet => ({
  metadata: { name },
  spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

for (const backend of ['sqlite', 'etcd'] as const) {
  const skip = kubectlSkipReason('1.33') ?? kubectlSkipReason('1.27') ?? (backend === 'etcd' ? etcdSkipReason() : undefined);
  describe(`the ReplicaSet controller on ${backend}`, { skip }, () => {
    let cluster: Cluster;
    let cm: ComponentProcess;
    before(async () => {
      cluster = await startCluster(backend);
      cm = await startControllerManager(cluster.server.dataDir);
    });
    after(async () => {
      await cm?.stop();
      await cluster?.stop();
    });

    for (const version of ['1.27', '1.33']) {
      test(`kubectl ${version}: the seed's ReplicaSet yields exactly two Pods shaped like the seed's`, async () => {
        // The first run uses the seed's manifest as it is; the second the same in a namespace of its own.
        const ns = version === '1.27' ? 'default' : `seed-${version.replace('.', '')}`;
        if (ns !== 'default') await createNamespace(cluster.client, ns);
        const k = kubectl(version, cluster.server.kubeconfig);
        try {
          await k.ok(['create', '-f', '-'], { input: readFileSync(manifest, 'utf8').replace('namespace: default', `namespace: ${ns}`) });
          const rs = await cluster.replicaSets.get(ns, 'my-replicaset');
          const informer = await cluster.podInformer(ns);
          await until('two Pods and status.replicas 2', async () => ownedBy(informer.store.list(), rs.metadata?.uid).length >= 2 && (await cluster.replicaSets.get(ns, 'my-replicaset')).status?.replicas === 2);
          const pods = (await cluster.pods.list(ns)).items;
          assert.equal(pods.length, 2, `exactly two Pods: ${pods.map((p) => p.metadata?.name).join(', ')}`);
          for (const pod of pods) {
            assert.match(pod.metadata?.name ?? '', GENERATED_NAME);
            assert.equal(pod.metadata?.generateName, 'my-replicaset-');
            assert.deepEqual(pod.metadata?.labels, { app: 'my-app' });
            assert.deepEqual(pod.metadata?.ownerReferences, [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'my-replicaset', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true },
            ]);
            assert.equal(pod.spec?.containers[0]?.image, 'nginx');
            assert.equal(pod.spec?.containers[0]?.imagePullPolicy, 'Always');
          }
          const yaml = await k.ok(['-n', ns, 'get', 'pod', pods[0]!.metadata!.name!, '-o', 'yaml']);
          assert.match(yaml, /ownerReferences:\n {2}- apiVersion: apps\/v1\n {4}blockOwnerDeletion: true\n {4}controller: true\n {4}kind: ReplicaSet\n {4}name: my-replicaset\n/);
          const events = await k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=SuccessfulCreate', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
          assert.deepEqual(events.trim().split('\n').sort(), pods.map((p) => `Created pod: ${p.metadata?.name}`).sort());
          assert.match(await k.ok(['-n', ns, 'get', 'rs', 'my-replicaset']), /my-replicaset\s+2\s+2\s+0/);
        } finally {
          k.cleanup();
        }
      });
    }

    test('a deleted Pod is replaced, and scaling up and down converges', async () => {
      const ns = 'scale';
      await createNamespace(cluster.client, ns);
      const rs = await cluster.replicaSets.create(ns, replicaSet('web', 3, { app: 'web' }));
      const informer = await cluster.podInformer(ns);
      const owned = () => ownedBy(informer.store.list(), rs.metadata?.uid);
      await until('3 Pods', () => owned().length === 3);
      const victim = owned()[0]!.metadata!.name!;
      await cluster.pods.delete(ns, victim);
      await until('a replacement', () => owned().length === 3 && !owned().some((p) => p.metadata?.name === victim));
      const k = kubectl('1.33', cluster.server.kubeconfig);
      try {
        await k.ok(['-n', ns, 'scale', 'rs', 'web', '--replicas=7']);
        await until('7 Pods', () => owned().length === 7);
        await k.ok(['-n', ns, 'scale', 'rs', 'web', '--replicas=2']);
        await until('2 Pods and status 2', async () => owned().length === 2 && (await cluster.replicaSets.get(ns, 'web')).status?.replicas === 2);
        const status = (await cluster.replicaSets.get(ns, 'web')).status;
        assert.equal(status?.observedGeneration, 3);
        assert.equal(status?.fullyLabeledReplicas, 2);
        assert.equal((await cluster.pods.list(ns)).items.length, 2);
      } finally {
        k.cleanup();
      }
    });

    test('an orphan with matching labels is adopted; relabelling an owned Pod releases it and a replacement is created', async () => {
      const ns = 'adopt';
      await createNamespace(cluster.client, ns);
      const orphan = await cluster.pods.create(ns, { metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
      const rs = await cluster.replicaSets.create(ns, replicaSet('adopter', 2, { app: 'adopt' }));
      const informer = await cluster.podInformer(ns);
      const owned = () => ownedBy(informer.store.list(), rs.metadata?.uid);
      await until('2 owned Pods', () => owned().length === 2);
      assert.ok(owned().some((p) => p.metadata?.uid === orphan.metadata?.uid), 'the orphan was adopted rather than a second Pod created');
      assert.equal(informer.store.size, 2);
      const k = kubectl('1.27', cluster.server.kubeconfig);
      try {
        await k.ok(['-n', ns, 'label', 'pod', 'orphan', 'app=gone', '--overwrite']);
        await until('the release and a replacement', () => {
          const released = informer.store.getByName(ns, 'orphan');
          return released?.metadata?.ownerReferences?.length === 0 || (released?.metadata?.ownerReferences === undefined && owned().length === 2);
        });
        await until('2 owned Pods again', () => owned().length === 2);
        assert.equal(informer.store.size, 3, 'the released Pod stays, unowned');
        assert.ok(!owned().some((p) => p.metadata?.name === 'orphan'));
      } finally {
        k.cleanup();
      }
    });
  });

  describe(`the controller-manager killed mid scale-up on ${backend}`, { skip: backend === 'etcd' ? etcdSkipReason() : undefined }, () => {
    let cluster: Cluster;
    let cm: ComponentProcess | undefined;
    before(async () => {
      cluster = await startCluster(backend);
    });
    after(async () => {
      await cm?.stop();
      await cluster?.stop();
    });

    test('SIGKILL during a 1,000-replica scale-up, then a restart, ends with exactly 1,000 Pods', async () => {
      const ns = 'big';
      await createNamespace(cluster.client, ns);
      const informer = await cluster.podInformer(ns);
      cm = await startControllerManager(cluster.server.dataDir);
      const first = cm;
      let countAtKill = -1;
      informer.addEventHandler({
        onAdd: () => {
          if (countAtKill < 0 && informer.store.size >= 150) {
            countAtKill = informer.store.size;
            first.kill('SIGKILL');
          }
        },
      });
      await cluster.replicaSets.create(ns, replicaSet('big', 1000, { app: 'big' }));
      assert.equal(await first.exited, null, 'killed by the signal');
      assert.ok(countAtKill >= 150 && countAtKill < 1000, `killed mid scale-up (at ${countAtKill} Pods)`);
      cm = await startControllerManager(cluster.server.dataDir);
      await until('1,000 Pods and status.replicas 1,000', async () => informer.store.size >= 1000 && (await cluster.replicaSets.get(ns, 'big')).status?.replicas === 1000, 60_000);
      const list = await cluster.pods.list(ns);
      assert.equal(list.items.length, 1000);
      assert.equal(new Set(list.items.map((p) => p.metadata?.name)).size, 1000);
    });
  });
}

describe('two controller-managers with --leader-elect', () => {
  let cluster: Cluster;
  const cms: ComponentProcess[] = [];
  before(async () => {
    cluster = await startCluster('sqlite');
  });
  after(async () => {
    await Promise.all(cms.map((c) => c.stop()));
    await cluster?.stop();
  });

  test('only the leader acts; killing it hands over within the lease duration plus one retry period', async () => {
    const leases = cluster.client.kind<Lease>('coordination.k8s.io/v1', 'Lease');
    const a = await startControllerManager(cluster.server.dataDir, ['--leader-elect']);
    cms.push(a);
    await a.waitForOutput(/became leader/);
    const b = await startControllerManager(cluster.server.dataDir, ['--leader-elect']);
    cms.push(b);
    const idOf = (c: ComponentProcess) => /controller-manager: (\S+) starting/.exec(c.output())![1]!;
    const lease = await leases.get('kube-system', 'kube-controller-manager');
    assert.equal(lease.spec?.holderIdentity, idOf(a));
    assert.equal(lease.spec?.leaseDurationSeconds, 15);
    await b.waitForOutput(new RegExp(`new leader: ${idOf(a)}`));

    await createNamespace(cluster.client, 'le');
    const informer = await cluster.podInformer('le');
    await cluster.replicaSets.create('le', replicaSet('le', 3, { app: 'le' }));
    await until('3 Pods', () => informer.store.size === 3);
    assert.doesNotMatch(b.output(), /started controllers|became leader/, 'the candidate that is not leader runs no controller');

    a.kill('SIGKILL');
    await a.exited;
    const lastRenewal = Date.parse((await leases.get('kube-system', 'kube-controller-manager')).spec?.renewTime ?? '');
    await b.waitForOutput(/became leader/, 25_000);
    const taken = await leases.get('kube-system', 'kube-controller-manager');
    assert.equal(taken.spec?.holderIdentity, idOf(b));
    assert.equal(taken.spec?.leaseTransitions, 1);
    const handover = Date.parse(taken.spec?.acquireTime ?? '') - lastRenewal;
    assert.ok(handover <= 17_400, `handed over ${handover} ms after the last renewal`);
    console.log(`leader hand-over: ${handover} ms after the last renewal`);

    await cluster.replicaSets.patch('le', 'le', 'merge', { spec: { replicas: 5 } });
    await until('the new leader scales to 5', () => informer.store.size === 5);
  });
});
