import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { terminatedPodsToDelete, terminatingOutOfServicePods, unscheduledTerminatingPods } from './pod-gc-decisions.js';

const pod = (name: string, phase: string, created: string, extra: { reason?: string; node?: string; deleting?: boolean } = {}): Pod => ({
  metadata: { name, namespace: 'default', creationTimestamp: created, ...(extra.deleting ? { deletionTimestamp: created } : {}) },
  spec: { containers: [], ...(extra.node ? { nodeName: extra.node } : {}) },
  status: { phase, ...(extra.reason ? { reason: extra.reason } : {}) },
});

test('finished Pods beyond the threshold: evicted first, then the oldest', () => {
  const pods = [
    pod('running', 'Running', '2025-01-01T00:00:00Z'),
    pod('old', 'Succeeded', '2025-01-01T00:00:01Z'),
    pod('new', 'Failed', '2025-01-01T00:00:03Z'),
    pod('evicted', 'Failed', '2025-01-01T00:00:05Z', { reason: 'Evicted' }),
  ];
  assert.deepEqual(terminatedPodsToDelete(pods, 1).map((p) => p.metadata?.name), ['evicted', 'old']);
  assert.deepEqual(terminatedPodsToDelete(pods, 3), []);
  assert.deepEqual(terminatedPodsToDelete(pods, 0), []);
});

test('terminating Pods: unscheduled ones, and those on out-of-service nodes that are not Ready', () => {
  const nodes: Record<string, Node> = {
    oos: { metadata: { name: 'oos' }, spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
    fine: { metadata: { name: 'fine' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
  };
  const pods = [
    pod('a', 'Running', '2025-01-01T00:00:00Z', { node: 'oos', deleting: true }),
    pod('b', 'Running', '2025-01-01T00:00:00Z', { node: 'fine', deleting: true }),
    pod('c', 'Pending', '2025-01-01T00:00:00Z', { deleting: true }),
    pod('d', 'Pending', '2025-01-01T00:00:00Z'),
  ];
  assert.deepEqual(terminatingOutOfServicePods(pods, (n) => nodes[n]).map((p) => p.metadata?.name), ['a']);
  assert.deepEqual(unscheduledTerminatingPods(pods).map((p) => p.metadata?.name), ['c']);
});
