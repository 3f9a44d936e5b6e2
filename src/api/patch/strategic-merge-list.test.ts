import { describe, it } from 'node:test';
import { checkStrategicCase, type StrategicCase } from './merge-item-meta.fixture.js';

type Case = StrategicCase;
const check = checkStrategicCase;

// apimachinery's strategicpatch cases (patch_test.go) for lists: merged by key or as sets, `$patch: delete`
// and `$patch: replace` items, nested lists, and lists without merge strategy, which the patch replaces.
const CASES: readonly Case[] = [
  {
    name: 'replaces a list of scalars without merge strategy',
    original: { nonMergingIntList: [1, 2] },
    patch: { nonMergingIntList: [2, 3] },
    expected: { nonMergingIntList: [2, 3] },
  },
  {
    name: 'deletes every item of a merged list by key',
    original: { mergingList: [{ name: 1 }, { name: 2 }] },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 2, $patch: 'delete' }] },
    expected: { mergingList: [] },
  },
  {
    name: 'merges two empty lists',
    original: { mergingList: [] },
    patch: {},
    expected: { mergingList: [] },
  },
  {
    name: 'merges scalar lists as sets',
    original: { mergingIntList: [1, 2] },
    patch: { mergingIntList: [2, 3] },
    expected: { mergingIntList: [1, 2, 3] },
  },
  {
    name: 'deletes duplicate entries of a merged list',
    original: { mergingList: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }, { name: 3 }] },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 3, $patch: 'delete' }] },
    expected: { mergingList: [{ name: 2, value: 'a' }] },
  },
  {
    name: 'merges lists of maps by key',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 2 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 4 }, { name: 1 }, { name: 2 }, { name: 3 }],
      mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }],
    },
    expected: { mergingList: [{ name: 4, value: 4 }, { name: 1 }, { name: 2, value: 2 }, { name: 3, value: 3 }] },
  },
  {
    name: 'adds a field to an item matched by key',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, value: 1 }] },
    expected: { mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }] },
  },
  {
    name: 'merges an item the original already has',
    original: { mergingList: [{ name: 1, value: 'a', other: 'x' }, { name: 2 }, { name: 3 }] },
    patch: {},
    expected: { mergingList: [{ name: 1, other: 'x', value: 'a' }, { name: 2 }, { name: 3 }] },
  },
  {
    name: 'replaces a field of an item matched by key',
    original: { mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, value: 'a' }] },
    expected: { mergingList: [{ name: 1, value: 'a' }, { name: 2, value: 2 }] },
  },
  {
    name: '$patch delete removes the item with that key',
    original: { mergingList: [{ name: 1 }, { name: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }], mergingList: [{ name: 1, $patch: 'delete' }] },
    expected: { mergingList: [{ name: 2 }] },
  },
  {
    name: '$patch delete of a key the original lacks changes nothing',
    original: { mergingList: [{ name: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }], mergingList: [{ name: 1, $patch: 'delete' }] },
    expected: { mergingList: [{ name: 2, other: 'b' }] },
  },
  {
    name: 'null deletes a field of an item matched by key',
    original: { mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, value: null }] },
    expected: { mergingList: [{ name: 1 }, { name: 2, value: 2 }] },
  },
  {
    name: 'replaces a non-merging list inside a merged item',
    original: { mergingList: [{ name: 1, nonMergingList: [{ name: 1 }, { name: 2, value: 2 }] }, { name: 2 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }],
      mergingList: [{ name: 1, nonMergingList: [{ name: 1, value: 1 }] }],
    },
    expected: { mergingList: [{ name: 1, nonMergingList: [{ name: 1, value: 1 }] }, { name: 2 }] },
  },
  {
    name: 'merges lists nested in merged items',
    original: { mergingList: [{ name: 1, mergingList: [{ name: 1 }, { name: 2, value: 2 }] }, { name: 2 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }],
      mergingList: [{ '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], name: 1, mergingList: [{ name: 1, value: 1 }] }],
    },
    expected: { mergingList: [{ mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }], name: 1 }, { name: 2 }] },
  },
  {
    name: 'merges a pointer-typed merging list by key',
    original: { mergeItemPtr: [{ name: 1 }] },
    patch: { '$setElementOrder/mergeItemPtr': [{ name: 1 }, { name: 2 }], mergeItemPtr: [{ name: 2 }] },
    expected: { mergeItemPtr: [{ name: 1 }, { name: 2 }] },
  },
  {
    name: 'merges lists of scalars',
    original: { mergingIntList: [1, 2] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3] },
    expected: { mergingIntList: [1, 2, 3] },
  },
  {
    name: '$deleteFromPrimitiveList removes scalars',
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    expected: { mergingIntList: [1, 2, 4] },
  },
  {
    name: '$deleteFromPrimitiveList removes every duplicate',
    original: { mergingIntList: [1, 2, 3, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    expected: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'adds and deletes scalars in one patch',
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3] },
    expected: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'adds a list the original lacks, dropping its $patch items',
    original: { name: 'hi' },
    patch: { mergingList: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }] },
    expected: { mergingList: [{ name: 'hello' }], name: 'hi' },
  },
  {
    name: 'an item appended to a merged list keeps its nulls',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ name: 2, value: null }] },
    expected: { mergingList: [{ name: 2, value: null }, { name: 1 }] },
  },
  {
    name: "without $setElementOrder new items go before the original's",
    original: { mergingList: [{ name: 1 }, { name: 2 }], mergingIntList: [1, 2] },
    patch: { mergingList: [{ name: 3 }, { name: 1, value: 'x' }], mergingIntList: [3] },
    expected: { mergingIntList: [3, 1, 2], mergingList: [{ name: 3 }, { name: 1, value: 'x' }, { name: 2 }] },
  },
  {
    name: '$patch replace item replaces the whole merged list',
    original: { mergingList: [{ name: 1 }, { name: 2 }] },
    patch: { mergingList: [{ name: 3 }, { $patch: 'replace' }] },
    expected: { mergingList: [{ name: 3 }] },
  },
];

describe('strategic merge patch: lists', () => {
  for (const c of CASES) it(c.name, () => check(c));
});
