import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchDeliveryRing, type WatchDelivery } from './watch-delivery-ring.js';

const delivery = (rv: number, over: Partial<WatchDelivery> = {}): WatchDelivery => ({
  time: rv * 10,
  user: 'system:kube-scheduler',
  userAgent: 'skiff-scheduler',
  resource: 'pods',
  namespace: 'default',
  name: `p${rv % 3}`,
  type: 'MODIFIED',
  resourceVersion: String(rv),
  ...over,
});

test('the ring keeps only the latest capacity deliveries, oldest first', () => {
  const ring = new WatchDeliveryRing(4);
  for (let rv = 1; rv <= 10; rv++) ring.record(delivery(rv));
  assert.equal(ring.size, 4);
  assert.deepEqual(ring.query().map((d) => d.resourceVersion), ['7', '8', '9', '10']);
});

test('query filters by resource, namespace, name and resourceVersion', () => {
  const ring = new WatchDeliveryRing(100);
  for (let rv = 1; rv <= 9; rv++) ring.record(delivery(rv));
  ring.record(delivery(10, { resource: 'nodes', namespace: undefined, name: 'n1', type: 'ADDED' }));
  ring.record(delivery(11, { type: 'BOOKMARK', name: '' }));
  assert.deepEqual(ring.query({ name: 'p1' }).map((d) => d.resourceVersion), ['1', '4', '7']);
  assert.deepEqual(ring.query({ sinceResourceVersion: '8' }).map((d) => d.resourceVersion), ['9', '10', '11']);
  assert.deepEqual(ring.query({ resource: 'nodes', namespace: '' }).map((d) => d.name), ['n1']);
  assert.equal(ring.query({ resource: 'pods', namespace: 'default' }).length, 10);
  assert.equal(ring.query({ namespace: 'other' }).length, 0);
});

test('record stores the entry itself and stays O(1) at scale', () => {
  const ring = new WatchDeliveryRing(1000);
  const d = delivery(1);
  ring.record(d);
  assert.equal(ring.query()[0], d);
  const entries = Array.from({ length: 200_000 }, (_, i) => delivery(i + 2));
  const cpu = process.cpuUsage();
  for (const e of entries) ring.record(e);
  const { user, system } = process.cpuUsage(cpu);
  const perRecordUs = (user + system) / entries.length;
  assert.equal(ring.size, 1000);
  assert.ok(perRecordUs < 2, `record took ${perRecordUs.toFixed(3)} µs of CPU`);
});
