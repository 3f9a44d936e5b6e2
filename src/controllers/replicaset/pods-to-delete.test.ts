import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatTimestamp } from './replicaset-status.js';
import {
  deletesBefore,
  deletionCost,
  filterActivePods,
  getPodsToDelete,
  isPodActive,
  PodDeletionCost,
  rankPodsByRelatedPodsOnSameNode,
} from './pods-to-delete.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (s: number) => formatTimestamp(NOW - s * 1000);

interface Opts {
  uid?: string;
  node?: string;
  phase?: string;
  ready?: boolean;
  readyFor?: number;
  cost?: string;
  restarts?: number;
  sidecarRestarts?: number;
  age?: number;
  deleting?: boolean;
}

function pod(name: string, o: Opts = {}): Pod {
  const p: Pod = {
    metadata: {
      name,
      namespace: 'default',
      uid: o.uid ?? name,
      ...(o.age !== undefined ? { creationTimestamp: ago(o.age) } : {}),
      ...(o.deleting ? { deletionTimestamp: ago(0) } : {}),
    },
    spec: { containers: [{ name: 'c' }], initContainers: [{ name: 'side', restartPolicy: 'Always' }, { name: 'init' }] },
    status: { phase: o.phase ?? 'Running' },
  };
  if (o.node !== undefined) p.spec!.nodeName = o.node;
  if (o.cost !== undefined) p.metadata!.annotations = { [PodDeletionCost]: o.cost };
  if (o.ready !== undefined) {
    const cond: NonNullable<NonNullable<Pod['status']>['conditions']>[number] = { type: 'Ready', status: o.ready ? 'True' : 'False' };
    if (o.readyFor !== undefined) cond.lastTransitionTime = ago(o.readyFor);
    p.status!.conditions = [cond];
  }
  p.status!.containerStatuses = [{ name: 'c', restartCount: o.restarts ?? 0, image: '', imageID: '', ready: true }];
  p.status!.initContainerStatuses = [
    { name: 'side', restartCount: o.sidecarRestarts ?? 0, image: '', imageID: '', ready: true },
    { name: 'init', restartCount: 99, image: '', imageID: '', ready: false },
  ];
  return p;
}

const first = (a: Pod, b: Pod, ranks: [number, number] = [0, 0]) => {
  const x = { pod: a, rank: ranks[0] };
  const y = { pod: b, rank: ranks[1] };
  return deletesBefore(x, y, NOW) && !deletesBefore(y, x, NOW);
};

describe('isPodActive / filterActivePods', () => {
  it('drops finished and deleting pods', () => {
    assert.equal(isPodActive(pod('a', { phase: 'Running' })), true);
    assert.equal(isPodActive(pod('a', { phase: 'Pending' })), true);
    assert.equal(isPodActive({}), true);
    assert.equal(isPodActive(pod('a', { phase: 'Succeeded' })), false);
    assert.equal(isPodActive(pod('a', { phase: 'Failed' })), false);
    assert.equal(isPodActive(pod('a', { deleting: true })), false);
    const pods = [pod('a'), pod('b', { phase: 'Failed' }), pod('c'), pod('d', { deleting: true })];
    assert.deepEqual(filterActivePods(pods).map((p) => p.metadata?.name), ['a', 'c']);
  });
});

describe('deletionCost', () => {
  const cost = (v: string) => deletionCost({ [PodDeletionCost]: v });
  it('reads a decimal int32', () => {
    assert.equal(deletionCost(undefined), 0);
    assert.equal(deletionCost({}), 0);
    assert.equal(cost('10'), 10);
    assert.equal(cost('-10'), -10);
    assert.equal(cost('0'), 0);
    assert.equal(Object.is(cost('-0'), 0), true);
    assert.equal(cost('-007'), -7);
    assert.equal(cost('2147483647'), 2147483647);
    assert.equal(cost('-2147483648'), -2147483648);
  });
  it('is 0 for values upstream rejects', () => {
    for (const v of ['', '+10', '008', '00', '1.5', '1e3', ' 1', '-', '2147483648', '-2147483649', 'abc', '0x10']) {
      assert.equal(cost(v), 0, v);
    }
  });
});

describe('deletesBefore', () => {
  it('1. unassigned before assigned', () => {
    assert.ok(first(pod('a', { ready: true }), pod('b', { node: 'n1', phase: 'Pending' })));
  });
  it('2. Pending < Unknown < Running; other phases count as Pending', () => {
    assert.ok(first(pod('a', { node: 'n', phase: 'Pending' }), pod('b', { node: 'n', phase: 'Unknown' })));
    assert.ok(first(pod('a', { node: 'n', phase: 'Unknown' }), pod('b', { node: 'n', phase: 'Running' })));
    assert.ok(first(pod('a', { node: 'n', phase: 'Weird' }), pod('b', { node: 'n', phase: 'Unknown' })));
  });
  it('3. not ready before ready', () => {
    assert.ok(first(pod('a', { node: 'n', ready: false, cost: '100' }), pod('b', { node: 'n', ready: true, cost: '-100' })));
    assert.ok(first(pod('a', { node: 'n' }), pod('b', { node: 'm', ready: true }), [0, 5]));
  });
  it('4. lower deletion cost first, before rank', () => {
    assert.ok(first(pod('a', { node: 'n', cost: '-1' }), pod('b', { node: 'n' }), [0, 9]));
  });
  it('5. higher rank first', () => {
    assert.ok(first(pod('a', { node: 'n', restarts: 0 }), pod('b', { node: 'n', restarts: 5 }), [3, 2]));
  });
  it('6. ready for less time first, in log2 buckets with a UID tie-break', () => {
    assert.ok(first(pod('a', { node: 'n', ready: true, readyFor: 10 }), pod('b', { node: 'n', ready: true, readyFor: 1000, restarts: 9 })));
    // 100s and 120s since: same bucket (2^46 ns ≈ 70s .. 2^47 ≈ 140s), so UID decides
    assert.ok(first(pod('z', { uid: 'u1', node: 'n', ready: true, readyFor: 120 }), pod('y', { uid: 'u2', node: 'n', ready: true, readyFor: 100 })));
    assert.ok(first(pod('a', { node: 'n', ready: true }), pod('b', { node: 'n', ready: true, readyFor: 5 })), 'missing time first');
  });
  it('6 applies only when both are ready', () => {
    assert.ok(first(pod('a', { node: 'n', ready: false, readyFor: 1000, restarts: 2 }), pod('b', { node: 'n', ready: false, readyFor: 1 })));
  });
  it('7. more restarts first, regular containers before sidecars; plain init containers do not count', () => {
    assert.ok(first(pod('a', { node: 'n', restarts: 3, age: 1000 }), pod('b', { node: 'n', restarts: 1, sidecarRestarts: 50, age: 1 })));
    assert.ok(first(pod('a', { node: 'n', sidecarRestarts: 2, age: 1000 }), pod('b', { node: 'n', sidecarRestarts: 1, age: 1 })));
  });
  it('8. newer first in log2 buckets, UID tie-break; missing creation time first', () => {
    assert.ok(first(pod('a', { node: 'n', age: 10 }), pod('b', { node: 'n', age: 1000 })));
    assert.ok(first(pod('x', { uid: 'u1', node: 'n', age: 120 }), pod('y', { uid: 'u2', node: 'n', age: 100 })));
    assert.ok(first(pod('a', { node: 'n' }), pod('b', { node: 'n', age: 1 })));
  });
  it('is false both ways for pods no rule separates', () => {
    const x = { pod: pod('a', { node: 'n', age: 5 }), rank: 1 };
    const y = { pod: pod('b', { node: 'm', age: 5 }), rank: 1 };
    assert.equal(deletesBefore(x, y, NOW), false);
    assert.equal(deletesBefore(y, x, NOW), false);
  });
  it('times in the future share bucket -1', () => {
    assert.ok(first(pod('x', { uid: 'u1', node: 'n', age: -10 }), pod('y', { uid: 'u2', node: 'n', age: -100 })));
  });
});

describe('rankPodsByRelatedPodsOnSameNode', () => {
  it('counts active related pods per node, unassigned included', () => {
    const related = [
      pod('r1', { node: 'n1' }),
      pod('r2', { node: 'n1' }),
      pod('r3', { node: 'n1', phase: 'Failed' }),
      pod('r4', { node: 'n2' }),
      pod('r5'),
    ];
    const ranked = rankPodsByRelatedPodsOnSameNode([pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), pod('c', { node: 'n3' }), pod('d')], related);
    assert.deepEqual(ranked.map((r) => r.rank), [2, 1, 0, 1]);
  });
});

describe('getPodsToDelete', () => {
  it('picks the pods that sort first', () => {
    const pods = [
      pod('old-ready', { node: 'n1', ready: true, readyFor: 10000, age: 20000 }),
      pod('pending', { node: 'n1', phase: 'Pending', age: 5 }),
      pod('unassigned', { phase: 'Pending', age: 1 }),
      pod('new-ready', { node: 'n2', ready: true, readyFor: 10, age: 30 }),
      pod('not-ready', { node: 'n2', ready: false, age: 40 }),
    ];
    const names = (ps: Pod[]) => ps.map((p) => p.metadata?.name);
    assert.deepEqual(names(getPodsToDelete(pods, pods, 3, NOW)), ['unassigned', 'pending', 'not-ready']);
    assert.deepEqual(names(getPodsToDelete(pods, pods, 4, NOW)), ['unassigned', 'pending', 'not-ready', 'new-ready']);
    assert.deepEqual(names(pods), ['old-ready', 'pending', 'unassigned', 'new-ready', 'not-ready'], 'input untouched');
  });

  it('prefers pods on crowded nodes', () => {
    const pods = [pod('a', { node: 'n1', age: 10 }), pod('b', { node: 'n2', age: 10 }), pod('c', { node: 'n2', age: 10 })];
    const related = [...pods, pod('other', { node: 'n1' }), pod('other2', { node: 'n1' })];
    assert.deepEqual(getPodsToDelete(pods, related, 1, NOW).map((p) => p.metadata?.name), ['a']);
    assert.deepEqual(getPodsToDelete(pods, pods, 1, NOW).map((p) => p.metadata?.name), ['b']);
  });

  it('takes all without sorting when deleting everything', () => {
    const pods = [pod('b', { node: 'n' }), pod('a')];
    assert.deepEqual(getPodsToDelete(pods, pods, 2, NOW).map((p) => p.metadata?.name), ['b', 'a']);
    assert.deepEqual(getPodsToDelete(pods, pods, 5, NOW).length, 2);
    assert.deepEqual(getPodsToDelete(pods, pods, 0, NOW), []);
  });

  it('respects pod-deletion-cost over everything after readiness', () => {
    const pods = [pod('cheap', { node: 'n', ready: true, readyFor: 9999, cost: '-5' }), pod('fresh', { node: 'n', ready: true, readyFor: 1 })];
    assert.deepEqual(getPodsToDelete(pods, pods, 1, NOW).map((p) => p.metadata?.name), ['cheap']);
  });
});
