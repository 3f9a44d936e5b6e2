import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/index.js';
import { TokenBucket } from './token-bucket.js';

test('a bucket starts full and refills at qps', () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 2, burst: 3, clock });
  assert.equal(bucket.tryTake(), true);
  assert.equal(bucket.tryTake(), true);
  assert.equal(bucket.tryTake(), true);
  assert.equal(bucket.tryTake(), false);
  clock.advance(499);
  assert.equal(bucket.tryTake(), false);
  clock.advance(1);
  assert.equal(bucket.tryTake(), true);
  assert.equal(bucket.tryTake(), false);
  clock.advance(60_000);
  for (let i = 0; i < 3; i++) assert.equal(bucket.tryTake(), true);
  assert.equal(bucket.tryTake(), false, 'never more than burst tokens');
});

test('qps <= 0 is unlimited', async () => {
  const bucket = new TokenBucket({ qps: 0, burst: 0, clock: new ManualClock() });
  for (let i = 0; i < 1000; i++) assert.equal(bucket.tryTake(), true);
  assert.equal(bucket.reserve(), 0);
  await bucket.take();
  assert.throws(() => new TokenBucket({ qps: 1, burst: 0 }), RangeError);
});

test('reserve goes into debt so that waiters are spaced 1/qps apart', () => {
  const bucket = new TokenBucket({ qps: 10, burst: 1, clock: new ManualClock() });
  assert.equal(bucket.reserve(), 0);
  assert.equal(bucket.reserve(), 100);
  assert.equal(bucket.reserve(), 200);
});

test('take waits on the clock for a token, in reservation order', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 10, burst: 1, clock });
  await bucket.take();
  const order: number[] = [];
  const a = bucket.take().then(() => order.push(1));
  const b = bucket.take().then(() => order.push(2));
  clock.advance(99);
  await Promise.resolve();
  assert.deepEqual(order, []);
  clock.advance(1);
  await a;
  assert.deepEqual(order, [1]);
  clock.advance(100);
  await b;
  assert.deepEqual(order, [1, 2]);
  assert.equal(clock.pending(), 0);
});

test('an aborted take rejects with the reason, cancels its timer and returns its token', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 1, burst: 1, clock });
  assert.equal(bucket.tryTake(), true);
  const ac = new AbortController();
  const waiting = bucket.take(ac.signal);
  assert.equal(clock.pending(), 1);
  ac.abort(new Error('stop'));
  await assert.rejects(waiting, /stop/);
  assert.equal(clock.pending(), 0);
  clock.advance(1000);
  assert.equal(bucket.tryTake(), true, 'the cancelled reservation gave its token back');
  await assert.rejects(bucket.take(ac.signal), /stop/);
});
