import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CachedObject } from './cached-object.js';

test('itemJson drops kind and apiVersion read from plain JSON text without decoding the object', () => {
  const json = '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"}}';
  const obj = new CachedObject('/registry/pods/ns/a', () => assert.fail('decoded'), 1, json);
  assert.equal(obj.itemJson(), '{"metadata":{"name":"a"}}');
  assert.equal(new CachedObject('k', () => assert.fail('decoded'), 1, '{"kind":"Pod","apiVersion":"v1"}').itemJson(), '{}');
});

test('itemJson falls back to the decoded object when the head has escapes, and leaves other layouts alone', () => {
  const kind = 'P"od';
  const escaped = new CachedObject('k', { kind, apiVersion: 'v1', metadata: { name: 'a' } }, 1);
  assert.equal(escaped.itemJson(), '{"metadata":{"name":"a"}}');
  const other = new CachedObject('k', { apiVersion: 'v1', kind: 'Pod' }, 1);
  assert.equal(other.itemJson(), '{"apiVersion":"v1","kind":"Pod"}');
  const untyped = new CachedObject('k', { metadata: { name: 'a' } }, 1);
  assert.equal(untyped.itemJson(), '{"metadata":{"name":"a"}}');
});
