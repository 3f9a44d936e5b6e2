import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyJson } from './copy-json.js';

test('copyJson copies every level, shares nothing, and keeps key order and undefined values', () => {
  const source = { kind: 'Pod', metadata: { name: 'a', labels: { x: 'y' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }], n: null, u: undefined }, list: [1, 'two', true, null, [3]] };
  const copy = copyJson(source);
  assert.deepStrictEqual(copy, source);
  assert.deepEqual(Object.keys(copy.spec), ['containers', 'n', 'u']);
  assert.ok(Object.hasOwn(copy.spec, 'u'));
  copy.metadata.labels.x = 'changed';
  copy.spec.containers[0]!.ports.push({ containerPort: 81 });
  (copy.list[4] as number[]).push(4);
  assert.equal(source.metadata.labels.x, 'y');
  assert.equal(source.spec.containers[0]!.ports.length, 1);
  assert.deepEqual(source.list[4], [3]);
});

test('copyJson of a frozen object is an unfrozen copy', () => {
  const frozen = Object.freeze({ a: Object.freeze({ b: 1 }), list: [Object.freeze({ c: 2 })] });
  const copy = copyJson(frozen) as { a: { b: number }; list: { c: number }[] };
  copy.a.b = 2;
  copy.list[0]!.c = 3;
  assert.equal(frozen.a.b, 1);
  assert.equal(Object.isFrozen(copy.a), false);
});

test('bytes are copied as bytes', () => {
  const source = { data: Buffer.from('abc') };
  const copy = copyJson(source);
  assert.ok(ArrayBuffer.isView(copy.data));
  assert.notEqual(copy.data, source.data);
  assert.deepEqual([...copy.data], [...source.data]);
});

test('scalars come back as they are', () => {
  for (const v of [null, undefined, 0, 'x', false]) assert.equal(copyJson(v), v);
});
