import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goSliceStable } from './go-stable-sort.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('goSliceStable', () => {
  it('sorts stably with a consistent less, across insertion blocks and merges', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (const n of [0, 1, 2, 19, 20, 21, 45, 130]) {
      const items = range(n).map((i) => ({ key: next() % 7, i }));
      const sorted = [...items];
      goSliceStable(sorted, (a, b) => a.key < b.key);
      assert.deepEqual(sorted, [...items].sort((a, b) => a.key - b.key || a.i - b.i));
    }
  });

  // Outputs of Go 1.19's sort.SliceStable for the same inputs.
  it('matches Go when less is always true', () => {
    for (const n of [5, 25, 45]) {
      const items = range(n);
      goSliceStable(items, () => true);
      assert.deepEqual(items, range(n).reverse());
    }
  });

  it("matches Go with strategic merge patch's order-list comparator", () => {
    const order = [3, 1, 2];
    const items = [1, 7, 2, 8, 3];
    goSliceStable(items, (a, b) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      return ia >= 0 && ib >= 0 ? ia < ib : true;
    });
    assert.deepEqual(items, [3, 8, 7, 1, 2]);
  });
});
