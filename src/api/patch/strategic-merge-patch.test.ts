import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkStrategicCase, MERGE_ITEM_META, type StrategicCase } from './merge-item-meta.fixture.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

type Case = StrategicCase;
const check = checkStrategicCase;

// apimachinery's strategicpatch cases (patch_test.go) for maps: recursive merge, null deletion, `$patch` on
// maps, fields with strategy replace; then our own for values taken whole from the patch.
const CASES: readonly Case[] = [
  {
    name: 'adds a field to a map',
    original: { name: 1 },
    patch: { value: 1 },
    expected: { name: 1, value: 1 },
  },
  {
    name: 'adds a field and deletes another with null',
    original: { name: 1 },
    patch: { name: null, value: 1 },
    expected: { value: 1 },
  },
  {
    name: 'null deletes a field of a nested map',
    original: { simpleMap: { key1: 1, key2: 1 } },
    patch: { simpleMap: { key2: null } },
    expected: { simpleMap: { key1: 1 } },
  },
  {
    name: 'null deletes every field of a map',
    original: { name: 1, value: 1 },
    patch: { name: null, value: null },
    expected: {},
  },
  {
    name: 'adds a field while deleting all the others',
    original: { name: 1, value: 1 },
    patch: { name: null, value: null, other: 'a' },
    expected: { other: 'a' },
  },
  {
    name: 'replaces one field and deletes another with null',
    original: { name: 'original-name', value: 'original-value' },
    patch: { name: 'modified-name', value: null },
    expected: { name: 'modified-name' },
  },
  {
    name: '$patch delete on a nested map empties it',
    original: { simpleMap: { key1: 1, key2: 1 } },
    patch: { simpleMap: { $patch: 'delete' } },
    expected: { simpleMap: {} },
  },
  {
    name: '$patch replace on a map replaces it whole',
    original: { name: 1, value: 1 },
    patch: { $patch: 'replace' },
    expected: {},
  },
  {
    name: "$patch replace on a map keeps the patch's fields",
    original: { name: 1, value: 1 },
    patch: { other: 'a', $patch: 'replace' },
    expected: { other: 'a' },
  },
  {
    name: 'a field with strategy replace takes the patch map whole',
    original: {
      name: 'my-object',
      value: 'some-value',
      other: 'current-other',
      replacingItem: { Some: 'Generic', Yaml: 'Inside', The: 'RawExtension', Field: 'Period' },
    },
    patch: {
      mergingList: [{ name: 1 }, { name: 2 }, { name: 3 }],
      replacingItem: { Newly: 'Modified', Yaml: 'Inside', The: 'RawExtension' },
    },
    expected: {
      mergingList: [{ name: 1 }, { name: 2 }, { name: 3 }],
      name: 'my-object',
      other: 'current-other',
      replacingItem: { Newly: 'Modified', The: 'RawExtension', Yaml: 'Inside' },
      value: 'some-value',
    },
  },
  {
    name: 'a replaced field beside a merged list',
    original: {
      name: 'my-object',
      value: 'some-value',
      other: 'current-other',
      mergingList: [{ name: 1 }],
      replacingItem: { Some: 'Generic', Yaml: 'Inside', The: 'RawExtension', Field: 'Period' },
    },
    patch: {
      '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }],
      mergingList: [{ name: 2 }],
      replacingItem: { Newly: 'Modified', Yaml: 'Inside', The: 'RawExtension' },
    },
    expected: {
      mergingList: [{ name: 1 }, { name: 2 }],
      name: 'my-object',
      other: 'current-other',
      replacingItem: { Newly: 'Modified', The: 'RawExtension', Yaml: 'Inside' },
      value: 'some-value',
    },
  },
  {
    name: 'merges nested maps recursively',
    original: { simpleMap: { a: '1' }, retainKeysMap: { name: 'n', simpleMap: { x: '1' } } },
    patch: { retainKeysMap: { simpleMap: { y: '2' } } },
    expected: { retainKeysMap: { name: 'n', simpleMap: { x: '1', y: '2' } }, simpleMap: { a: '1' } },
  },
  {
    name: 'a value the original lacks loses nulls and $patch maps',
    original: {},
    patch: {
      retainKeysMap: { name: 'n', value: null, simpleMap: { a: '1', b: null } },
      mergingList: [{ name: 1, value: null }, { name: 2, $patch: 'delete' }],
    },
    expected: { mergingList: [{ name: 1 }], retainKeysMap: { name: 'n', simpleMap: { a: '1' } } },
  },
  {
    name: '$patch delete on the whole object empties it',
    original: { name: 1, mergingList: [{ name: 1 }] },
    patch: { $patch: 'delete', name: 2 },
    expected: {},
  },
  {
    name: "a value of another type replaces the original's",
    original: { mergingList: [{ name: 1 }], simpleMap: { a: '1' } },
    patch: { mergingList: { name: 2 }, simpleMap: ['x'] },
    expected: { mergingList: { name: 2 }, simpleMap: ['x'] },
  },
];

describe('strategic merge patch: maps', () => {
  for (const c of CASES) it(c.name, () => check(c));

  it('leaves its arguments untouched', () => {
    const original = { mergingList: [{ name: 1, value: 'a' }] };
    const patch = { mergingList: [{ name: 1, value: null }, { name: 2, $patch: 'delete' }] };
    const before = structuredClone([original, patch]);
    applyStrategicMergePatch(original, patch, MERGE_ITEM_META);
    assert.deepEqual([original, patch], before);
  });

  it('treats a null patch as empty and refuses one that is not an object', () => {
    assert.deepEqual(applyStrategicMergePatch({ name: 'a' }, null, MERGE_ITEM_META), { name: 'a' });
    const refused = (patch: unknown, message: string): void =>
      assert.throws(() => applyStrategicMergePatch({}, patch, MERGE_ITEM_META), { name: 'PatchError', kind: 'BadRequest', message });
    refused([], 'json: cannot unmarshal array into Go value of type map[string]interface {}');
    refused('x', 'json: cannot unmarshal string into Go value of type map[string]interface {}');
    refused(true, 'json: cannot unmarshal bool into Go value of type map[string]interface {}');
  });
});
