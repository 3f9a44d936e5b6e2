import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heapGrowthFlag, SERVER_HEAP_GROWING_PERCENT } from './heap-growth.js';

test('the server bounds heap growth unless the process was given its own bound', () => {
  assert.equal(heapGrowthFlag([], undefined), `--heap-growing-percent=${SERVER_HEAP_GROWING_PERCENT}`);
  assert.equal(heapGrowthFlag(['--enable-source-maps'], '--max-old-space-size=4096'), `--heap-growing-percent=${SERVER_HEAP_GROWING_PERCENT}`);
  assert.equal(heapGrowthFlag(['--heap-growing-percent=100'], undefined), undefined);
  assert.equal(heapGrowthFlag([], '--trace-gc  --heap_growing_percent=10'), undefined);
});
