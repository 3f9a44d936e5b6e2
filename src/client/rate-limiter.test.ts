import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/index.js';
import { TokenBucket } from './token-bucket.js';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './rate-limiter.js';

test('exponential backoff doubles per failure up to the cap, per item', () => {
  const limiter = new ItemExponentialFailureRateLimiter<string>(1, 1000);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => limiter.when('a')), [1, 2, 4, 8, 16]);
  assert.equal(limiter.numRequeues('a'), 5);
  assert.equal(limiter.when('b'), 1);
  for (let i = 0; i < 2000; i++) limiter.when('a');
  assert.equal(limiter.when('a'), 1000, 'capped, also when 2^n overflows');
  limiter.forget('a');
  assert.equal(limiter.numRequeues('a'), 0);
  assert.equal(limiter.when('a'), 1);
});

test('the bucket limiter spaces items once the burst is used', () => {
  const limiter = new BucketRateLimiter<string>(new TokenBucket({ qps: 10, burst: 2, clock: new ManualClock() }));
  assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => limiter.when(k)), [0, 0, 100, 200]);
  assert.equal(limiter.numRequeues('a'), 0);
});

test('max-of takes the longest delay and forwards forget to all', () => {
  const a = new ItemExponentialFailureRateLimiter<string>(10, 1000);
  const b = new ItemExponentialFailureRateLimiter<string>(1, 1000);
  const max = new MaxOfRateLimiter(a, b);
  assert.equal(max.when('x'), 10);
  assert.equal(max.when('x'), 20);
  assert.equal(b.numRequeues('x'), 2);
  assert.equal(max.numRequeues('x'), 2);
  max.forget('x');
  assert.equal(a.numRequeues('x') + b.numRequeues('x'), 0);
});

test('the default controller limiter: 5 ms doubling, and the 10 qps / 100 burst bucket', () => {
  const limiter = defaultControllerRateLimiter<string>({ clock: new ManualClock() });
  assert.deepEqual([0, 1, 2].map(() => limiter.when('a')), [5, 10, 20]);
  for (let i = 0; i < 30; i++) limiter.when('a');
  assert.equal(limiter.when('a'), 1000_000);
  let last = 0;
  for (let i = 0; i < 200; i++) last = limiter.when(`k${i}`);
  // 34 tokens went to 'a', so item 200 of the burst is 134 tokens past 100: 134 × 100 ms.
  assert.equal(Math.round(last), 13_400);
});
