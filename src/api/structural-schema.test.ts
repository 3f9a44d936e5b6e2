import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acceptsShape, findUnknownFields, lookupField, UNKNOWN_FIELD, type StructuralSchema } from './structural-schema.js';

describe('lookupField', () => {
  it('follows properties, maps and preserve-unknown-fields', () => {
    const name = { type: 'string' } as const;
    assert.equal(lookupField({ type: 'object', properties: { name } }, 'name'), name);
    assert.equal(lookupField({ type: 'object', properties: { name } }, 'other'), UNKNOWN_FIELD);
    assert.equal(lookupField({ type: 'object', properties: { name } }, 'constructor'), UNKNOWN_FIELD);
    assert.equal(lookupField({ type: 'object', additionalProperties: name }, 'x'), name);
    assert.equal(lookupField({ type: 'object', additionalProperties: true }, 'x'), undefined);
    assert.equal(lookupField({ type: 'object', preserveUnknownFields: true }, 'x'), undefined);
    assert.equal(lookupField({ type: 'object' }, 'x'), UNKNOWN_FIELD);
    assert.equal(lookupField({}, 'x'), undefined);
  });

  it('matches shapes', () => {
    assert.ok(acceptsShape({ type: 'object' }, 'object'));
    assert.ok(!acceptsShape({ type: 'object' }, 'array'));
    assert.ok(acceptsShape({}, 'array'));
    assert.ok(!acceptsShape({ properties: {} }, 'array'));
    assert.ok(!acceptsShape({ items: {} }, 'object'));
  });
});

describe('findUnknownFields', () => {
  const schema: StructuralSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } } },
      },
    },
  };

  it('walks depth first with keys sorted', () => {
    const value = { zeta: 1, spec: { list: [{ a: 'x', c: 1, b: 2 }], other: { deep: 1 } }, alpha: 2 };
    assert.deepEqual(findUnknownFields(value, schema), ['alpha', 'spec.list[0].b', 'spec.list[0].c', 'spec.other', 'zeta']);
  });

  it('survives deep nesting', () => {
    let deep: unknown = 1;
    const nested: StructuralSchema = { type: 'array' };
    nested.items = nested;
    for (let i = 0; i < 20000; i++) deep = [deep];
    assert.deepEqual(findUnknownFields(deep, nested), []);
  });
});
