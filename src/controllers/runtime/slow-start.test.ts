import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BurstReplicas, SlowStartInitialBatchSize, slowStartBatch } from './slow-start.js';

/** Records the batches: a call joins the current batch until the previous batch has settled. */
function recorder(fail: (call: number) => unknown = () => undefined) {
  const batches: number[] = [];
  let inFlight = 0;
  let calls = 0;
  const fn = async (): Promise<void> => {
    const call = calls++;
    if (inFlight === 0) batches.push(0);
    inFlight++;
    batches[batches.length - 1]! += 1;
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    const error = fail(call);
    if (error !== undefined) throw error;
  };
  return { fn, batches, calls: () => calls };
}

describe('slowStartBatch', () => {
  it('exports upstream constants', () => {
    assert.equal(BurstReplicas, 500);
    assert.equal(SlowStartInitialBatchSize, 1);
  });

  it('doubles the batch size, capped by what remains', async () => {
    const r = recorder();
    const result = await slowStartBatch(10, 1, r.fn);
    assert.deepEqual(result, { successes: 10 });
    assert.deepEqual(r.batches, [1, 2, 4, 3]);
  });

  it('starts from the initial batch size', async () => {
    const r = recorder();
    assert.deepEqual(await slowStartBatch(7, 3, r.fn), { successes: 7 });
    assert.deepEqual(r.batches, [3, 4]);
  });

  it('does nothing for a count of zero', async () => {
    const r = recorder();
    assert.deepEqual(await slowStartBatch(0, 1, r.fn), { successes: 0 });
    assert.equal(r.calls(), 0);
  });

  it('stops after the first batch with a failure and returns the first error', async () => {
    const first = new Error('quota exceeded');
    // calls 0 | 1 2 | 3 4 5 6: calls 4 and 5 fail
    const r = recorder((call) => (call === 4 ? first : call === 5 ? new Error('second') : undefined));
    const result = await slowStartBatch(20, 1, r.fn);
    assert.equal(result.successes, 5);
    assert.equal(result.error, first);
    assert.equal(r.calls(), 7);
    assert.deepEqual(r.batches, [1, 2, 4]);
  });

  it('counts nothing when the first call fails', async () => {
    const r = recorder(() => 'boom');
    assert.deepEqual(await slowStartBatch(5, 1, r.fn), { successes: 0, error: 'boom' });
    assert.equal(r.calls(), 1);
  });

  it('reports the error that happened first in time', async () => {
    let call = 0;
    const fn = async () => {
      const n = call++;
      if (n === 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('slow failure');
      }
      if (n === 2) throw new Error('fast failure');
    };
    const result = await slowStartBatch(3, 1, fn);
    assert.equal(result.successes, 1);
    assert.equal((result.error as Error).message, 'fast failure');
  });

  it('turns a synchronous throw into a failed call', async () => {
    const fn = (() => {
      throw new Error('sync');
    }) as () => Promise<void>;
    const result = await slowStartBatch(4, 1, fn);
    assert.equal(result.successes, 0);
    assert.equal((result.error as Error).message, 'sync');
  });

  it('runs the calls of a batch concurrently', async () => {
    let running = 0;
    let peak = 0;
    const fn = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    };
    await slowStartBatch(8, 8, fn);
    assert.equal(peak, 8);
  });
});
