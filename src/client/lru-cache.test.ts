import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from './lru-cache.js';

test('the least recently used entry is evicted', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
  cache.set('c', 4);
  assert.equal(cache.size, 2);
  assert.equal(cache.get('c'), 4);
  assert.throws(() => new LruCache(0), RangeError);
});
