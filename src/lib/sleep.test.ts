import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './index.js';
import { sleep } from './clock.js';

test('sleep resolves true once the time has passed on the clock', async () => {
  const clock = new ManualClock();
  let result: boolean | undefined;
  const p = sleep(clock, 100).then((r) => (result = r));
  clock.advance(99);
  await Promise.resolve();
  assert.equal(result, undefined);
  clock.advance(1);
  await p;
  assert.equal(result, true);
});

test('sleep resolves false when any signal aborts, and cancels its timer', async () => {
  const clock = new ManualClock();
  const a = new AbortController();
  const b = new AbortController();
  const p = sleep(clock, 100, a.signal, b.signal);
  b.abort();
  assert.equal(await p, false);
  assert.equal(clock.pending(), 0);
  assert.equal(await sleep(clock, 100, b.signal), false, 'an aborted signal ends it at once');
  assert.equal(clock.pending(), 0);
});
