import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/index.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.js';
import { WorkQueue } from './work-queue.js';

function newQueue(clock = new ManualClock()) {
  return new WorkQueue<string>({ clock });
}

test('keys come out in FIFO order and a queued key is queued only once', async () => {
  const q = newQueue();
  q.add('a');
  q.add('b');
  q.add('a');
  q.add('c');
  assert.equal(q.len(), 3);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  assert.equal(await q.get(), 'c');
  assert.equal(q.len(), 0);
});

test('a key re-added while processing is not handed out again until done', async () => {
  const q = newQueue();
  q.add('a');
  assert.equal(await q.get(), 'a');
  q.add('a');
  q.add('a');
  assert.equal(q.len(), 0, 'not queued while processing');
  q.add('b');
  assert.equal(await q.get(), 'b');
  let second: string | undefined;
  const waiting = q.get().then((k) => (second = k));
  await Promise.resolve();
  assert.equal(second, undefined);
  q.done('a');
  await waiting;
  assert.equal(second, 'a', 'requeued once by done');
  q.done('a');
  q.done('b');
  assert.equal(q.len(), 0);
});

test('done of a key that was not re-added does not requeue it; done of an unknown key is a no-op', async () => {
  const q = newQueue();
  q.add('a');
  await q.get();
  q.done('a');
  q.done('a');
  q.done('zzz');
  assert.equal(q.len(), 0);
  q.add('b');
  q.done('b');
  assert.equal(q.len(), 1, 'done of a queued but not processing key does not queue it twice');
});

test('waiting getters are served in call order, each key to one getter', async () => {
  const q = newQueue();
  const got: (string | undefined)[] = [];
  const g1 = q.get().then((k) => got.push(`1:${k}`));
  const g2 = q.get().then((k) => got.push(`2:${k}`));
  q.add('x');
  q.add('y');
  await Promise.all([g1, g2]);
  assert.deepEqual(got, ['1:x', '2:y']);
  q.add('x');
  assert.equal(q.len(), 0, 'x is processing');
});

test('many workers never process the same key concurrently', async () => {
  const q = newQueue();
  const active = new Set<string>();
  const processed: string[] = [];
  let reached = () => {};
  const enough = new Promise<void>((resolve) => (reached = resolve));
  const worker = async () => {
    for (;;) {
      const key = await q.get();
      if (key === undefined) return;
      assert.ok(!active.has(key), `${key} handed out twice`);
      active.add(key);
      await Promise.resolve();
      if (processed.length < 40) q.add(key);
      processed.push(key);
      if (processed.length === 40) reached();
      await Promise.resolve();
      active.delete(key);
      q.done(key);
    }
  };
  for (const k of ['a', 'b', 'c']) q.add(k);
  const workers = [worker(), worker(), worker(), worker()];
  await enough;
  q.shutDown();
  await Promise.all(workers);
  assert.ok(processed.length >= 40);
});

test('shutDown wakes getters with undefined, ignores adds, but still hands out queued keys', async () => {
  const q = newQueue();
  const idle = q.get();
  q.shutDown();
  assert.equal(await idle, undefined);
  assert.equal(q.shuttingDown(), true);
  q.add('late');
  assert.equal(q.len(), 0);

  const q2 = newQueue();
  q2.add('a');
  q2.add('b');
  q2.shutDown();
  q2.shutDown();
  assert.equal(await q2.get(), 'a');
  assert.equal(await q2.get(), 'b');
  assert.equal(await q2.get(), undefined);
});

test('shutDownWithDrain resolves once every processing key is done', async () => {
  const q = newQueue();
  q.add('a');
  q.add('b');
  await q.get();
  await q.get();
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => (drained = true));
  q.done('a');
  await Promise.resolve();
  assert.equal(drained, false);
  q.done('b');
  await drain;
  assert.equal(drained, true);
  await newQueue().shutDownWithDrain();
});

test('addAfter adds on the clock; the earlier due time wins', async () => {
  const clock = new ManualClock();
  const q = newQueue(clock);
  q.addAfter('a', 100);
  q.addAfter('b', 50);
  q.addAfter('a', 200);
  assert.equal(q.len(), 0);
  clock.advance(50);
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'b');
  clock.advance(50);
  assert.equal(await q.get(), 'a');
  assert.equal(clock.pending(), 0, 'the later due time was dropped');
  q.addAfter('c', 100);
  q.addAfter('c', 10);
  assert.equal(clock.pending(), 1, 'the later timer was cancelled');
  clock.advance(10);
  assert.equal(q.len(), 1);
  q.addAfter('d', 0);
  assert.equal(q.len(), 2, 'no delay adds at once');
});

test('a delayed key that is already queued is not queued twice', async () => {
  const clock = new ManualClock();
  const q = newQueue(clock);
  q.add('a');
  q.addAfter('a', 10);
  clock.advance(10);
  assert.equal(q.len(), 1);
});

test('shutDown drops delayed adds', () => {
  const clock = new ManualClock();
  const q = newQueue(clock);
  q.addAfter('a', 10);
  q.shutDown();
  assert.equal(clock.pending(), 0);
  q.addAfter('b', 10);
  clock.advance(100);
  assert.equal(q.len(), 0);
});

test('addRateLimited backs off per key until forget', async () => {
  const clock = new ManualClock();
  const q = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(10, 1000) });
  q.addRateLimited('a');
  assert.equal(q.numRequeues('a'), 1);
  clock.advance(9);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(await q.get(), 'a');
  q.done('a');
  q.addRateLimited('a');
  clock.advance(19);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  assert.equal(q.numRequeues('a'), 2);
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
});

test('the default rate limiter starts at 5 ms', () => {
  const clock = new ManualClock();
  const q = newQueue(clock);
  q.addRateLimited('a');
  clock.advance(4);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
});
