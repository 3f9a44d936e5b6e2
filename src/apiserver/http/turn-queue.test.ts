import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnQueue } from './turn-queue.js';

test('at most perTurn callers run per event-loop iteration, in arrival order', async () => {
  const q = new TurnQueue(3);
  const order: string[] = [];
  let tick = 0;
  const ticker = setInterval(() => tick++, 0);
  const runs = Array.from({ length: 7 }, (_, i) => q.take().then(() => order.push(`${i}@${tick}`)));
  const immediates: number[] = [];
  const counter = () => new Promise<void>((r) => setImmediate(() => { immediates.push(order.length); r(); }));
  await counter();
  await counter();
  await counter();
  await Promise.all(runs);
  clearInterval(ticker);
  assert.deepEqual(order.map((o) => Number(o.split('@')[0])), [0, 1, 2, 3, 4, 5, 6]);
  assert.ok(immediates[0]! <= 6, `the first turn let ${immediates[0]} run`);
  assert.ok(immediates.every((n, i) => i === 0 || n - immediates[i - 1]! <= 3), `slices: ${immediates.join(',')}`);
});
