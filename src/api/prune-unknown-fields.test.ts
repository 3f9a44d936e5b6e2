import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneUnknownFields } from './prune-unknown-fields.js';

test('drops unknown fields at every depth and keeps maps and free-form fields', () => {
  const schema = {
    type: 'object' as const,
    properties: {
      spec: {
        type: 'object' as const,
        properties: {
          containers: { type: 'array' as const, items: { type: 'object' as const, properties: { name: { type: 'string' as const } } } },
          nodeSelector: { type: 'object' as const, additionalProperties: { type: 'string' as const } },
          raw: { preserveUnknownFields: true },
        },
      },
    },
  };
  const value = { spec: { foo: 1, containers: [{ name: 'a', bar: 2 }], nodeSelector: { any: 'x' }, raw: { z: 1 } }, extra: true };
  pruneUnknownFields(value, schema);
  assert.deepEqual(value, { spec: { containers: [{ name: 'a' }], nodeSelector: { any: 'x' }, raw: { z: 1 } } });
});
