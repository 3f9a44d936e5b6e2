// Namespace deletion end to end: the API server's namespace lifecycle (Terminating, /finalize, NamespaceLifecycle's
// refusal) and the namespace and ServiceAccount controllers of a real `skiff controller-manager`, driven by kubectl.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIResourceList, Status } from 'kubernetes-types/meta/v1.js';
import type { ConfigMap, Namespace, Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { ApiError } from '../../src/api/index.js';
import { RestClient, type KubeObject, type ResourceClient } from '../../src/client/index.js';
import { startControllerManager, type ComponentProcess } from '../support/component-process.js';
import { etcdSkipReason, type EtcdServer } from '../support/etcd-server.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import type { SkiffProcess } from '../support/skiff-process.js';
import { startClientCluster } from '../support/client-cluster.js';

/** Re-checks `check` every 50 ms until it holds, failing after the deadline. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const forbiddenMessage = (what: string, ns: string) => `${what} is forbidden: unable to create new content in namespace ${ns} because it is being terminated`;

interface Cluster {
  server: SkiffProcess;
  etcd?: EtcdServer;
  client: RestClient;
  namespaces: ResourceClient<Namespace>;
  configMaps: ResourceClient<ConfigMap>;
  pods: ResourceClient<Pod>;
  replicaSets: ResourceClient<ReplicaSet>;
  serviceAccounts: ResourceClient<ServiceAccount>;
  /** The namespace, or undefined once it is gone. */
  namespace(name: string): Promise<Namespace | undefined>;
  stop(): Promise<void>;
}

async function startCluster(backend: 'sqlite' | 'etcd'): Promise<Cluster> {
  const base = await startClientCluster(backend);
  const { client } = base;
  const namespaces = client.kind<Namespace>('v1', 'Namespace');
  return {
    ...base,
    namespaces,
    configMaps: client.kind<ConfigMap>('v1', 'ConfigMap'),
    pods: client.kind<Pod>('v1', 'Pod'),
    replicaSets: client.kind<ReplicaSet>('apps/v1', 'ReplicaSet'),
    serviceAccounts: client.kind<ServiceAccount>('v1', 'ServiceAccount'),
    async namespace(name) {
      try {
        return await namespaces.get('', name);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return undefined;
        throw err;
      }
    },
  };
}

const replicaSet = (name: string, replicas: number): ReplicaSet => ({
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

/** Every object left in `ns` among the kinds the test puts there. */
async function leftIn(cluster: Cluster, ns: string): Promise<string[]> {
  const kinds: [string, ResourceClient<KubeObject>][] = [
    ['pods', cluster.pods],
    ['replicasets', cluster.replicaSets],
    ['configmaps', cluster.configMaps],
    ['serviceaccounts', cluster.serviceAccounts],
    ['secrets', cluster.client.kind('v1', 'Secret')],
    ['services', cluster.client.kind('v1', 'Service')],
    ['deployments', cluster.client.kind('apps/v1', 'Deployment')],
  ];
  const out: string[] = [];
  for (const [kind, c] of kinds) for (const item of (await c.list(ns)).items) out.push(`${kind}/${item.metadata?.name ?? ''}`);
  return out;
}

/** Fills a namespace with a ReplicaSet (whose Pods the controller creates), a Deployment, a Service, a ConfigMap, a Secret. */
async function populate(cluster: Cluster, version: string, ns: string): Promise<void> {
  const k = kubectl(version, cluster.server.kubeconfig);
  try {
    await k.ok(['create', 'namespace', ns]);
    await cluster.replicaSets.create(ns, replicaSet('web', 2));
    await k.ok(['-n', ns, 'create', 'deployment', 'api', '--image=nginx']);
    await k.ok(['-n', ns, 'create', 'service', 'clusterip', 'front', '--tcp=80:8080']);
    await k.ok(['-n', ns, 'create', 'configmap', 'settings', '--from-literal=a=b']);
    await k.ok(['-n', ns, 'create', 'secret', 'generic', 'token', '--from-literal=t=s']);
    await until(`two Pods of the ReplicaSet and one of the Deployment in ${ns}`, async () => (await cluster.pods.list(ns)).items.length === 3);
  } finally {
    k.cleanup();
  }
}

const kubectlSkip = kubectlSkipReason('1.33') ?? kubectlSkipReason('1.27');

describe('namespace lifecycle on sqlite', { skip: kubectlSkip }, () => {
  let cluster: Cluster;
  let cm: ComponentProcess | undefined;
  before(async () => {
    cluster = await startCluster('sqlite');
  });
  after(async () => {
    await cm?.stop();
    await cluster?.stop();
  });

  test('without a controller-manager a deleted namespace stays Terminating, refuses creates, and goes once finalized', async () => {
    const k = kubectl('1.33', cluster.server.kubeconfig);
    try {
      await k.ok(['create', 'namespace', 'held']);
      await k.ok(['-n', 'held', 'create', 'configmap', 'before']);
      const marked = (await cluster.namespaces.delete('', 'held')) as Namespace;
      assert.equal(marked.kind, 'Namespace', 'the DELETE answers with the namespace');
      assert.ok(marked.metadata?.deletionTimestamp);
      assert.equal(marked.status?.phase, 'Terminating');
      assert.deepEqual(marked.spec?.finalizers, ['kubernetes']);
      const again = (await cluster.namespaces.delete('', 'held')) as Namespace;
      assert.equal(again.metadata?.resourceVersion, marked.metadata?.resourceVersion, 'a second DELETE changes nothing');
      assert.match(await k.ok(['get', 'namespace', 'held']), /^held\s+Terminating\s+/m);

      const refused = await k.run(['-n', 'held', 'create', 'configmap', 'after']);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, new RegExp(forbiddenMessage('configmaps "after"', 'held')));
      await assert.rejects(cluster.pods.create('held', { metadata: { generateName: 'web-' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }), (err: unknown) => {
        assert.ok(err instanceof ApiError);
        assert.equal(err.code, 403);
        assert.equal(err.status.reason, 'Forbidden');
        assert.equal(err.message, forbiddenMessage('pods "web-"', 'held'), 'a generateName create is named by its prefix, as admission sees it');
        assert.deepEqual(err.status.details?.causes, [{ reason: 'NamespaceTerminating', message: 'namespace held is being terminated', field: 'metadata.namespace' }]);
        return true;
      });

      const resources = await cluster.client.json<APIResourceList>({ method: 'GET', url: '/api/v1' });
      assert.deepEqual(resources.resources.find((r) => r.name === 'namespaces/finalize')?.verbs, ['update']);
      await assert.rejects(cluster.client.json({ method: 'GET', url: '/api/v1/namespaces/held/finalize' }), (err: unknown) => err instanceof ApiError && err.code === 405);

      const current = (await cluster.namespace('held'))!;
      const swapped = await cluster.namespaces.updateSubresource(
        '',
        { ...current, metadata: { ...current.metadata, labels: { ...current.metadata?.labels, via: 'finalize' } }, spec: { finalizers: ['example.com/x'] }, status: { phase: 'Active' } },
        'finalize',
      );
      assert.deepEqual(swapped.spec?.finalizers, ['example.com/x']);
      assert.equal(swapped.metadata?.labels?.via, 'finalize');
      assert.equal(swapped.status?.phase, 'Terminating', 'finalize does not change status');
      const finalized = await cluster.namespaces.updateSubresource('', { ...swapped, spec: { finalizers: [] } }, 'finalize');
      assert.equal(finalized.kind, 'Namespace');
      assert.equal(await cluster.namespace('held'), undefined, 'gone once both finalizer lists are empty');

      const immortal = await k.run(['delete', 'namespace', 'kube-system']);
      assert.notEqual(immortal.code, 0);
      assert.match(immortal.stderr, /namespaces "kube-system" is forbidden: this namespace may not be deleted/);
    } finally {
      k.cleanup();
    }
  });

  for (const version of ['1.27', '1.33']) {
    test(`kubectl ${version}: delete namespace removes its Pods, ReplicaSets, ConfigMaps … and then the namespace`, async () => {
      cm ??= await startControllerManager(cluster.server.dataDir);
      const ns = `team-a-${version.replace('.', '')}`;
      await populate(cluster, version, ns);
      const k = kubectl(version, cluster.server.kubeconfig);
      try {
        await until(`the default ServiceAccount in ${ns}`, async () => (await cluster.serviceAccounts.list(ns)).items.some((sa) => sa.metadata?.name === 'default'));
        const started = Date.now();
        // kubectl waits for the namespace to be gone by default.
        const out = await k.ok(['delete', 'namespace', ns]);
        assert.match(out, new RegExp(`namespace "${ns}" deleted`));
        console.log(`kubectl ${version} delete namespace: ${Date.now() - started} ms`);
        assert.equal(await cluster.namespace(ns), undefined);
        assert.deepEqual(await leftIn(cluster, ns), []);
      } finally {
        k.cleanup();
      }
    });
  }

  test('content with a finalizer keeps the namespace Terminating, with conditions saying why, until the finalizer goes', async () => {
    cm ??= await startControllerManager(cluster.server.dataDir);
    const k27 = kubectl('1.27', cluster.server.kubeconfig);
    const k33 = kubectl('1.33', cluster.server.kubeconfig);
    try {
      await k33.ok(['create', 'namespace', 'pinned']);
      await cluster.configMaps.create('pinned', { metadata: { name: 'keep', finalizers: ['example.com/hold'] }, data: { a: 'b' } });
      await cluster.configMaps.create('pinned', { metadata: { name: 'plain' } });
      await k33.ok(['delete', 'namespace', 'pinned', '--wait=false']);
      const condition = (ns: Namespace | undefined, type: string) => ns?.status?.conditions?.find((c) => c.type === type);
      let ns: Namespace | undefined;
      await until('the NamespaceFinalizersRemaining condition', async () => {
        ns = await cluster.namespace('pinned');
        return condition(ns, 'NamespaceFinalizersRemaining')?.status === 'True';
      });
      assert.equal(ns?.status?.phase, 'Terminating');
      assert.deepEqual(
        ns?.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
        [
          ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
          ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
          ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
          ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances'],
          ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances'],
        ],
      );
      assert.deepEqual(await leftIn(cluster, 'pinned'), ['configmaps/keep'], 'everything else is gone, the default ServiceAccount too');
      assert.ok((await cluster.configMaps.get('pinned', 'keep')).metadata?.deletionTimestamp);
      for (const k of [k27, k33]) {
        const refused = await k.run(['-n', 'pinned', 'create', 'configmap', `late-${k.version.replace('.', '')}`]);
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, new RegExp(forbiddenMessage(`configmaps "late-${k.version.replace('.', '')}"`, 'pinned')));
      }
      assert.deepEqual(await cluster.serviceAccounts.list('pinned').then((l) => l.items), [], 'no default ServiceAccount in a Terminating namespace');

      await k33.ok(['-n', 'pinned', 'patch', 'configmap', 'keep', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      await until('the namespace to go', async () => (await cluster.namespace('pinned')) === undefined);
      assert.deepEqual(await leftIn(cluster, 'pinned'), []);
    } finally {
      k27.cleanup();
      k33.cleanup();
    }
  });

  test('every namespace gets a default ServiceAccount, and gets it back after kubectl delete sa default', async () => {
    cm ??= await startControllerManager(cluster.server.dataDir);
    const k = kubectl('1.33', cluster.server.kubeconfig);
    try {
      await k.ok(['create', 'namespace', 'fresh']);
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'fresh']) {
        await until(`the default ServiceAccount in ${ns}`, async () => (await cluster.serviceAccounts.list(ns)).items.some((sa) => sa.metadata?.name === 'default'));
      }
      const before = await cluster.serviceAccounts.get('fresh', 'default');
      assert.match(await k.ok(['-n', 'fresh', 'delete', 'sa', 'default']), /serviceaccount "default" deleted/);
      await until('the default ServiceAccount to come back', async () => {
        const list = await cluster.serviceAccounts.list('fresh');
        return list.items.some((sa) => sa.metadata?.name === 'default' && sa.metadata.uid !== before.metadata?.uid);
      });
      assert.match(await k.ok(['-n', 'fresh', 'get', 'sa']), /^default\s+0\s+/m);
    } finally {
      k.cleanup();
    }
  });
});

describe('namespace deletion on etcd', { skip: kubectlSkip ?? etcdSkipReason() }, () => {
  let cluster: Cluster;
  let cm: ComponentProcess;
  before(async () => {
    cluster = await startCluster('etcd');
    cm = await startControllerManager(cluster.server.dataDir);
  });
  after(async () => {
    await cm?.stop();
    await cluster?.stop();
  });

  test('kubectl 1.33: delete namespace removes its content and then the namespace', async () => {
    await populate(cluster, '1.33', 'team-e');
    const k = kubectl('1.33', cluster.server.kubeconfig);
    try {
      assert.match(await k.ok(['delete', 'namespace', 'team-e']), /namespace "team-e" deleted/);
      assert.equal(await cluster.namespace('team-e'), undefined);
      assert.deepEqual(await leftIn(cluster, 'team-e'), []);
      const status = (await cluster.namespaces.delete('', 'team-e').catch((e: unknown) => (e as ApiError).status)) as Status;
      assert.equal(status.code, 404);
    } finally {
      k.cleanup();
    }
  });
});
