import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../lib/index.js';
import { PrioritySort } from '../plugins/priority-sort/priority-sort.js';
import { makePod } from '../testing/fixtures.js';
import { ASSIGNED_POD_ADD, NODE_ADD, SchedulingQueue } from './scheduling-queue.js';

function newQueue(clock = new ManualClock(1_000_000)) {
  const sort = new PrioritySort();
  return { clock, q: new SchedulingQueue({ clock, less: (a, b) => sort.less(a, b) }) };
}

test('pods come out by priority, then in arrival order', async () => {
  const { clock, q } = newQueue();
  q.add(makePod('low', { priority: 1 }));
  clock.advance(1);
  q.add(makePod('a', { priority: 10 }));
  clock.advance(1);
  q.add(makePod('b', { priority: 10 }));
  const names = [];
  for (let i = 0; i < 3; i++) names.push((await q.pop())?.podInfo.pod.metadata?.name);
  assert.deepEqual(names, ['a', 'b', 'low']);
});

test('backoff doubles from 1 s to at most 10 s', () => {
  const { q } = newQueue();
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => q.backoffDuration(n)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test('an unschedulable pod waits for an event, then backs off before it is active again', async () => {
  const { clock, q } = newQueue();
  q.run();
  q.add(makePod('p'));
  const p = await q.pop();
  assert.ok(p);
  const cycle = q.cycle;
  p.unschedulablePlugins.add('NodeResourcesFit');
  q.addUnschedulableIfNotPresent(p, cycle);
  assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 1 });
  q.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_ADD);
  assert.equal(q.stats().unschedulable, 1, 'an event no rejecting plugin cares about does not move it');
  q.moveAllToActiveOrBackoffQueue(NODE_ADD);
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0 });
  clock.advance(1000);
  assert.deepEqual(q.stats(), { active: 1, backoff: 0, unschedulable: 0 });
  q.close();
});

test('a move request during the attempt sends the pod to the backoff queue, an error too', async () => {
  const { q } = newQueue();
  q.add(makePod('p'));
  const p = await q.pop();
  assert.ok(p);
  const cycle = q.cycle;
  q.moveAllToActiveOrBackoffQueue(NODE_ADD);
  q.addUnschedulableIfNotPresent(p, cycle);
  assert.equal(q.stats().backoff, 1);
});

test('unschedulable pods are retried after 5 minutes without any event', async () => {
  const { clock, q } = newQueue();
  q.run();
  q.add(makePod('p'));
  const p = await q.pop();
  assert.ok(p);
  q.addUnschedulableIfNotPresent(p, q.cycle);
  clock.advance(5 * 60_000);
  assert.equal(q.stats().unschedulable, 1);
  clock.advance(30_000);
  assert.deepEqual(q.stats(), { active: 1, backoff: 0, unschedulable: 0 });
  q.close();
});

test('a status-only update leaves an unschedulable pod waiting; a spec change moves it', async () => {
  const { clock, q } = newQueue();
  const pod = makePod('p');
  q.add(pod);
  const p = await q.pop();
  assert.ok(p);
  q.addUnschedulableIfNotPresent(p, q.cycle);
  q.update(pod, { ...pod, status: { phase: 'Pending' } });
  assert.equal(q.stats().unschedulable, 1);
  clock.advance(2000);
  q.update(pod, { ...pod, metadata: { ...pod.metadata, labels: { a: 'b' } } });
  assert.equal(q.stats().active, 1);
});

test('pop waits for a pod and gives undefined when aborted', async () => {
  const { q } = newQueue();
  const waiting = q.pop();
  q.add(makePod('late'));
  assert.equal((await waiting)?.podInfo.pod.metadata?.name, 'late');
  const ac = new AbortController();
  const aborted = q.pop(ac.signal);
  ac.abort();
  assert.equal(await aborted, undefined);
});
