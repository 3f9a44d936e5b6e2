import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inProcessBudgets } from './in-process-transport.js';

describe('inProcessBudgets', () => {
  const sum = (b: ReturnType<typeof inProcessBudgets>) => b.controllerManager + b.scheduler + b.nodes;

  it('keeps the components together below the default mutating limit', () => {
    const b = inProcessBudgets(400, 200);
    assert.deepEqual(b, { controllerManager: 75, scheduler: 25, nodes: 50 });
    assert.ok(sum(b) < 200);
  });

  it('follows the lower of the two limits, and stays below it', () => {
    for (const [ro, mut] of [[40, 200], [400, 20], [10, 10], [400, 8]] as const) {
      const b = inProcessBudgets(ro, mut);
      assert.ok(sum(b) <= Math.min(ro, mut), `${ro}/${mut}: ${JSON.stringify(b)}`);
      assert.ok(Object.values(b).every((n) => n >= 1));
    }
  });

  it('treats 0 as no limit', () => {
    assert.deepEqual(inProcessBudgets(0, 0), inProcessBudgets(400, 200));
    assert.deepEqual(inProcessBudgets(0, 100), inProcessBudgets(400, 100));
  });
});
