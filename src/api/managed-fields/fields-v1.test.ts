import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from './field-set.js';
import { fieldsV1, fromFieldsV1 } from './fields-v1.js';
import { keyElement } from './path-element.js';

describe('fieldsV1', () => {
  it('orders fields, then keys, then values, then indexes, with `.` first', () => {
    const set = FieldSet.of(
      [{ field: 'list' }, { index: 1 }],
      [{ field: 'list' }, { value: 'x' }],
      [{ field: 'list' }, keyElement([['port', 80], ['name', 'a']])],
      [{ field: 'list' }, { field: 'z' }],
      [{ field: 'list' }],
      [{ field: 'a' }],
    );
    const json = fieldsV1(set);
    assert.equal(
      JSON.stringify(json),
      '{"f:a":{},"f:list":{".":{},"f:z":{},"k:{\\"name\\":\\"a\\",\\"port\\":80}":{},"v:\\"x\\"":{},"i:1":{}}}',
    );
  });

  it('writes key values as Go does, HTML-escaped', () => {
    const set = FieldSet.of([{ field: 'l' }, keyElement([['name', 'a<b&c']])]);
    assert.deepEqual(Object.keys(fieldsV1(set)['f:l'] ?? {}), ['k:{"name":"a\\u003cb\\u0026c"}']);
  });

  it('round-trips, reading `{}` and `.` as members and dropping unknown element types', () => {
    const json = { 'f:a': {}, 'f:b': { '.': {}, 'f:c': {} }, 'f:d': { 'f:e': {} }, 'x:unknown': {} };
    const set = fromFieldsV1(json);
    assert.ok(set.has([{ field: 'a' }]));
    assert.ok(set.has([{ field: 'b' }]));
    assert.ok(!set.has([{ field: 'd' }]));
    assert.ok(set.has([{ field: 'd' }, { field: 'e' }]));
    const { 'x:unknown': _dropped, ...known } = json;
    assert.deepEqual(fieldsV1(set), known);
  });

  it('rejects malformed keys', () => {
    assert.throws(() => fromFieldsV1({ 'k:{bad': {} }));
    assert.throws(() => fromFieldsV1({ nocolon: {} }));
  });
});

describe('FieldSet', () => {
  it('difference keeps children of removed members; recursiveDifference drops them', () => {
    const set = FieldSet.of([{ field: 'a' }], [{ field: 'a' }, { field: 'b' }]);
    const a = FieldSet.of([{ field: 'a' }]);
    assert.deepEqual(fieldsV1(set.difference(a)), { 'f:a': { 'f:b': {} } });
    assert.ok(set.recursiveDifference(a).empty());
  });
});
