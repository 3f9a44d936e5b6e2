import { describe, it } from 'node:test';
import { checkStrategicCase, type StrategicCase } from './merge-item-meta.fixture.js';

type Case = StrategicCase;
const check = checkStrategicCase;

// apimachinery's strategicpatch cases (patch_test.go) on ordering: the patch's order for the items it names,
// `$setElementOrder/<field>`, and where the original's other items end up. Lists compare in order.
const CASES: readonly Case[] = [
  {
    name: "keeps the patch's order for the items it names",
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x' }] },
    expected: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x', value: 'b' }] },
  },
  {
    name: 'a server-only item stays ahead of the patch items that followed it',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }] },
    expected: { mergingList: [{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }] },
  },
  {
    name: "keeps the patch's order in a merged scalar list",
    original: { mergingIntList: [1, 2, 3] },
    patch: { mergingIntList: [3, 1, 2] },
    expected: { mergingIntList: [3, 1, 2] },
  },
  {
    name: 'adds a scalar where $setElementOrder puts it',
    original: { mergingIntList: [1, 4, 2] },
    patch: { '$setElementOrder/mergingIntList': [3, 1, 2], mergingIntList: [3] },
    expected: { mergingIntList: [3, 1, 4, 2] },
  },
  {
    name: 'deletes a scalar and keeps the order of the rest',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [2, 1], '$deleteFromPrimitiveList/mergingIntList': [3] },
    expected: { mergingIntList: [2, 1] },
  },
  {
    name: 'adds an item where $setElementOrder puts it',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 3 }, { name: 1 }, { name: 2 }], mergingList: [{ name: 3, value: 3 }] },
    expected: { mergingList: [{ name: 3, value: 3 }, { name: 1, other: 'a' }, { name: 2, other: 'b', value: 2 }] },
  },
  {
    name: 'adds several items where $setElementOrder puts them',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 1 }, { name: 4 }, { name: 2 }, { name: 3 }],
      mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }],
    },
    expected: {
      mergingList: [{ name: 1, other: 'a' }, { name: 4, value: 4 }, { name: 2, other: 'b', value: 2 }, { name: 3, value: 3 }],
    },
  },
  {
    name: 'deletes an item and keeps the order of the rest',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }], mergingList: [{ name: 3, $patch: 'delete' }] },
    expected: { mergingList: [{ name: 2, other: 'b', value: 2 }, { name: 1, other: 'a' }] },
  },
  {
    name: 'changes an item and keeps every item in place',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }, { name: 1 }],
      mergingList: [{ name: 3, value: 'x' }],
    },
    expected: { mergingList: [{ name: 2, other: 'b', value: 2 }, { name: 3, value: 'x' }, { name: 1, other: 'a' }] },
  },
  {
    name: 'adds and deletes items in one patch, in order',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 4 }, { name: 2 }, { name: 1 }],
      mergingList: [{ name: 4, value: 4 }, { name: 3, $patch: 'delete' }],
    },
    expected: { mergingList: [{ name: 4, value: 4 }, { name: 2, other: 'b', value: 2 }, { name: 1, other: 'a' }] },
  },
  {
    name: 'reorders a list by $setElementOrder alone',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 3, value: 3 }, { name: 4, value: 4 }, { name: 2, value: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 4 }, { name: 2 }, { name: 3 }, { name: 1 }] },
    expected: { mergingList: [{ name: 4, value: 4 }, { name: 2, value: 2 }, { name: 3, value: 3 }, { name: 1, other: 'a' }] },
  },
  {
    name: 'server-only items stay after the patch item they followed',
    original: {
      mergingList: [{ name: 1, other: 'a' }, { name: 3, value: 3 }, { name: 4, value: 4 }, { name: 2, value: 2 }, { name: 9 }],
    },
    patch: { '$setElementOrder/mergingList': [{ name: 4 }, { name: 2 }, { name: 3 }, { name: 1 }] },
    expected: {
      mergingList: [{ name: 4, value: 4 }, { name: 2, value: 2 }, { name: 3, value: 3 }, { name: 1, other: 'a' }, { name: 9 }],
    },
  },
  {
    name: 'server-only items stay ahead of later patch items',
    original: {
      mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2 }, { name: 9 }, { name: 3, value: 3 }, { name: 4, value: 4 }],
    },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }, { name: 4 }, { name: 3 }] },
    expected: {
      mergingList: [{ name: 2, value: 2 }, { name: 1, other: 'a' }, { name: 9 }, { name: 4, value: 4 }, { name: 3, value: 3 }],
    },
  },
  {
    name: 'server-only items interleave with reordered patch items',
    original: {
      mergingList: [
        { name: 1, other: 'a' },
        { name: 2, value: 2 },
        { name: 7 },
        { name: 9 },
        { name: 8 },
        { name: 3, value: 3 },
        { name: 4, value: 4 },
      ],
    },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }, { name: 4 }, { name: 3 }] },
    expected: {
      mergingList: [
        { name: 2, value: 2 },
        { name: 1, other: 'a' },
        { name: 7 },
        { name: 9 },
        { name: 8 },
        { name: 4, value: 4 },
        { name: 3, value: 3 },
      ],
    },
  },
  {
    name: 'reorders a scalar list by $setElementOrder alone',
    original: { mergingIntList: [1, 3, 4, 2] },
    patch: { '$setElementOrder/mergingIntList': [4, 2, 3, 1] },
    expected: { mergingIntList: [4, 2, 3, 1] },
  },
  {
    name: 'server-only scalars keep their relative place',
    original: { mergingIntList: [1, 3, 4, 2, 9] },
    patch: { '$setElementOrder/mergingIntList': [4, 2, 3, 1] },
    expected: { mergingIntList: [4, 2, 3, 1, 9] },
  },
  {
    name: 'duplicate keys in the original survive reordering',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'dup1' }, { name: 3 }, { name: 2, value: 'dup2' }, { name: 4 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 1 }, { name: 4 }, { name: 3 }, { name: 2 }] },
    expected: { mergingList: [{ name: 2, value: 'dup1' }, { name: 2, value: 'dup2' }, { name: 1 }, { name: 4 }, { name: 3 }] },
  },
  {
    name: 'duplicate scalars in the original collapse when reordered',
    original: { mergingIntList: [1, 2, 3, 2, 4] },
    patch: { '$setElementOrder/mergingIntList': [2, 1, 4, 3, 2] },
    expected: { mergingIntList: [2, 2, 1, 4, 3] },
  },
  {
    name: 'ignores $setElementOrder entries no list has',
    original: { mergingList: [{ name: 1 }, { name: 3 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 3 }, { name: 2 }, { name: 1 }],
      mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }],
    },
    expected: { mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
  },
  {
    name: 'ignores $setElementOrder scalars the list lacks',
    original: { mergingIntList: [1, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 2, 1] },
    expected: { mergingIntList: [3, 1] },
  },
  {
    name: "a deleted slot is reused by an added item, as Go's slice aliasing does",
    original: { mergingList: [{ name: 1 }, { name: 2, other: 'b' }, { name: 4, other: 'c' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }],
      mergingList: [{ name: 3 }, { name: 1, $patch: 'delete' }],
    },
    expected: { mergingList: [{ name: 2, other: 'b' }, { name: 4, other: 'c' }, { name: 3 }] },
  },
  {
    name: 'deletes and reorders in one list while reordering another',
    original: {
      mergingList: [{ name: 'a', value: 'a' }, { name: 'b', value: 'b' }],
      mergeItemPtr: [{ name: 'c', value: 'c' }, { name: 'd', value: 'd' }],
    },
    patch: {
      '$setElementOrder/mergingList': [{ name: 'b' }],
      '$setElementOrder/mergeItemPtr': [{ name: 'd' }, { name: 'c' }],
      mergingList: [{ $patch: 'delete', name: 'a' }],
    },
    expected: { mergeItemPtr: [{ name: 'd', value: 'd' }, { name: 'c', value: 'c' }], mergingList: [{ name: 'b', value: 'b' }] },
  },
];

describe('strategic merge patch: list order', () => {
  for (const c of CASES) it(c.name, () => check(c));
});
