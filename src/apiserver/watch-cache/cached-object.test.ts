import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CachedObject } from './cached-object.js';

const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'ns', resourceVersion: '7', labels: { app: 'a' } } };

test('a superseded version keeps its JSON and decodes afresh each time it is looked into', () => {
  let loads = 0;
  const obj = new CachedObject('/registry/pods/ns/p', () => (loads++, structuredClone(pod)), 7, JSON.stringify(pod));
  assert.equal(obj.object, obj.object, 'the current version is decoded once and shared');
  assert.equal(loads, 1);
  obj.supersede();
  const a = obj.object;
  const b = obj.object;
  assert.notEqual(a, b, 'no decoded copy is kept');
  assert.deepEqual(a, pod);
  assert.equal(obj.json(), JSON.stringify(pod));
  assert.equal(loads, 1, 'decoded from its JSON, not through the loader');
});

test('an object made from a decoded value gets its JSON before it lets the value go', () => {
  const obj = new CachedObject('/registry/pods/ns/p', structuredClone(pod), 7);
  obj.supersede();
  assert.deepEqual(obj.object, pod);
  assert.equal(obj.itemJson(), JSON.stringify(pod).replace('"kind":"Pod","apiVersion":"v1",', ''));
});

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
