import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import { computeZoneState, noExecuteTaintKey, noScheduleTaints, withNoExecuteTaint } from './node-taints.js';

const node = (conditions: [string, string][], taints?: Taint[], unschedulable?: boolean): Node => ({
  metadata: { name: 'a' },
  spec: { ...(taints ? { taints } : {}), ...(unschedulable ? { unschedulable } : {}) },
  status: { conditions: conditions.map(([type, status]) => ({ type, status })) },
});

test('taint-nodes-by-condition: conditions become NoSchedule taints; stale ones go; others stay', () => {
  assert.equal(noScheduleTaints(node([['Ready', 'True']])), undefined);
  assert.deepEqual(noScheduleTaints(node([['Ready', 'Unknown'], ['MemoryPressure', 'True']])), [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
  ]);
  const own = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };
  assert.deepEqual(noScheduleTaints(node([['Ready', 'True']], [own, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }])), [own]);
  assert.deepEqual(noScheduleTaints(node([['Ready', 'True']], [], true)), [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
});

test('NoExecute: added with timeAdded, swapped between not-ready and unreachable, removed when Ready', () => {
  assert.equal(noExecuteTaintKey('True'), undefined);
  assert.equal(noExecuteTaintKey('False'), 'node.kubernetes.io/not-ready');
  assert.equal(noExecuteTaintKey('Unknown'), 'node.kubernetes.io/unreachable');
  const now = '2025-01-01T00:00:00Z';
  const added = withNoExecuteTaint(node([]), 'node.kubernetes.io/unreachable', now);
  assert.deepEqual(added, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: now }]);
  assert.equal(withNoExecuteTaint(node([], added), 'node.kubernetes.io/unreachable', now), undefined);
  assert.deepEqual(withNoExecuteTaint(node([], added), 'node.kubernetes.io/not-ready', now), [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: now }]);
  assert.deepEqual(withNoExecuteTaint(node([], added), undefined, now), []);
  assert.equal(withNoExecuteTaint(node([]), undefined, now), undefined);
});

test('zone states', () => {
  assert.equal(computeZoneState(['True', 'Unknown'], 0.55).state, 'Normal');
  assert.equal(computeZoneState(['Unknown', 'False'], 0.55).state, 'FullDisruption');
  assert.equal(computeZoneState(['True', 'Unknown', 'Unknown', 'Unknown'], 0.55).state, 'PartialDisruption');
  assert.equal(computeZoneState(['True', 'True', 'Unknown', 'Unknown', 'Unknown', 'True'], 0.55).state, 'Normal');
});
