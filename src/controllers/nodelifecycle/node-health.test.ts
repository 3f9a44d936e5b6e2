import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { tryUpdateNodeHealth } from './node-health.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const graces = { gracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };
const node = (ready?: 'True' | 'False'): Node => ({
  metadata: { name: 'a', creationTimestamp: iso(T0) },
  status: ready
    ? {
        conditions: [
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: iso(T0), lastTransitionTime: iso(T0) },
          { type: 'Ready', status: ready, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: iso(T0), lastTransitionTime: iso(T0) },
        ],
      }
    : {},
});
const lease = (renewMs: number): Lease => ({ metadata: { name: 'a', namespace: 'kube-node-lease' }, spec: { renewTime: new Date(renewMs).toISOString().replace('Z', '000Z') } });

test('a node whose Lease keeps being renewed stays as it is', () => {
  let saved = tryUpdateNodeHealth(node('True'), undefined, lease(T0), T0, graces).health;
  for (let t = T0 + 10_000; t <= T0 + 200_000; t += 10_000) {
    const out = tryUpdateNodeHealth(node('True'), saved, lease(t), t, graces);
    assert.equal(out.statusUpdate, undefined);
    saved = out.health;
  }
});

test('a node not heard from for the grace period gets Ready and the pressure conditions Unknown, once', () => {
  const first = tryUpdateNodeHealth(node('True'), undefined, lease(T0), T0, graces);
  assert.equal(tryUpdateNodeHealth(node('True'), first.health, lease(T0), T0 + 50_000, graces).statusUpdate, undefined);
  const now = T0 + 51_000;
  const out = tryUpdateNodeHealth(node('True'), first.health, lease(T0), now, graces);
  assert.equal(out.observedReady.status, 'True');
  assert.equal(out.currentReady?.status, 'Unknown');
  const conditions = out.statusUpdate?.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  assert.deepEqual(ready, { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: iso(T0), lastTransitionTime: iso(now) });
  assert.equal(conditions.find((c) => c.type === 'MemoryPressure')?.reason, 'NodeStatusUnknown');
  for (const type of ['DiskPressure', 'PIDPressure']) {
    const c = conditions.find((x) => x.type === type);
    assert.deepEqual(c, { type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: iso(T0), lastTransitionTime: iso(now) });
  }
  // The written status comes back: nothing more to write, and the observed Ready is Unknown now.
  const again = tryUpdateNodeHealth(out.statusUpdate!, out.health, lease(T0), now + 5_000, graces);
  assert.equal(again.statusUpdate, undefined);
  assert.equal(again.observedReady.status, 'Unknown');
});

test('a renewed Lease after the node was Unknown is heard again (the kubelet then posts Ready itself)', () => {
  const first = tryUpdateNodeHealth(node('True'), undefined, lease(T0), T0, graces);
  const unknown = tryUpdateNodeHealth(node('True'), first.health, lease(T0), T0 + 60_000, graces);
  const back = tryUpdateNodeHealth(unknown.statusUpdate!, unknown.health, lease(T0 + 61_000), T0 + 62_000, graces);
  assert.equal(back.statusUpdate, undefined);
  assert.equal(back.health.probeTimestamp, T0 + 62_000);
});

test('a node that never posted status is measured from its creation with the startup grace period', () => {
  const first = tryUpdateNodeHealth(node(), undefined, undefined, T0 + 1_000, graces);
  assert.equal(first.statusUpdate, undefined);
  assert.equal(first.observedReady.status, 'Unknown');
  assert.equal(tryUpdateNodeHealth(node(), first.health, undefined, T0 + 60_000, graces).statusUpdate, undefined);
  const out = tryUpdateNodeHealth(node(), first.health, undefined, T0 + 61_000, graces);
  assert.deepEqual(out.statusUpdate?.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [
    ['Ready', 'Unknown', 'NodeStatusNeverUpdated'],
    ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated'],
    ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'],
    ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'],
  ]);
});
