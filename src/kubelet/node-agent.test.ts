import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { ApiError } from '../api/index.js';
import type { ResourceClient } from '../client/index.js';
import { ManualClock } from '../lib/index.js';
import { encodeLease, NodeAgent, resourceVersionOf } from './node-agent.js';
import { parseCapacity, type NodeConfig } from './node-config.js';

const config: NodeConfig = {
  nodeName: 'n1',
  labels: {},
  taints: [],
  capacity: parseCapacity(''),
  address: '10.64.0.1',
  podCIDR: '10.128.0.0/24',
  kubeletVersion: 'v1.32.0',
  runtimeName: 'simulated',
  runtimeVersion: '0.1.0',
  operatingSystem: 'linux',
  architecture: 'amd64',
};

const conflict = (name: string) => new ApiError({ code: 409, reason: 'Conflict', message: `Operation cannot be fulfilled on leases.coordination.k8s.io "${name}": the object has been modified` });
const notFound = (what: string, name: string) => new ApiError({ code: 404, reason: 'NotFound', message: `${what} "${name}" not found` });
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/** An API server of one Node and its Lease, as far as the NodeAgent uses it; every write is recorded. */
function fakeApi() {
  let rv = 10;
  const calls: string[] = [];
  const bodies: unknown[] = [];
  let node: Node | undefined;
  let lease: Lease | undefined;
  const managedFields = [{ manager: 'kubelet', operation: 'Update', apiVersion: 'coordination.k8s.io/v1', time: '2025-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: {} }];
  const storeLease = (l: Lease): Lease => {
    lease = { ...clone(l), metadata: { ...clone(l.metadata), uid: lease?.metadata?.uid ?? 'lease-uid', resourceVersion: String(++rv), managedFields } };
    return clone(lease);
  };
  const update = (l: Lease): Lease => {
    if (!lease) throw notFound('leases.coordination.k8s.io', 'n1');
    if (l.metadata?.resourceVersion !== lease.metadata?.resourceVersion) throw conflict('n1');
    return storeLease(l);
  };
  const nodes = {
    create: async (_ns: string, n: Node) => {
      calls.push('create node');
      if (node) throw new ApiError({ code: 409, reason: 'AlreadyExists', message: 'nodes "n1" already exists' });
      node = { ...clone(n), metadata: { ...n.metadata, uid: 'node-uid', resourceVersion: String(++rv) } };
      return clone(node);
    },
    get: async () => {
      calls.push('get node');
      if (!node) throw notFound('nodes', 'n1');
      return clone(node);
    },
    patch: async (_ns: string, _name: string, type: string, patch: { status: Node['status'] }, opts: { subresource?: string }) => {
      calls.push(`patch node ${opts.subresource} ${type}`);
      bodies.push(patch);
      node = { ...node, status: patch.status, metadata: { ...node?.metadata, resourceVersion: String(++rv) } };
      return clone(node);
    },
  };
  const leases = {
    get: async () => {
      calls.push('get lease');
      if (!lease) throw notFound('leases.coordination.k8s.io', 'n1');
      return clone(lease);
    },
    create: async (_ns: string, l: Lease) => {
      calls.push('create lease');
      bodies.push(clone(l));
      return storeLease(l);
    },
    update: async (_ns: string, l: Lease) => {
      calls.push('update lease');
      bodies.push(clone(l));
      return update(l);
    },
    updateEncoded: async (_ns: string, name: string, body: string) => {
      calls.push(`put lease ${name}`);
      const l = JSON.parse(body) as Lease;
      bodies.push(l);
      return Buffer.from(JSON.stringify(update(l)));
    },
  };
  return {
    calls,
    bodies,
    node: () => node,
    lease: () => lease,
    setLease: (l: Lease | undefined) => (lease = l),
    setNode: (n: Node) => (node = n),
    nodes: nodes as unknown as ResourceClient<Node>,
    leases: leases as unknown as ResourceClient<Lease>,
  };
}

function agent(api: ReturnType<typeof fakeApi>, clock: ManualClock, currentNode: () => Node | undefined = api.node) {
  return new NodeAgent({ config, nodes: api.nodes, leases: api.leases, clock, currentNode, statusReportFrequencyMs: 300_000 });
}

describe('NodeAgent', () => {
  it('registers the Node, then creates its Lease owned by the Node, as upstream’s kubelet writes it', async () => {
    const api = fakeApi();
    const clock = new ManualClock(Date.parse('2025-03-01T10:00:00Z'));
    const a = agent(api, clock);
    await a.register(new AbortController().signal);
    assert.equal(a.registered, true);
    assert.deepEqual(api.calls, ['create node', 'get lease', 'create lease']);
    assert.deepEqual(api.lease()?.spec, { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2025-03-01T10:00:00.000000Z' });
    assert.deepEqual(api.lease()?.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid' }]);
    assert.equal(api.lease()?.metadata?.namespace, 'kube-node-lease');
  });

  it('renews with the whole Lease but its managedFields, only renewTime and resourceVersion changing', async () => {
    const api = fakeApi();
    const clock = new ManualClock(Date.parse('2025-03-01T10:00:00Z'));
    const a = agent(api, clock);
    await a.register(new AbortController().signal);
    const created = clone(api.lease()!);
    clock.advance(10_000);
    await a.renewLease();
    clock.advance(10_250);
    await a.renewLease();
    assert.deepEqual(api.calls.slice(3), ['put lease n1', 'put lease n1']);
    const { managedFields: _m, ...metadata } = created.metadata!;
    assert.deepEqual(api.bodies.at(-1), {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...metadata, resourceVersion: String(Number(created.metadata?.resourceVersion) + 1) },
      spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2025-03-01T10:00:20.250000Z' },
    });
    assert.deepEqual(api.lease()?.metadata?.ownerReferences, created.metadata?.ownerReferences);
  });

  it('re-reads the Lease after a conflict and creates it again once deleted', async () => {
    const api = fakeApi();
    const clock = new ManualClock(Date.parse('2025-03-01T10:00:00Z'));
    const a = agent(api, clock);
    await a.register(new AbortController().signal);
    // Someone else wrote the Lease: the next update conflicts, the agent takes the current one and writes its own spec.
    api.setLease({ ...api.lease()!, metadata: { ...api.lease()!.metadata, resourceVersion: '500' }, spec: { holderIdentity: 'other', leaseDurationSeconds: 15 } });
    api.calls.length = 0;
    await a.renewLease();
    assert.deepEqual(api.calls, ['put lease n1', 'get lease', 'update lease']);
    assert.deepEqual(api.lease()?.spec, { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2025-03-01T10:00:00.000000Z' });
    await a.renewLease();
    assert.equal(api.calls.at(-1), 'put lease n1');
    api.setLease(undefined);
    api.calls.length = 0;
    await a.renewLease();
    assert.deepEqual(api.calls, ['put lease n1', 'get lease', 'create lease']);
    assert.deepEqual(api.lease()?.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid' }]);
  });

  it('adopts an existing Node and rewrites its status', async () => {
    const api = fakeApi();
    const clock = new ManualClock(Date.parse('2025-03-01T10:00:00Z'));
    await api.nodes.create('', { metadata: { name: 'n1' } });
    api.calls.length = 0;
    await agent(api, clock).register(new AbortController().signal);
    assert.deepEqual(api.calls.slice(0, 3), ['create node', 'get node', 'patch node status merge']);
    assert.equal(api.node()?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  });

  it('patches the status only when it changed or once the report period passed', async () => {
    const api = fakeApi();
    const clock = new ManualClock(Date.parse('2025-03-01T10:00:00Z'));
    const a = agent(api, clock);
    await a.register(new AbortController().signal);
    api.calls.length = 0;
    clock.advance(10_000);
    await a.updateStatus();
    assert.deepEqual(api.calls, [], 'the Node has the status already');
    // The Node lost its Ready condition (someone else wrote it): the agent writes its status back.
    api.setNode({ ...api.node(), metadata: { ...api.node()?.metadata, resourceVersion: '999' }, status: { ...api.node()?.status, conditions: [] } });
    await a.updateStatus();
    assert.deepEqual(api.calls, ['patch node status merge']);
    clock.advance(10_000);
    await a.updateStatus();
    assert.equal(api.calls.length, 1);
    clock.advance(300_000);
    await a.updateStatus();
    assert.equal(api.calls.length, 2, 'reported after 5 minutes even when unchanged');
  });

  it('heartbeats on a timer until the signal aborts', async () => {
    const api = fakeApi();
    const clock = new ManualClock(Date.parse('2025-03-01T10:00:00Z'));
    const a = agent(api, clock);
    const ac = new AbortController();
    const run = a.run(ac.signal);
    for (let i = 0; i < 100 && !a.registered; i++) await new Promise((r) => setImmediate(r));
    assert.equal(a.registered, true);
    for (let i = 0; i < 6; i++) {
      clock.advance(5_000);
      for (let j = 0; j < 5; j++) await new Promise((r) => setImmediate(r));
    }
    const puts = api.calls.filter((c) => c === 'put lease n1').length;
    assert.ok(puts >= 2 && puts <= 3, `${puts} renewals in 30 s`);
    ac.abort();
    await run;
  });
});

describe('Lease encoding', () => {
  it('splices resourceVersion and renewTime into a body encoded once', () => {
    const e = encodeLease({ metadata: { name: 'n', namespace: 'kube-node-lease', resourceVersion: '42', managedFields: [{ manager: 'x' }] }, spec: { holderIdentity: 'n', leaseDurationSeconds: 40, renewTime: 'old' } });
    assert.deepEqual(JSON.parse(e.head + e.resourceVersion + e.middle + 'NOW"}}'), {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { resourceVersion: '42', name: 'n', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'n', leaseDurationSeconds: 40, renewTime: 'NOW' },
    });
    const bare = encodeLease({});
    assert.deepEqual(JSON.parse(bare.head + bare.resourceVersion + bare.middle + 'T"}}'), { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { resourceVersion: '' }, spec: { renewTime: 'T' } });
  });

  it('reads the resourceVersion of an answer, decoding it in full when the key is ambiguous', () => {
    assert.equal(resourceVersionOf(Buffer.from('{"kind":"Lease","metadata":{"name":"n","resourceVersion":"123","uid":"u"}}')), '"123"');
    assert.equal(resourceVersionOf(Buffer.from('{"metadata":{"labels":{"resourceVersion":"9"},"resourceVersion":"124"}}')), '"124"');
    assert.equal(resourceVersionOf(Buffer.from('{"metadata":{"resourceVersion":"a\\"b"}}')), JSON.stringify('a"b'));
  });
});
