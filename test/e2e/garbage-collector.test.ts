// The garbage collector in `skiff controller-manager` (a real process, over HTTPS) against `skiff apiserver`, driven
// by the real kubectl: cascading deletion in the background, in the foreground and orphaning; dangling owner
// references; a restart in the middle of a foreground deletion.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ConfigMap, Event as CoreEvent, Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { ApiError } from '../../src/api/index.js';
import { RestClient, type KubeObject, type ResourceClient } from '../../src/client/index.js';
import { startControllerManager, type ComponentProcess } from '../support/component-process.js';
import { etcdSkipReason, type EtcdServer } from '../support/etcd-server.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import type { SkiffProcess } from '../support/skiff-process.js';
import { startClientCluster } from '../support/client-cluster.js';

/** Polls a condition until it holds, failing after the deadline. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function exists(rc: ResourceClient<KubeObject>, ns: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await rc.get(ns, name);
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) return undefined;
    throw err;
  }
}

interface Cluster {
  server: SkiffProcess;
  etcd?: EtcdServer;
  client: RestClient;
  pods: ResourceClient<Pod>;
  replicaSets: ResourceClient<ReplicaSet>;
  configMaps: ResourceClient<ConfigMap>;
  stop(): Promise<void>;
}

async function startCluster(backend: 'sqlite' | 'etcd'): Promise<Cluster> {
  const base = await startClientCluster(backend);
  const { client } = base;
  return {
    ...base,
    pods: client.kind<Pod>('v1', 'Pod'),
    replicaSets: client.kind<ReplicaSet>('apps/v1', 'ReplicaSet'),
    configMaps: client.kind<ConfigMap>('v1', 'ConfigMap'),
  };
}

const labels = (app: string) => ({ app });
const replicaSet = (name: string, replicas: number, ownerReferences?: OwnerReference[]): ReplicaSet => ({
  metadata: { name, ...(ownerReferences ? { ownerReferences } : {}) },
  spec: { replicas, selector: { matchLabels: labels(name) }, template: { metadata: { labels: labels(name) }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

async function namespace(client: RestClient, name: string): Promise<void> {
  await client.kind('v1', 'Namespace').create('', { metadata: { name } });
}

/** Creates a ReplicaSet and waits for the ReplicaSet controller's Pods. */
async function replicaSetWithPods(c: Cluster, ns: string, name: string, replicas: number, owners?: OwnerReference[]): Promise<{ rs: ReplicaSet; pods: Pod[] }> {
  const rs = await c.replicaSets.create(ns, replicaSet(name, replicas, owners));
  let pods: Pod[] = [];
  await until(`${replicas} Pods of ${name}`, async () => {
    pods = (await c.pods.list(ns, { labelSelector: `app=${name}` })).items;
    return pods.length === replicas;
  });
  return { rs, pods };
}

const podsLeft = async (c: Cluster, ns: string, app: string) => (await c.pods.list(ns, { labelSelector: `app=${app}` })).items;

for (const backend of ['sqlite', 'etcd'] as const) {
  const skip = kubectlSkipReason('1.27') ?? kubectlSkipReason('1.33') ?? (backend === 'etcd' ? etcdSkipReason() : undefined);
  describe(`the garbage collector on ${backend}`, { skip }, () => {
    let c: Cluster;
    let cm: ComponentProcess | undefined;
    before(async () => {
      c = await startCluster(backend);
      cm = await startControllerManager(c.server.dataDir);
    });
    after(async () => {
      await cm?.stop();
      await c?.stop();
    });

    test('kubectl 1.27 delete rs (background): the ReplicaSet goes at once, then its Pods', async () => {
      const ns = 'background';
      await namespace(c.client, ns);
      await replicaSetWithPods(c, ns, 'web', 3);
      const k = kubectl('1.27', c.server.kubeconfig);
      try {
        await k.ok(['-n', ns, 'delete', 'rs', 'web']);
        assert.equal(await exists(c.replicaSets, ns, 'web'), undefined);
        await until('the Pods collected', async () => (await podsLeft(c, ns, 'web')).length === 0);
      } finally {
        k.cleanup();
      }
    });

    if (backend === 'etcd') return;

    test('kubectl 1.33 delete rs --cascade=foreground: the ReplicaSet waits, marked, until its Pods are gone', async () => {
      const ns = 'foreground';
      await namespace(c.client, ns);
      const { pods } = await replicaSetWithPods(c, ns, 'fg', 3);
      const held = pods[0]!.metadata!.name!;
      // A finalizer of our own keeps one Pod, and so the ReplicaSet, until we let go.
      await c.pods.patch(ns, held, 'merge', { metadata: { finalizers: ['example.com/hold'] } });
      const k = kubectl('1.33', c.server.kubeconfig);
      try {
        await k.ok(['-n', ns, 'delete', 'rs', 'fg', '--cascade=foreground', '--wait=false']);
        await until('the other Pods collected and the held one marked', async () => {
          const left = await podsLeft(c, ns, 'fg');
          return left.length === 1 && left[0]?.metadata?.name === held && !!left[0].metadata.deletionTimestamp;
        });
        const rs = await c.replicaSets.get(ns, 'fg');
        assert.ok(rs.metadata?.deletionTimestamp, 'the ReplicaSet is being deleted');
        assert.deepEqual(rs.metadata?.finalizers, ['foregroundDeletion']);
        assert.match(await k.ok(['-n', ns, 'get', 'rs', 'fg', '-o', 'jsonpath={.metadata.finalizers}']), /foregroundDeletion/);
        await c.pods.patch(ns, held, 'merge', { metadata: { finalizers: null } });
        await until('the ReplicaSet gone', async () => (await exists(c.replicaSets, ns, 'fg')) === undefined);
        assert.equal((await podsLeft(c, ns, 'fg')).length, 0);
      } finally {
        k.cleanup();
      }
    });

    test('kubectl 1.27 delete rs --cascade=orphan: the Pods stay, without ownerReferences', async () => {
      const ns = 'orphan';
      await namespace(c.client, ns);
      const { pods } = await replicaSetWithPods(c, ns, 'keep', 2);
      const k = kubectl('1.27', c.server.kubeconfig);
      try {
        await k.ok(['-n', ns, 'delete', 'rs', 'keep', '--cascade=orphan']);
        await until('the ReplicaSet gone', async () => (await exists(c.replicaSets, ns, 'keep')) === undefined);
        const left = await podsLeft(c, ns, 'keep');
        assert.deepEqual(left.map((p) => p.metadata?.uid).sort(), pods.map((p) => p.metadata?.uid).sort());
        for (const p of left) assert.equal(p.metadata?.ownerReferences, undefined, `${p.metadata?.name} has no ownerReferences`);
      } finally {
        k.cleanup();
      }
    });

    test('kubectl 1.33 delete deployment: its ReplicaSet and the ReplicaSet’s Pods go', async () => {
      const ns = 'deploy';
      await namespace(c.client, ns);
      const deployments = c.client.kind<Deployment>('apps/v1', 'Deployment');
      const d = await deployments.create(ns, {
        metadata: { name: 'app' },
        spec: { replicas: 2, selector: { matchLabels: labels('app') }, template: { metadata: { labels: labels('app') }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      });
      // The Deployment controller creates the ReplicaSet, which creates the Pods.
      let rsName = '';
      await until('the Deployment’s ReplicaSet', async () => {
        rsName = (await c.replicaSets.list(ns)).items.find((r) => r.metadata?.ownerReferences?.some((o) => o.uid === d.metadata?.uid))?.metadata?.name ?? '';
        return rsName !== '';
      });
      await until('its 2 Pods', async () => (await podsLeft(c, ns, 'app')).length === 2);
      const k = kubectl('1.33', c.server.kubeconfig);
      try {
        await k.ok(['-n', ns, 'delete', 'deployment', 'app']);
        await until('the ReplicaSet collected', async () => (await exists(c.replicaSets, ns, rsName)) === undefined);
        await until('its Pods collected', async () => (await podsLeft(c, ns, 'app')).length === 0);
      } finally {
        k.cleanup();
      }
    });

    test('owner references are checked by uid and namespace: dangling ones are collected, live ones kept', async () => {
      const ns = 'refs';
      const other = 'refs-other';
      await namespace(c.client, ns);
      await namespace(c.client, other);
      const owner = await c.configMaps.create(ns, { metadata: { name: 'owner' } });
      const ref = (name: string, uid: string): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid });
      await c.configMaps.create(ns, { metadata: { name: 'kept', ownerReferences: [ref('owner', owner.metadata!.uid!)] } });
      await c.configMaps.create(ns, { metadata: { name: 'no-such-uid', ownerReferences: [ref('ghost', randomUUID())] } });
      await c.configMaps.create(ns, { metadata: { name: 'other-uid', ownerReferences: [ref('owner', randomUUID())] } });
      // The owner exists, but in another namespace: absent for this dependent.
      await c.configMaps.create(other, { metadata: { name: 'cross-namespace', ownerReferences: [ref('owner', owner.metadata!.uid!)] } });
      // A cluster-scoped object cannot have a namespaced owner: left alone.
      const clusterRoles = c.client.kind<ClusterRole>('rbac.authorization.k8s.io/v1', 'ClusterRole');
      await clusterRoles.create('', { metadata: { name: 'gc-invalid-owner', ownerReferences: [ref('owner', owner.metadata!.uid!)] } });
      const cms = c.configMaps as unknown as ResourceClient<KubeObject>;
      await until('the dangling dependents collected', async () => {
        const gone = await Promise.all([exists(cms, ns, 'no-such-uid'), exists(cms, ns, 'other-uid'), exists(cms, other, 'cross-namespace')]);
        return gone.every((o) => o === undefined);
      });
      assert.ok(await exists(cms, ns, 'kept'), 'the dependent of a live owner stays');
      assert.ok(await exists(clusterRoles as unknown as ResourceClient<KubeObject>, '', 'gc-invalid-owner'), 'the cluster-scoped dependent stays');
      const events = c.client.kind<CoreEvent>('v1', 'Event');
      await until('the OwnerRefInvalidNamespace event', async () => (await events.list(other, { fieldSelector: 'reason=OwnerRefInvalidNamespace' })).items.length > 0);
      const event = (await events.list(other, { fieldSelector: 'reason=OwnerRefInvalidNamespace' })).items[0]!;
      assert.equal(event.type, 'Warning');
      assert.equal(event.involvedObject.name, 'cross-namespace');
      assert.equal(event.message, `ownerRef [v1/ConfigMap, namespace: ${other}, name: owner, uid: ${owner.metadata!.uid!}] does not exist in namespace "${other}"`);
      assert.equal(event.source?.component, 'garbage-collector-controller');
    });

    test('SIGKILL of the controller-manager in the middle of a foreground deletion, then a restart, completes it', async () => {
      const ns = 'restart';
      await namespace(c.client, ns);
      const { pods } = await replicaSetWithPods(c, ns, 'rr', 3);
      const held = pods[0]!.metadata!.name!;
      await c.pods.patch(ns, held, 'merge', { metadata: { finalizers: ['example.com/hold'] } });
      await c.replicaSets.delete(ns, 'rr', { propagationPolicy: 'Foreground' });
      await until('the other Pods collected', async () => (await podsLeft(c, ns, 'rr')).length === 1);
      cm!.kill('SIGKILL');
      assert.equal(await cm!.exited, null);
      cm = undefined;
      await c.pods.patch(ns, held, 'merge', { metadata: { finalizers: null } });
      await until('the held Pod gone', async () => (await podsLeft(c, ns, 'rr')).length === 0);
      const rs = await c.replicaSets.get(ns, 'rr');
      assert.deepEqual(rs.metadata?.finalizers, ['foregroundDeletion'], 'nobody finished the deletion while the controller-manager was down');
      cm = await startControllerManager(c.server.dataDir);
      await until('the ReplicaSet gone after the restart', async () => (await exists(c.replicaSets as unknown as ResourceClient<KubeObject>, ns, 'rr')) === undefined);
    });
  });
}
