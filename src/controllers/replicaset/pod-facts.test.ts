import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { LabelSelector } from '../../api/index.js';
import { PodFactsCache } from './pod-facts.js';
import { calculateStatus } from './replicaset-status.js';

const pod = (name: string, labels: Record<string, string>, ready: string | undefined, since = '2026-11-28T10:00:00Z', extra: Partial<Pod> = {}): Pod => ({
  metadata: { name, uid: `uid-${name}`, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }] },
  status: { phase: 'Running', conditions: ready === undefined ? [] : [{ type: 'Ready', status: ready, lastTransitionTime: since }] },
  ...extra,
});

test('facts answer as the Pod reads, once per object: controller, activity, readiness, availability, selector matches', () => {
  const cache = new PodFactsCache();
  const a = pod('a', { app: 'x', tier: 'web' }, 'True');
  const f = cache.of(a);
  assert.equal(cache.of(a), f, 'one PodFacts per object');
  assert.equal(f.controllerUid, 'rs-uid');
  assert.equal(f.active, true);
  assert.equal(f.ready(), true);
  const since = Date.parse('2026-11-28T10:00:00Z');
  assert.equal(f.available(0, since), true);
  assert.equal(f.available(10, since + 10_000), false, 'strictly after minReadySeconds');
  assert.equal(f.available(10, since + 10_001), true);
  const app = LabelSelector.fromSet({ app: 'x' });
  const other = LabelSelector.fromSet({ app: 'y' });
  const both = LabelSelector.fromSet({ app: 'x', tier: 'web' });
  for (let i = 0; i < 3; i++) {
    assert.equal(f.matches(app), true);
    assert.equal(f.matches(other), false);
    assert.equal(f.matches(both), true);
  }
  assert.equal(f.matches(LabelSelector.fromSet({ tier: 'db' })), false);
  const deleting = cache.of(pod('d', { app: 'x' }, 'False', undefined, { metadata: { name: 'd', deletionTimestamp: '2026-11-28T10:00:00Z' } }));
  assert.equal(deleting.active, false);
  assert.equal(deleting.controllerUid, undefined);
  assert.equal(deleting.ready(), false);
});

test('calculateStatus counts the same with facts as straight from the Pods', () => {
  const rs = { metadata: { name: 'rs', generation: 2 }, spec: { replicas: 4, minReadySeconds: 5, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x', tier: 'web' } } } } };
  const now = Date.parse('2026-11-28T10:00:07Z');
  const pods = [
    pod('a', { app: 'x', tier: 'web' }, 'True', '2026-11-28T10:00:00Z'),
    pod('b', { app: 'x' }, 'True', '2026-11-28T10:00:05Z'),
    pod('c', { app: 'x', tier: 'web' }, 'False'),
    pod('d', { app: 'x', tier: 'web' }, undefined),
  ];
  const cache = new PodFactsCache();
  const direct = calculateStatus(rs, pods, undefined, now);
  assert.deepEqual(calculateStatus(rs, pods, undefined, now, (p) => cache.of(p)), direct);
  assert.deepEqual(
    { replicas: direct.replicas, fullyLabeled: direct.fullyLabeledReplicas, ready: direct.readyReplicas, available: direct.availableReplicas },
    { replicas: 4, fullyLabeled: 3, ready: 2, available: 1 },
  );
});
