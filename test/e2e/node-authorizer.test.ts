// The Node authorizer and NodeRestriction admission of the real `skiff apiserver`, with node client certificates
// minted from its CA (and a user "unknown" in system:nodes that names no node): upstream's TestNodeAuthorizer matrix (test/integration/auth/node_test.go) for the kinds Skiff
// serves (Secrets, ConfigMaps, Pods, mirror Pods, evictions, Nodes, node Leases), as a table run in order.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { HttpsClient, type HttpResponse } from '../support/https-client.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { Http2Transport, loadClientConfig, RestClient } from '../../src/client/index.js';
import { authorizeKubeletRequest, kubeletRequestAttributes } from '../../src/kubelet/index.js';

const skiff = new URL('../../../bin/skiff', import.meta.url).pathname;

type Who = 'admin' | 'unknown' | 'node1' | 'node2';
type Expect = 'allowed' | 'forbidden' | 'notfound';
type Step = readonly [Who, string, Expect];

const NS = 'ns';
const POD = (name: string) => `/api/v1/namespaces/${NS}/pods/${name}`;
const LEASE = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const mergePatch = 'application/merge-patch+json';

describe('Node authorizer and NodeRestriction (upstream TestNodeAuthorizer)', () => {
  let server: SkiffProcess;
  const clients = new Map<Who, HttpsClient>();
  let node2Uid = '';

  const client = (who: Who) => clients.get(who)!;
  const mirrorPod = () => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'node2mirrorpod',
      namespace: NS,
      annotations: { 'kubernetes.io/config.mirror': 'mirror' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node2', uid: node2Uid, controller: true }],
    },
    spec: { nodeName: 'node2', containers: [{ name: 'c', image: 'pause' }] },
  });
  const normalPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'node2normalpod', namespace: NS },
    spec: {
      nodeName: 'node2',
      containers: [{ name: 'c', image: 'pause', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'myconfigmap', key: 'k' } } }] }],
      volumes: [{ name: 's', secret: { secretName: 'mysecret' } }],
    },
  };
  const eviction = (pod: string) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: NS }, deleteOptions: { gracePeriodSeconds: 0 } });

  /** The requests of the matrix, by name. */
  const actions: Record<string, (c: HttpsClient) => Promise<HttpResponse>> = {
    getSecret: (c) => c.get(`/api/v1/namespaces/${NS}/secrets/mysecret`),
    getConfigMap: (c) => c.get(`/api/v1/namespaces/${NS}/configmaps/myconfigmap`),
    createNode2NormalPod: (c) => c.post(`/api/v1/namespaces/${NS}/pods`, normalPod),
    updateNode2NormalPodStatus: (c) => c.request('PATCH', `${POD('node2normalpod')}/status`, { body: { status: { startTime: '2026-01-01T00:00:00Z' } }, contentType: mergePatch }),
    deleteNode2NormalPod: (c) => c.delete(`${POD('node2normalpod')}?gracePeriodSeconds=0`),
    createNode2NormalPodEviction: (c) => c.post(`${POD('node2normalpod')}/eviction`, eviction('node2normalpod')),
    createNode2MirrorPod: (c) => c.post(`/api/v1/namespaces/${NS}/pods`, mirrorPod()),
    deleteNode2MirrorPod: (c) => c.delete(`${POD('node2mirrorpod')}?gracePeriodSeconds=0`),
    createNode2MirrorPodEviction: (c) => c.post(`${POD('node2mirrorpod')}/eviction`, eviction('node2mirrorpod')),
    createNode2: (c) => c.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node2' } }),
    updateNode2Status: async (c) => {
      // A PUT of the status (upstream's UpdateStatus), at the current resourceVersion when the Node exists.
      const current = await client('admin').get('/api/v1/nodes/node2');
      const resourceVersion = current.status === 200 ? current.json().metadata.resourceVersion : undefined;
      return c.put('/api/v1/nodes/node2/status', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node2', resourceVersion }, status: {} });
    },
    deleteNode2: (c) => c.delete('/api/v1/nodes/node2'),
    labelNode2: (c) => c.request('PATCH', '/api/v1/nodes/node2', { body: { metadata: { labels: { 'example.com/role': 'db' } } }, contentType: mergePatch }),
    restrictedLabelNode2: (c) => c.request('PATCH', '/api/v1/nodes/node2', { body: { metadata: { labels: { 'node-restriction.kubernetes.io/pci': 'true' } } }, contentType: mergePatch }),
    ownNode2: (c) => c.request('PATCH', '/api/v1/nodes/node2', { body: { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node1', uid: 'x' }] } }, contentType: mergePatch }),
    taintNode2: (c) => c.request('PATCH', '/api/v1/nodes/node2', { body: { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }, contentType: mergePatch }),
    listAllPods: (c) => c.get('/api/v1/pods'),
    listNode2Pods: (c) => c.get('/api/v1/pods?fieldSelector=spec.nodeName%3Dnode2'),
    getNode2: (c) => c.get('/api/v1/nodes/node2'),
    listNodes: (c) => c.get('/api/v1/nodes'),
    watchNode2ByName: (c) => c.get('/api/v1/nodes?fieldSelector=metadata.name%3Dnode2&limit=1'),
    createNode1Lease: (c) =>
      c.post(LEASE, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node1' }, spec: { holderIdentity: 'node1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' } }),
    getNode1Lease: (c) => c.get(`${LEASE}/node1`),
    updateNode1Lease: async (c) => {
      const got = await c.get(`${LEASE}/node1`);
      if (got.status !== 200) return got;
      const lease = got.json();
      lease.spec.renewTime = '2026-01-01T00:00:01.000000Z';
      return c.put(`${LEASE}/node1`, lease);
    },
    patchNode1Lease: (c) => c.request('PATCH', `${LEASE}/node1`, { body: { spec: { leaseDurationSeconds: 41 } }, contentType: 'application/strategic-merge-patch+json' }),
    deleteNode1Lease: (c) => c.delete(`${LEASE}/node1`),
  };

  const run = async ([who, action, expected]: Step): Promise<void> => {
    const res = await actions[action]!(client(who));
    const code = { allowed: [200, 201], forbidden: [403], notfound: [404] }[expected];
    assert.ok(code.includes(res.status), `${who} ${action}: expected ${expected}, got ${res.status} ${res.body}`);
  };
  /** Runs the steps in order; a step expecting a relation the graph learns from a watch may take a moment. */
  const table = async (steps: readonly Step[]) => {
    for (const step of steps) {
      const deadline = Date.now() + 5000;
      for (let i = 0; ; i++) {
        try {
          await run(step);
          break;
        } catch (err) {
          if (step[2] !== 'allowed' || Date.now() > deadline || i > 250) throw err;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }
  };

  before(async () => {
    server = await startApiserver();
    const admin = HttpsClient.fromKubeconfig(server.kubeconfig);
    clients.set('admin', admin);
    for (const [who, user] of [['unknown', 'unknown'], ['node1', 'system:node:node1'], ['node2', 'system:node:node2']] as const) {
      const file = join(server.dataDir, `${who}.yaml`);
      execFileSync(process.execPath, [skiff, 'kubeconfig', '--data-dir', server.dataDir, '--user', user, '--group', 'system:nodes', '-o', file]);
      clients.set(who, HttpsClient.fromKubeconfig(file));
    }
    assert.equal((await admin.post('/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
    assert.equal((await admin.post(`/api/v1/namespaces/${NS}/secrets`, { metadata: { name: 'mysecret' }, stringData: { k: 'v' } })).status, 201);
    assert.equal((await admin.post(`/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'myconfigmap' }, data: { k: 'v' } })).status, 201);
  });
  after(async () => {
    for (const c of clients.values()) c.close();
    await server?.stop();
  });

  test('an unknown node and node1 may not touch node2 or what it runs; node2 manages its own mirror Pod and Node, not its deletion', async () => {
    await table([
      ['unknown', 'getSecret', 'forbidden'],
      ['unknown', 'getConfigMap', 'forbidden'],
      ['unknown', 'createNode2NormalPod', 'forbidden'],
      ['unknown', 'createNode2MirrorPod', 'forbidden'],
      ['unknown', 'deleteNode2NormalPod', 'forbidden'],
      ['unknown', 'createNode2', 'forbidden'],
      ['unknown', 'updateNode2Status', 'forbidden'],
      ['unknown', 'deleteNode2', 'forbidden'],
      ['node1', 'getSecret', 'forbidden'],
      ['node1', 'getConfigMap', 'forbidden'],
      ['node1', 'createNode2MirrorPod', 'forbidden'],
      ['node1', 'deleteNode2MirrorPod', 'notfound'],
      ['node1', 'createNode2MirrorPodEviction', 'notfound'],
      ['node1', 'createNode2', 'forbidden'],
      ['node1', 'updateNode2Status', 'forbidden'],
      ['node1', 'deleteNode2', 'forbidden'],
      ['node2', 'getSecret', 'forbidden'],
      ['node2', 'getConfigMap', 'forbidden'],
      ['node2', 'createNode2NormalPod', 'forbidden'],
      ['node2', 'createNode2', 'allowed'],
      ['node2', 'updateNode2Status', 'allowed'],
    ]);
    node2Uid = (await client('admin').get('/api/v1/nodes/node2')).json().metadata.uid;
    await table([
      ['node2', 'createNode2MirrorPod', 'allowed'],
      ['node2', 'deleteNode2MirrorPod', 'allowed'],
      ['node2', 'createNode2MirrorPod', 'allowed'],
      ['node2', 'createNode2MirrorPodEviction', 'allowed'],
      ['node2', 'deleteNode2', 'forbidden'],
      ['node2', 'getNode2', 'allowed'],
      ['node1', 'getNode2', 'forbidden'],
      ['node2', 'listNodes', 'forbidden'],
      ['node2', 'watchNode2ByName', 'allowed'],
      ['node2', 'labelNode2', 'allowed'],
      ['node1', 'labelNode2', 'forbidden'],
      ['node2', 'restrictedLabelNode2', 'forbidden'],
      ['node2', 'ownNode2', 'forbidden'],
      ['node2', 'taintNode2', 'forbidden'],
    ]);
  });

  test('a Pod bound to node2 opens its Secret and ConfigMap to node2 only; only node2 updates its status, deletes and evicts it', async () => {
    await table([
      ['admin', 'createNode2NormalPod', 'allowed'],
      ['unknown', 'getSecret', 'forbidden'],
      ['unknown', 'updateNode2NormalPodStatus', 'forbidden'],
      ['unknown', 'deleteNode2NormalPod', 'forbidden'],
      ['unknown', 'createNode2NormalPodEviction', 'forbidden'],
      ['node1', 'getSecret', 'forbidden'],
      ['node1', 'getConfigMap', 'forbidden'],
      ['node1', 'createNode2NormalPod', 'forbidden'],
      ['node1', 'updateNode2NormalPodStatus', 'forbidden'],
      ['node1', 'deleteNode2NormalPod', 'forbidden'],
      ['node1', 'createNode2NormalPodEviction', 'forbidden'],
      ['node1', 'listNode2Pods', 'forbidden'],
      ['node2', 'getSecret', 'allowed'],
      ['node2', 'getConfigMap', 'allowed'],
      ['node2', 'listAllPods', 'forbidden'],
      ['node2', 'listNode2Pods', 'allowed'],
      ['node2', 'createNode2NormalPod', 'forbidden'],
      ['node2', 'updateNode2NormalPodStatus', 'allowed'],
      ['node2', 'deleteNode2NormalPod', 'allowed'],
      ['admin', 'createNode2NormalPod', 'allowed'],
      ['node2', 'createNode2NormalPodEviction', 'allowed'],
    ]);
    // Once the Pod is gone, so is node2's access to what it referenced.
    const deadline = Date.now() + 5000;
    for (let i = 0; (await actions.getSecret!(client('node2'))).status !== 403; i++) {
      assert.ok(Date.now() < deadline && i < 250, 'node2 still reads the Secret after its Pod is gone');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  test('node1 manages its own Lease; node2 may not touch it', async () => {
    await table([
      ['node1', 'createNode1Lease', 'allowed'],
      ['node1', 'getNode1Lease', 'allowed'],
      ['node1', 'updateNode1Lease', 'allowed'],
      ['node1', 'patchNode1Lease', 'allowed'],
      ['node2', 'createNode1Lease', 'forbidden'],
      ['node2', 'getNode1Lease', 'forbidden'],
      ['node2', 'updateNode1Lease', 'forbidden'],
      ['node2', 'patchNode1Lease', 'forbidden'],
      ['node2', 'deleteNode1Lease', 'forbidden'],
      ['node1', 'deleteNode1Lease', 'allowed'],
    ]);
  });

  test("a kubelet's check of API server calls: kube-apiserver-kubelet-client may read nodes/log and nodes/proxy, another user not", async () => {
    const kubelet = new RestClient(new Http2Transport(loadClientConfig(join(server.dataDir, 'node2.yaml'))));
    try {
      const apiserver = { username: 'kube-apiserver-kubelet-client', groups: ['system:authenticated'] };
      for (const path of ['/logs/kubelet.log', '/containerLogs/ns/p/c']) {
        const decision = await authorizeKubeletRequest(kubelet, apiserver, kubeletRequestAttributes('GET', path, 'node2'));
        assert.equal(decision.allowed, true, `${path}: ${decision.reason}`);
      }
      const alice = { username: 'alice', groups: ['system:authenticated'] };
      assert.equal((await authorizeKubeletRequest(kubelet, alice, kubeletRequestAttributes('GET', '/logs/kubelet.log', 'node2'))).allowed, false);
    } finally {
      kubelet.transport.close();
    }
  });

  for (const version of ['1.27', '1.33']) {
    test(`kubectl ${version} with node credentials: node2 labels its own Node, node1 may not touch node2's Node or Pods`, { skip: kubectlSkipReason(version) }, async () => {
      const asNode2 = kubectl(version, join(server.dataDir, 'node2.yaml'));
      const asNode1 = kubectl(version, join(server.dataDir, 'node1.yaml'));
      try {
        assert.match(await asNode2.ok(['label', 'node', 'node2', `example.com/kubectl-${version}=yes`]), /node\/node2 labeled/);
        const label = await asNode1.run(['label', 'node', 'node2', 'example.com/x=y']);
        assert.match(label.stderr, /nodes "node2" is forbidden: User "system:node:node1" cannot get resource "nodes" in API group "" at the cluster scope: node 'node1' cannot read 'node2', only its own Node object/);
        const remove = await asNode1.run(['delete', 'node', 'node2']);
        assert.match(remove.stderr, /nodes "node2" is forbidden: User "system:node:node1" cannot delete resource "nodes" in API group "" at the cluster scope/);
        const pods = await asNode1.run(['get', 'pods', '-A']);
        assert.match(pods.stderr, /pods is forbidden: User "system:node:node1" cannot list resource "pods" in API group "" at the cluster scope: can only list\/watch pods with spec.nodeName field selector/);
        await asNode2.ok(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=node2']);
        const evict = await asNode1.run(['delete', 'pod', 'node2normalpod', '-n', NS]);
        assert.notEqual(evict.code, 0);
        assert.match(evict.stderr, /pods "node2normalpod" is forbidden|pods "node2normalpod" not found/);
      } finally {
        asNode1.cleanup();
        asNode2.cleanup();
      }
    });
  }

  test('denials carry upstream messages', async () => {
    const secret = await actions.getSecret!(client('node1'));
    assert.equal(secret.json().message, `secrets "mysecret" is forbidden: User "system:node:node1" cannot get resource "secrets" in API group "" in the namespace "${NS}": no relationship found between node 'node1' and this object`);
    const other = await actions.labelNode2!(client('node1'));
    assert.equal(other.json().message, 'nodes "node2" is forbidden: node "node1" is not allowed to modify node "node2"');
    const own = await actions.deleteNode2!(client('node2'));
    assert.equal(own.json().message, 'nodes "node2" is forbidden: User "system:node:node2" cannot delete resource "nodes" in API group "" at the cluster scope');
    assert.equal((await client('admin').post(`/api/v1/namespaces/${NS}/pods`, normalPod)).status, 201);
    const evict = await actions.createNode2NormalPodEviction!(client('node1'));
    assert.equal(evict.json().message, 'pods "node2normalpod" is forbidden: node node1 can only evict pods with spec.nodeName set to itself');
    const remove = await actions.deleteNode2NormalPod!(client('node1'));
    assert.equal(remove.json().message, 'pods "node2normalpod" is forbidden: node "node1" can only delete pods with spec.nodeName set to itself');
    const taint = await actions.taintNode2!(client('node2'));
    assert.equal(taint.json().message, 'nodes "node2" is forbidden: node "node2" is not allowed to modify taints');
  });
});
