import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldSchema } from './field-schema.js';
import { toFieldSet } from './to-field-set.js';
import { fieldsV1 } from './fields-v1.js';
import { updateManagedFields } from './update-managed-fields.js';
import type { ManagedFieldsEntry } from './managed-fields-entry.js';

const SCALAR: FieldSchema = { kind: 'scalar' };
const SCHEMA: FieldSchema = {
  kind: 'object',
  atomic: false,
  fields: {
    metadata: { kind: 'object', atomic: false, fields: { name: SCALAR, labels: { kind: 'map', atomic: false, elements: SCALAR } } },
    data: { kind: 'map', atomic: false, elements: SCALAR },
    tags: { kind: 'list', listType: 'set', keys: [], elements: SCALAR },
    args: { kind: 'list', listType: 'atomic', keys: [], elements: SCALAR },
  },
  goZero: { metadata: { kind: 'struct' } },
};

function entry(manager: string, time: string, fields: ManagedFieldsEntry['fieldsV1']): ManagedFieldsEntry {
  return { manager, operation: 'Update', apiVersion: 'v1', time, fieldsType: 'FieldsV1', fieldsV1: fields };
}

const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-01T00:01:00Z';

function update(manager: string, old: object | undefined, next: object, time: string): ManagedFieldsEntry[] {
  return updateManagedFields({ old, next, manager, apiVersion: 'v1', time, schema: SCHEMA });
}

describe('toFieldSet', () => {
  it('marks set items and atomic lists, not granular parents', () => {
    const set = toFieldSet({ data: { a: '1' }, tags: ['x'], args: ['1', '2'], metadata: {} }, SCHEMA);
    assert.deepEqual(fieldsV1(set), { 'f:args': {}, 'f:data': { 'f:a': {} }, 'f:metadata': {}, 'f:tags': { 'v:"x"': {} } });
  });
});

describe('updateManagedFields', () => {
  it('creates with metadata present and name stripped', () => {
    const created = update('kubectl-create', undefined, { metadata: { name: 'x' }, data: { a: '1' } }, T0);
    assert.deepEqual(created, [entry('kubectl-create', T0, { 'f:data': { '.': {}, 'f:a': {} } })]);
  });

  it('takes removed fields from every manager, dropping emptied entries', () => {
    const old = { metadata: { name: 'x', managedFields: [entry('a', T0, { 'f:data': { '.': {}, 'f:a': {} } })] }, data: { a: '1' } };
    assert.deepEqual(update('b', old, { metadata: { name: 'x' }, data: {} }, T1), [entry('a', T0, { 'f:data': {} })]);
    assert.deepEqual(update('b', old, { metadata: { name: 'x' } }, T1), []);
  });

  it('merges into the same manager and bumps its time only on change', () => {
    const old = { metadata: { managedFields: [entry('a', T0, { 'f:data': { 'f:a': {} } })] }, data: { a: '1' } };
    assert.deepEqual(update('a', old, { ...old, data: { a: '1', b: '2' } }, T1), [entry('a', T1, { 'f:data': { 'f:a': {}, 'f:b': {} } })]);
    assert.deepEqual(update('a', old, old, T1), [entry('a', T0, { 'f:data': { 'f:a': {} } })]);
  });

  it('orders Apply entries before Update entries, then by time and manager', () => {
    const apply: ManagedFieldsEntry = { manager: 'z', operation: 'Apply', apiVersion: 'v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:tags': {} } };
    const old = { metadata: { managedFields: [entry('b', T0, { 'f:args': {} }), apply] }, args: ['1'], tags: [] };
    const result = update('a', old, { ...old, data: { k: 'v' } }, T0);
    assert.deepEqual(result.map((e) => e.manager), ['z', 'a', 'b']);
  });

  it('caps Update entries at 10, merging the oldest into ancient-changes', () => {
    let obj: Record<string, unknown> = { metadata: {}, data: {} };
    for (let i = 0; i < 11; i++) {
      const time = `2024-01-01T00:00:${String(i).padStart(2, '0')}Z`;
      const next = { ...obj, data: { ...(obj['data'] as object), [`k${i}`]: 'v' } };
      const managedFields = update(`m${String(i).padStart(2, '0')}`, obj, next, time);
      obj = { ...next, metadata: { managedFields } };
    }
    const entries = (obj['metadata'] as { managedFields: ManagedFieldsEntry[] }).managedFields;
    assert.equal(entries.length, 10);
    assert.deepEqual(entries[0], entry('ancient-changes', '2024-01-01T00:00:01Z', { 'f:data': { 'f:k0': {}, 'f:k1': {} } }));
  });
});

describe('updateManagedFields on create', () => {
  const objects: object[] = [
    { metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v' }, tags: ['t1', 't2'], args: ['1'] },
    { metadata: { name: 'b', labels: {} }, data: {}, tags: [], args: [] },
    { metadata: { name: 'c' } },
    { metadata: { name: 'd', labels: { app: 'x' } }, data: null, extra: { nested: true } },
    { data: { k: 'v' } },
  ];

  it('owns the same fields as the general computation (stored managedFields: none)', () => {
    for (const next of objects) {
      const meta = (next as { metadata?: object }).metadata ?? {};
      const general = update('m', undefined, { ...next, metadata: { ...meta, managedFields: [] } }, T0);
      assert.deepEqual(update('m', undefined, next, T0), general, JSON.stringify(next));
      assert.deepEqual(update('m', undefined, next, T1), general.map((e) => ({ ...e, time: T1 })));
    }
  });

  it('owns a field the kind zeroes only when it holds a value other than its zero, whatever the other scalars', () => {
    const schema: FieldSchema = {
      kind: 'object',
      atomic: false,
      fields: { ...(SCHEMA.kind === 'object' ? SCHEMA.fields : {}), count: SCALAR, reason: SCALAR, ok: SCALAR, note: SCALAR },
      goZero: { metadata: { kind: 'struct' }, count: { kind: 'value', value: 0 }, reason: { kind: 'value', value: '' }, ok: { kind: 'value', value: false } },
    };
    const create = (next: object) => updateManagedFields({ next, manager: 'm', apiVersion: 'v1', time: T0, schema });
    const general = (next: object) => updateManagedFields({ next: { ...next, metadata: { managedFields: [] } }, manager: 'm', apiVersion: 'v1', time: T0, schema });
    const variants = [
      { count: 0, reason: '', ok: false, note: '' },
      { count: 3, reason: 'Evicted', ok: true, note: 'a' },
      { count: 7, reason: 'Other', ok: true, note: 'b', tags: ['t1'], args: ['x'] },
      { count: 7, reason: 'Other', ok: true, note: 'b', tags: ['t2', 't3'], args: ['y', 'z'] },
      { count: 0, reason: 'x', ok: false, note: 'c' },
    ];
    for (const v of variants) assert.deepEqual(create({ metadata: {}, ...v }), general(v), JSON.stringify(v));
    assert.deepEqual(Object.keys(create({ metadata: {}, ...variants[0]! })[0]!.fieldsV1 ?? {}).sort(), ['f:note']);
    assert.deepEqual(create({ metadata: {}, ...variants[1]! }), create({ metadata: {}, ...variants[2]!, tags: undefined, args: undefined }));
  });

  it('gives objects that differ in stripped metadata only the same fields, shared and frozen', () => {
    const first = update('m', undefined, { metadata: { name: 'one', labels: { app: 'x' } }, data: { k: 'v' } }, T0);
    const second = update('m', undefined, { metadata: { name: 'two', labels: { app: 'x' } }, data: { k: 'v' } }, T0);
    assert.deepEqual(second, first);
    const expected = structuredClone(second[0]!.fieldsV1);
    assert.throws(() => ((first[0]!.fieldsV1 as Record<string, unknown>)['f:data'] = {}), TypeError);
    assert.deepEqual(second[0]!.fieldsV1, expected);
    assert.deepEqual(update('m', undefined, { metadata: { name: 'four', labels: { app: 'x' } }, data: { k: 'v' } }, T0)[0]!.fieldsV1, expected);
    assert.deepEqual(update('other', undefined, { metadata: { name: 'three', labels: { app: 'x' } }, data: { k: 'v' } }, T0)[0]!.manager, 'other');
  });
});
