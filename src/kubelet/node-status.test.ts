import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCapacity, parseNodeLabels, parseTaints, type NodeConfig } from './node-config.js';
import { buildNode, buildNodeStatus, canonicallyEqual, nodeStatusChanged } from './node-status.js';

const config: NodeConfig = {
  nodeName: 'n1',
  labels: parseNodeLabels('zone=a,tier=web'),
  taints: parseTaints('dedicated=sim:NoSchedule,gpu:NoExecute'),
  capacity: parseCapacity('cpu=8,pods=20'),
  address: '10.64.0.1',
  podCIDR: '10.128.0.0/24',
  kubeletVersion: 'v1.32.0',
  runtimeName: 'simulated',
  runtimeVersion: '0.1.0',
  operatingSystem: 'linux',
  architecture: 'amd64',
};

describe('node registration and status', () => {
  it('parses the flags', () => {
    assert.deepEqual(parseTaints('dedicated=sim:NoSchedule,gpu:NoExecute'), [
      { key: 'dedicated', value: 'sim', effect: 'NoSchedule' },
      { key: 'gpu', effect: 'NoExecute' },
    ]);
    assert.throws(() => parseTaints('a=b:Sometimes'));
    assert.throws(() => parseNodeLabels('novalue'));
    assert.deepEqual(parseCapacity('cpu=8,pods=20'), { cpu: '8', memory: '8Gi', pods: '20', 'ephemeral-storage': '100Gi' });
  });

  it('builds the Node with the well-known labels, taints, capacity, addresses and the four conditions', () => {
    const node = buildNode(config, Date.UTC(2025, 0, 1));
    assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'n1');
    assert.equal(node.metadata?.labels?.['kubernetes.io/os'], 'linux');
    assert.equal(node.metadata?.labels?.['kubernetes.io/arch'], 'amd64');
    assert.equal(node.metadata?.labels?.zone, 'a');
    assert.equal(node.spec?.taints?.length, 2);
    assert.deepEqual(node.status?.allocatable, node.status?.capacity);
    assert.deepEqual(node.status?.addresses, [{ type: 'InternalIP', address: '10.64.0.1' }, { type: 'Hostname', address: 'n1' }]);
    assert.equal(node.status?.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
    assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.32.0');
    assert.deepEqual(node.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
  });

  it('counts only real changes: heartbeats alone are not one, Ready=Unknown set by the controller is', () => {
    const first = buildNodeStatus(config, undefined, Date.UTC(2025, 0, 1));
    const later = buildNodeStatus(config, first, Date.UTC(2025, 0, 1, 0, 0, 10));
    assert.equal(later.conditions?.[3]?.lastTransitionTime, first.conditions?.[3]?.lastTransitionTime);
    assert.equal(nodeStatusChanged(first, later), false);
    const unknown = { ...first, conditions: first.conditions?.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c)) };
    const next = buildNodeStatus(config, unknown, Date.UTC(2025, 0, 1, 0, 1));
    assert.equal(nodeStatusChanged(unknown, next), true);
    assert.equal(next.conditions?.[3]?.lastTransitionTime, '2025-01-01T00:01:00Z');
  });
});

it('canonicallyEqual: key order, null and undefined fields aside; arrays in order; types strict', () => {
  const a = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, reason: undefined }, { type: 'A"b', status: 'False' }], hostIP: '10.0.0.1', n: 1.5, ok: true, list: [[1, null], 'x'] };
  const b = { ok: true, n: 1.5, list: [[1, undefined], 'x'], hostIP: '10.0.0.1', conditions: [{ status: 'True', type: 'Ready' }, { status: 'False', type: 'A"b' }], phase: 'Running', gone: null };
  assert.equal(canonicallyEqual(a, b), true);
  assert.equal(canonicallyEqual(b, a), true);
  assert.equal(canonicallyEqual(a, { ...b, extra: 0 }), false, 'a field only one side has');
  assert.equal(canonicallyEqual({ ...a, extra: 0 }, b), false);
  assert.equal(canonicallyEqual(a, { ...b, n: '1.5' }), false, 'a number is not its string');
  assert.equal(canonicallyEqual({ c: [{ type: 'Ready' }, { type: 'A' }] }, { c: [{ type: 'A' }, { type: 'Ready' }] }), false, 'array order counts');
  assert.equal(canonicallyEqual({ c: [1] }, { c: [1, 2] }), false);
  assert.equal(canonicallyEqual({ c: [] }, { c: {} }), false);
  assert.equal(canonicallyEqual(undefined, null), true);
  assert.equal(canonicallyEqual(undefined, {}), false);
});
