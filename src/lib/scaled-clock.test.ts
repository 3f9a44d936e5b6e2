import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './manual-clock.js';
import { scaledClock } from './scaled-clock.js';

test('scaledClock runs N times faster from its creation; timers wait 1/N', () => {
  const base = new ManualClock(1_000);
  const fast = scaledClock(base, 30);
  assert.equal(fast.now(), 1_000);
  base.advance(2_000);
  assert.equal(fast.now(), 61_000);
  let fired = false;
  fast.setTimer(() => (fired = true), 60_000);
  base.advance(1_999);
  assert.equal(fired, false);
  base.advance(1);
  assert.equal(fired, true);
  assert.throws(() => scaledClock(base, 0), /clock speed must be positive/);
});
