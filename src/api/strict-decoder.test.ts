import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BodyDecodeError,
  cannotBeHandledMessage,
  decodeStrict,
  strictDecodingError,
  strictWarnings,
  type StructuralSchema,
} from './strict-decoder.js';

const str: StructuralSchema = { type: 'string' };
const schema: StructuralSchema = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { type: 'object', properties: { name: str } },
    spec: { type: 'object', properties: { containers: { type: 'array', items: { type: 'object', properties: { name: str } } } } },
  },
};

describe('decodeStrict (JSON)', () => {
  it('returns the value and its strict errors', () => {
    const body = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","name":"b"},"spec":{"foo":1,"containers":[{"name":"c","bar":2}]}}';
    const result = decodeStrict(body, { format: 'json', schema });
    assert.deepEqual(result.value, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { foo: 1, containers: [{ name: 'c', bar: 2 }] } });
    assert.deepEqual(result.duplicateFields, ['metadata.name']);
    assert.deepEqual(result.unknownFields, ['spec.foo', 'spec.containers[0].bar']);
    assert.equal(
      strictDecodingError(result),
      'strict decoding error: duplicate field "metadata.name", unknown field "spec.foo", unknown field "spec.containers[0].bar"',
    );
    assert.deepEqual(strictWarnings(result), ['duplicate field "metadata.name"', 'unknown field "spec.foo"', 'unknown field "spec.containers[0].bar"']);
    assert.equal(
      cannotBeHandledMessage({ kind: 'Pod', version: 'v1', cause: strictDecodingError(result) ?? '' }),
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: duplicate field "metadata.name", unknown field "spec.foo", unknown field "spec.containers[0].bar"',
    );
  });

  it('accepts bytes', () => {
    const result = decodeStrict(new TextEncoder().encode('{"kind":"Pod"}'), { format: 'json', schema });
    assert.deepEqual(result.value, { kind: 'Pod' });
    assert.equal(strictDecodingError(result), undefined);
    assert.deepEqual(strictWarnings(result), []);
  });

  it('reports malformed JSON as Go does', () => {
    assert.throws(() => decodeStrict('{"kind":', { format: 'json' }), (err: unknown) => {
      assert.ok(err instanceof BodyDecodeError);
      assert.equal(err.message, 'unexpected end of JSON input');
      assert.equal(err.format, 'json');
      return true;
    });
    assert.throws(() => decodeStrict(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), { format: 'json' }), {
      message: "invalid character 'ï' looking for beginning of value",
    });
  });

  it('refuses nesting deeper than 10000', () => {
    const deep = `${'['.repeat(10001)}${']'.repeat(10001)}`;
    assert.throws(() => decodeStrict(deep, { format: 'json' }), { name: 'BodyDecodeError', message: "invalid character '[' exceeded max depth" });
    const unterminated = '['.repeat(20000);
    assert.throws(() => decodeStrict(unterminated, { format: 'json' }), { message: "invalid character '[' exceeded max depth" });
  });
});

describe('decodeStrict (YAML)', () => {
  it('reports duplicates as go-yaml and unknown fields in sorted order', () => {
    const body = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec:\n  zzz: 1\n  containers:\n  - name: c\n    bar: 2\n  aaa: 3\n';
    const result = decodeStrict(body, { format: 'yaml', schema });
    assert.deepEqual(result.value, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { zzz: 1, containers: [{ name: 'c', bar: 2 }], aaa: 3 } });
    assert.deepEqual(result.duplicateFields, ['metadata.name']);
    assert.deepEqual(result.unknownFields, ['spec.aaa', 'spec.containers[0].bar', 'spec.zzz']);
    assert.equal(
      strictDecodingError(result),
      'strict decoding error: yaml: unmarshal errors:\n  line 5: key "name" already set in map, unknown field "spec.aaa", unknown field "spec.containers[0].bar", unknown field "spec.zzz"',
    );
    assert.deepEqual(strictWarnings(result), [
      'line 5: key "name" already set in map',
      'unknown field "spec.aaa"',
      'unknown field "spec.containers[0].bar"',
      'unknown field "spec.zzz"',
    ]);
  });

  it('reports malformed YAML', () => {
    assert.throws(() => decodeStrict('a: [1,\nb: 2\n', { format: 'yaml' }), (err: unknown) => {
      assert.ok(err instanceof BodyDecodeError);
      assert.equal(err.format, 'yaml');
      assert.match(err.message, /^yaml: line \d+: /);
      return true;
    });
  });
});
