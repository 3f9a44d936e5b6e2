import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../client/index.js';
import { ManualClock } from '../../lib/index.js';
import { runWorkers } from './worker-loop.js';

const turn = () => new Promise((r) => setImmediate(r));

test('workers reconcile keys; an error requeues the key with backoff; requeueAfter comes back on the clock; abort ends the loops', async () => {
  const clock = new ManualClock();
  const queue = new WorkQueue<string>({ clock });
  const seen: string[] = [];
  let failOnce = true;
  const ac = new AbortController();
  const done = runWorkers(
    queue,
    async (key) => {
      seen.push(key);
      if (key === 'bad' && failOnce) {
        failOnce = false;
        throw new Error('boom');
      }
      if (key === 'later' && seen.filter((k) => k === 'later').length === 1) return { requeueAfterMs: 1000 };
    },
    2,
    ac.signal,
  );
  queue.add('a');
  queue.add('bad');
  queue.add('later');
  for (let i = 0; i < 5; i++) await turn();
  assert.deepEqual([...seen].sort(), ['a', 'bad', 'later']);
  clock.advance(5);
  for (let i = 0; i < 5; i++) await turn();
  assert.equal(seen.filter((k) => k === 'bad').length, 2, 'the failed key came back after its 5 ms backoff');
  assert.equal(queue.numRequeues('bad'), 0, 'success forgot the failure');
  clock.advance(999);
  for (let i = 0; i < 5; i++) await turn();
  assert.equal(seen.filter((k) => k === 'later').length, 2, 'requeued after 1 s');
  ac.abort();
  await done;
});
