import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  calculateStatus,
  formatTimestamp,
  isPodAvailable,
  isPodReady,
  nextRequeueAfter,
  podReadyRequeueAfter,
  statusEqual,
  timestampMs,
} from './replicaset-status.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (s: number) => formatTimestamp(NOW - s * 1000);

function pod(opts: { labels?: Record<string, string>; ready?: boolean; readySince?: string } = {}): Pod {
  const p: Pod = { metadata: { name: 'p', labels: opts.labels ?? { app: 'web', tier: 'fe' } }, status: { phase: 'Running' } };
  if (opts.ready !== undefined) {
    p.status!.conditions = [{ type: 'Ready', status: opts.ready ? 'True' : 'False', lastTransitionTime: opts.readySince ?? ago(3600) }];
  }
  return p;
}

function rs(opts: { replicas?: number; minReadySeconds?: number; generation?: number; status?: ReplicaSet['status'] } = {}): ReplicaSet {
  return {
    metadata: { name: 'web', namespace: 'default', generation: opts.generation ?? 2 },
    spec: {
      replicas: opts.replicas ?? 3,
      minReadySeconds: opts.minReadySeconds ?? 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'fe' } } },
    },
    status: opts.status ?? { replicas: 0 },
  };
}

describe('timestamps', () => {
  it('parses RFC 3339 and treats zero times as absent', () => {
    assert.equal(timestampMs('2024-06-01T12:00:00Z'), NOW);
    assert.equal(timestampMs(undefined), undefined);
    assert.equal(timestampMs(null), undefined);
    assert.equal(timestampMs(''), undefined);
    assert.equal(timestampMs('garbage'), undefined);
    assert.equal(timestampMs('0001-01-01T00:00:00Z'), undefined);
  });
  it('formats whole seconds in UTC', () => {
    assert.equal(formatTimestamp(NOW + 999), '2024-06-01T12:00:00Z');
  });
});

describe('isPodReady / isPodAvailable', () => {
  it('reads the first Ready condition', () => {
    assert.equal(isPodReady(pod({ ready: true })), true);
    assert.equal(isPodReady(pod({ ready: false })), false);
    assert.equal(isPodReady(pod()), false);
    const twice = pod({ ready: false });
    twice.status!.conditions!.push({ type: 'Ready', status: 'True' });
    assert.equal(isPodReady(twice), false);
  });
  it('is available when ready for strictly more than minReadySeconds', () => {
    assert.equal(isPodAvailable(pod({ ready: true, readySince: ago(0) }), 0, NOW), true);
    assert.equal(isPodAvailable(pod({ ready: true, readySince: ago(10) }), 10, NOW), false);
    assert.equal(isPodAvailable(pod({ ready: true, readySince: ago(11) }), 10, NOW), true);
    assert.equal(isPodAvailable(pod({ ready: false, readySince: ago(100) }), 10, NOW), false);
  });
  it('a ready pod without lastTransitionTime is available only without minReadySeconds', () => {
    const p: Pod = { status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    assert.equal(isPodAvailable(p, 0, NOW), true);
    assert.equal(isPodAvailable(p, 1, NOW), false);
  });
});

describe('calculateStatus', () => {
  it('counts replicas, fully labeled, ready and available pods', () => {
    const pods = [
      pod({ ready: true, readySince: ago(60) }),
      pod({ ready: true, readySince: ago(5) }),
      pod({ ready: false }),
      pod({ labels: { app: 'web' }, ready: true, readySince: ago(60) }),
    ];
    const status = calculateStatus(rs({ minReadySeconds: 10, replicas: 4 }), pods, undefined, NOW);
    assert.deepEqual(status, { replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 2, observedGeneration: 2 });
    assert.deepEqual(Object.keys(status), ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']);
  });

  it('leaves out zero counts but always has replicas', () => {
    assert.deepEqual(calculateStatus(rs({ generation: 0 }), [], undefined, NOW), { replicas: 0 });
  });

  it('an empty template label set makes every pod fully labeled', () => {
    const r = rs();
    r.spec!.template!.metadata = {};
    assert.equal(calculateStatus(r, [pod({ labels: {} }), pod()], undefined, NOW).fullyLabeledReplicas, 2);
  });

  it('adds ReplicaFailure with FailedCreate when pods were missing', () => {
    const status = calculateStatus(rs({ replicas: 3 }), [pod()], new Error('pods "web-" is forbidden: exceeded quota'), NOW);
    assert.deepEqual(status.conditions, [
      { type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2024-06-01T12:00:00Z', reason: 'FailedCreate', message: 'pods "web-" is forbidden: exceeded quota' },
    ]);
    assert.equal(JSON.stringify(Object.keys(status.conditions![0]!)), '["type","status","lastTransitionTime","reason","message"]');
  });

  it('uses FailedDelete when there were too many pods, and no reason when the count was right', () => {
    assert.equal(calculateStatus(rs({ replicas: 0 }), [pod()], new Error('x'), NOW).conditions?.[0]?.reason, 'FailedDelete');
    const cond = calculateStatus(rs({ replicas: 1 }), [pod()], 'plain', NOW).conditions?.[0];
    assert.equal(cond?.reason, undefined);
    assert.equal(cond?.message, 'plain');
  });

  it('keeps an existing ReplicaFailure condition as it is', () => {
    const existing = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: ago(100), reason: 'FailedDelete', message: 'old' };
    const other = { type: 'Other', status: 'False' };
    const status = calculateStatus(rs({ status: { replicas: 1, conditions: [existing, other] } }), [], new Error('new'), NOW);
    assert.deepEqual(status.conditions, [existing, other]);
  });

  it('removes ReplicaFailure when the sync succeeded, keeping other conditions', () => {
    const other = { type: 'Other', status: 'False' };
    const failure = { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'm' };
    assert.deepEqual(calculateStatus(rs({ status: { replicas: 1, conditions: [failure, other] } }), [], undefined, NOW).conditions, [other]);
    assert.equal(calculateStatus(rs({ status: { replicas: 1, conditions: [failure] } }), [], null, NOW).conditions, undefined);
  });

  it('carries over status fields it does not compute and does not mutate the ReplicaSet', () => {
    const r = rs({ status: { replicas: 5, readyReplicas: 5, terminatingReplicas: 1 } as ReplicaSet['status'] });
    const before = JSON.stringify(r);
    const status = calculateStatus(r, [], undefined, NOW) as unknown as Record<string, unknown>;
    assert.equal(status.terminatingReplicas, 1);
    assert.equal(status.readyReplicas, undefined);
    assert.equal(JSON.stringify(r), before);
  });
});

describe('statusEqual', () => {
  it('compares counts, observedGeneration and conditions; absent is zero', () => {
    assert.equal(statusEqual({ replicas: 2, readyReplicas: 0 }, { replicas: 2 }), true);
    assert.equal(statusEqual({ replicas: 2 }, { replicas: 3 }), false);
    assert.equal(statusEqual({ replicas: 2 }, { replicas: 2, fullyLabeledReplicas: 2 }), false);
    assert.equal(statusEqual({ replicas: 2, readyReplicas: 1 }, { replicas: 2 }), false);
    assert.equal(statusEqual({ replicas: 2, availableReplicas: 1 }, { replicas: 2 }), false);
    assert.equal(statusEqual({ replicas: 2, observedGeneration: 1 }, { replicas: 2, observedGeneration: 2 }), false);
    assert.equal(statusEqual(undefined, { replicas: 0 }), true);
    assert.equal(statusEqual({ replicas: 0, conditions: [] }, { replicas: 0 }), true);
    const c = { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'm' };
    assert.equal(statusEqual({ replicas: 0, conditions: [c] }, { replicas: 0, conditions: [{ ...c }] }), true);
    assert.equal(statusEqual({ replicas: 0, conditions: [c] }, { replicas: 0, conditions: [{ ...c, message: 'n' }] }), false);
    assert.equal(statusEqual({ replicas: 0, conditions: [c] }, { replicas: 0 }), false);
  });

  it('is true for a status recalculated from an unchanged world', () => {
    const first = rs({ replicas: 1 });
    const r = rs({ replicas: 1, status: calculateStatus(first, [pod({ ready: true })], undefined, NOW) });
    assert.equal(statusEqual(r.status, calculateStatus(r, [pod({ ready: true })], undefined, NOW)), true);
    const bumped = rs({ replicas: 1, generation: 3, status: r.status });
    assert.equal(statusEqual(bumped.status, calculateStatus(bumped, [pod({ ready: true })], undefined, NOW)), false);
  });
});

describe('requeue after minReadySeconds', () => {
  it('requeues when all desired replicas are ready but not all available', () => {
    assert.equal(nextRequeueAfter(rs({ replicas: 2, minReadySeconds: 7, status: { replicas: 2, readyReplicas: 2, availableReplicas: 1 } }), undefined), 7000);
  });
  it('does not requeue otherwise', () => {
    const status = { replicas: 2, readyReplicas: 2, availableReplicas: 1 };
    assert.equal(nextRequeueAfter(rs({ replicas: 2, minReadySeconds: 7, status }), new Error('x')), undefined);
    assert.equal(nextRequeueAfter(rs({ replicas: 2, minReadySeconds: 0, status }), undefined), undefined);
    assert.equal(nextRequeueAfter(rs({ replicas: 3, minReadySeconds: 7, status }), undefined), undefined);
    assert.equal(nextRequeueAfter(rs({ replicas: 2, minReadySeconds: 7, status: { ...status, availableReplicas: 2 } }), undefined), undefined);
  });
  it('a pod that just became ready requeues after minReadySeconds plus a second', () => {
    const r = rs({ minReadySeconds: 5 });
    assert.equal(podReadyRequeueAfter(r, pod({ ready: false }), pod({ ready: true })), 6000);
    assert.equal(podReadyRequeueAfter(r, pod({ ready: true }), pod({ ready: true })), undefined);
    assert.equal(podReadyRequeueAfter(r, pod(), pod({ ready: false })), undefined);
    assert.equal(podReadyRequeueAfter(rs(), pod(), pod({ ready: true })), undefined);
  });
});
