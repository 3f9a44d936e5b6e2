import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { certainlyClean, JsonDepthError, scanStrictJson } from './strict-json.js';
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

describe('certainlyClean', () => {
  const clean = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels: { 'a"b': 'c:d', e: '"f": 1' } }, spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'A', value: '\\' }] }], extra: { anything: { goes: [1, { here: true }] } } } });
  const texts = [
    clean,
    JSON.stringify(JSON.parse(clean), null, 2),
    '{"apiVersion":"v1","apiVersion":"v1"}',
    '{"metadata":{"labels":{"a":"1","a":"2"}}}',
    '{"spec":{"containers":[{"name":"c","name":"d"}]}}',
    '{"spec":{"extra":{"x":1,"x":2}}}',
    '{"spec":{"containers":[{"name":"c","bogus":1}]}}',
    '{"metadata":{"name":"x\\\\","other":"y\\"\\\\"}}',
    '{"metadata" : {"name" :\n"x"}, "kind"\t:"Pod"}',
    '{"a":{"b":1},"c":[{"d":{}}]}',
  ];

  it('says clean only when the scanner finds nothing, and finds the usual body clean', () => {
    for (const text of texts) {
      const value = JSON.parse(text) as unknown;
      for (const schema of [podSchema, undefined]) {
        if (certainlyClean(text, value, schema)) assert.deepEqual(scanStrictJson(text, schema), [], text);
      }
    }
    assert.equal(certainlyClean(clean, JSON.parse(clean), podSchema), true);
    assert.equal(certainlyClean(texts[1] as string, JSON.parse(texts[1] as string), podSchema), true, 'whitespace between a key and its colon');
    assert.equal(certainlyClean(texts[8] as string, JSON.parse(texts[8] as string), podSchema), true);
    assert.equal(certainlyClean(texts[7] as string, JSON.parse(texts[7] as string)), true, 'escaped backslashes and quotes before a closing quote');
  });

  it('leaves duplicates, unknown fields and deep documents to the scanner', () => {
    const dirty = (text: string, schema?: StructuralSchema) => certainlyClean(text, JSON.parse(text) as unknown, schema);
    assert.equal(dirty('{"apiVersion":"v1","apiVersion":"v1"}'), false);
    assert.equal(dirty('{"metadata":{"labels":{"a":"1","a":"2"}}}', podSchema), false);
    assert.equal(dirty('{"spec":{"extra":{"x":1,"x":2}}}', podSchema), false, 'a duplicate where anything goes');
    assert.equal(dirty('{"spec":{"containers":[{"name":"c","bogus":1}]}}', podSchema), false);
    assert.equal(dirty('{"spec":{"containers":[{"name":"c","bogus":1}]}}'), true, 'without a schema nothing is unknown');
    assert.equal(dirty(`${'['.repeat(300)}{"a":1}${']'.repeat(300)}`), false, 'past the quick depth');
  });
});
