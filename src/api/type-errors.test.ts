import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findTypeError, typeErrorMessage } from './type-errors.js';

const schema = {
  type: 'object' as const,
  properties: {
    metadata: { type: 'object' as const, properties: { name: { type: 'string' as const } } },
    data: { type: 'object' as const, additionalProperties: { type: 'string' as const } },
    spec: {
      type: 'object' as const,
      properties: { containers: { type: 'array' as const, items: { type: 'object' as const, properties: { port: { type: 'integer' as const } } } }, q: {} },
    },
  },
};

test('reports the first value of the wrong JSON type with Go\'s message', () => {
  assert.equal(findTypeError({ metadata: { name: 'a' }, data: { a: 'x' }, spec: { q: 5 } }, schema), undefined);
  assert.equal(findTypeError({ metadata: null, data: { a: null } }, schema), undefined);
  const metadata = findTypeError({ metadata: 'oops' }, schema)!;
  assert.equal(typeErrorMessage('ConfigMap', metadata), 'json: cannot unmarshal string into Go struct field ConfigMap.metadata of type object');
  const data = findTypeError({ data: { a: 1 } }, schema)!;
  assert.equal(typeErrorMessage('ConfigMap', data), 'json: cannot unmarshal number into Go struct field ConfigMap.data.a of type string');
  const port = findTypeError({ spec: { containers: [{ port: 1 }, { port: '80' }] } }, schema)!;
  assert.equal(port.path, 'spec.containers[1].port');
  assert.equal(typeErrorMessage('Pod', port), 'json: cannot unmarshal string into Go struct field Pod.spec.containers.port of type int64');
  assert.equal(findTypeError({ spec: { containers: [{ port: 1.5 }] } }, schema)?.expected, 'int64');
  assert.equal(typeErrorMessage('Pod', findTypeError([], schema)!), 'json: cannot unmarshal array into Go value of type object');
});
