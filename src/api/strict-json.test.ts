import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonDepthError, scanStrictJson } from './strict-json.js';
import type { StructuralSchema } from './structural-schema.js';

const str: StructuralSchema = { type: 'string' };
const podSchema: StructuralSchema = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: {
      type: 'object',
      properties: { name: str, labels: { type: 'object', additionalProperties: str } },
    },
    spec: {
      type: 'object',
      properties: {
        containers: {
          type: 'array',
          items: { type: 'object', properties: { name: str, image: str, env: { type: 'array', items: { type: 'object', properties: { name: str, value: str } } } } },
        },
        extra: { type: 'object', preserveUnknownFields: true },
      },
    },
  },
};

describe('scanStrictJson', () => {
  it('finds nothing in a clean document', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    assert.deepEqual(scanStrictJson(text, podSchema), []);
  });

  it('finds duplicates anywhere when there is no schema', () => {
    const text = '{"a":1,"b":{"c":[{"d":1,"d":2}],"c":3},"a":{"x":"y"}}';
    assert.deepEqual(scanStrictJson(text), [
      { kind: 'duplicate', path: 'b.c[0].d' },
      { kind: 'duplicate', path: 'b.c' },
      { kind: 'duplicate', path: 'a' },
    ]);
  });

  it('finds unknown and duplicate fields in document order with upstream paths', () => {
    const text = `{
      "apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "x", "name": "y", "labels": {"a": "1", "a": "2"}, "foo": {"name": 1, "name": 2}},
      "spec": {"containers": [{"name": "c", "image": "i", "bogus": true}, {"name": "d", "env": [{"name": "e", "valueFrom": {}}]}],
               "extra": {"anything": {"goes": 1}, "anything": 2}},
      "status": {}
    }`;
    assert.deepEqual(scanStrictJson(text, podSchema), [
      { kind: 'duplicate', path: 'metadata.name' },
      { kind: 'duplicate', path: 'metadata.labels.a' },
      { kind: 'unknown', path: 'metadata.foo' },
      { kind: 'unknown', path: 'spec.containers[0].bogus' },
      { kind: 'unknown', path: 'spec.containers[1].env[0].valueFrom' },
      { kind: 'duplicate', path: 'spec.extra.anything' },
      { kind: 'unknown', path: 'status' },
    ]);
  });

  it('reports each problem once', () => {
    assert.deepEqual(scanStrictJson('{"x":1,"x":2,"x":3}', { type: 'object', properties: {} }), [{ kind: 'unknown', path: 'x' }]);
    assert.deepEqual(scanStrictJson('{"x":1,"x":2,"x":3}'), [{ kind: 'duplicate', path: 'x' }]);
  });

  it('decodes escaped keys before comparing them', () => {
    assert.deepEqual(scanStrictJson('{"name":1,"na\\u006de":2,"q\\"":1,"q\\\\":2}'), [{ kind: 'duplicate', path: 'name' }]);
  });

  it('handles arrays at the root and strings with brackets', () => {
    assert.deepEqual(scanStrictJson('[{"a":"]}\\"","a":"{["},[],{}]'), [{ kind: 'duplicate', path: '[0].a' }]);
    assert.deepEqual(scanStrictJson('"just a string"'), []);
    assert.deepEqual(scanStrictJson(' 12 '), []);
  });

  it('skips values whose shape does not fit the schema', () => {
    assert.deepEqual(scanStrictJson('{"metadata":[{"x":1,"x":1}]}', podSchema), []);
  });

  it('stops at 100 findings', () => {
    const keys = Array.from({ length: 150 }, (_, i) => `"k${i}":1`).join(',');
    assert.equal(scanStrictJson(`{${keys}}`, { type: 'object', properties: {} }).length, 100);
  });

  it('enforces the depth limit', () => {
    assert.deepEqual(scanStrictJson(`${'['.repeat(10000)}${']'.repeat(10000)}`), []);
    assert.throws(() => scanStrictJson(`${'{"a":'.repeat(10001)}1${'}'.repeat(10001)}`), (err: unknown) => {
      assert.ok(err instanceof JsonDepthError);
      assert.equal(err.message, "invalid character '{' exceeded max depth");
      return true;
    });
  });
});
