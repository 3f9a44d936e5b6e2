import { describe, it } from 'node:test';
import { checkStrategicCase, type StrategicCase } from './merge-item-meta.fixture.js';

type Case = StrategicCase;
const check = checkStrategicCase;

// apimachinery's strategicpatch cases (patch_test.go) for `$retainKeys` and `$deleteFromPrimitiveList`, and
// malformed patches with upstream's messages; kube-apiserver answers BadRequest 400, Invalid 422, Unknown 500.
const CASES: readonly Case[] = [
  {
    name: '$retainKeys clears a field the list omits',
    original: { retainKeysMap: { value: 'foo' } },
    patch: { retainKeysMap: { $retainKeys: ['other'], other: 'bar' } },
    expected: { retainKeysMap: { other: 'bar' } },
  },
  {
    name: "$retainKeys keeps listed fields and adds the patch's",
    original: { retainKeysMap: { name: 'foo' } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'bar' } },
    expected: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: '$retainKeys adds a field and clears another',
    original: { retainKeysMap: { name: 'foo', other: 'a' } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'bar' } },
    expected: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: '$retainKeys with a null field deletes it',
    original: { retainKeysMap: { name: 'foo', value: 'bar' } },
    patch: { retainKeysMap: { $retainKeys: ['name'], value: null } },
    expected: { retainKeysMap: { name: 'foo' } },
  },
  {
    name: '$retainKeys alone clears unlisted fields',
    original: { retainKeysMap: { name: 'foo', value: 'bar', other: 'a' } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'value'] } },
    expected: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: '$retainKeys keeps a nested map that merges',
    original: { retainKeysMap: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key3: 'c' } } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'simpleMap', 'value'], simpleMap: { key2: 'b' } } },
    expected: { retainKeysMap: { name: 'foo', simpleMap: { key1: 'a', key2: 'b', key3: 'c' }, value: 'bar' } },
  },
  {
    name: '$retainKeys beside a replaced non-merging list',
    original: { retainKeysMap: { name: 'foo', value: 'bar', nonMergingList: [{ name: 'a' }, { name: 'b' }] } },
    patch: {
      retainKeysMap: {
        $retainKeys: ['name', 'nonMergingList', 'value'],
        nonMergingList: [{ name: 'a' }, { name: 'c' }, { name: 'b' }],
      },
    },
    expected: { retainKeysMap: { name: 'foo', nonMergingList: [{ name: 'a' }, { name: 'c' }, { name: 'b' }], value: 'bar' } },
  },
  {
    name: '$retainKeys beside a merged scalar list',
    original: { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3] } },
    patch: {
      retainKeysMap: { '$setElementOrder/mergingIntList': [1, 2, 4], $retainKeys: ['mergingIntList', 'name'], mergingIntList: [4] },
    },
    expected: { retainKeysMap: { mergingIntList: [1, 2, 4, 3], name: 'foo' } },
  },
  {
    name: '$retainKeys beside a merged list of maps',
    original: { retainKeysMap: { name: 'foo', mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'x' }] } },
    patch: {
      retainKeysMap: {
        $retainKeys: ['mergingList', 'name'],
        '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
        mergingList: [{ name: 'c' }],
      },
    },
    expected: { retainKeysMap: { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'x' }], name: 'foo' } },
  },
  {
    name: "$retainKeys in a list item clears that item's fields",
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a', other: 'x' }] },
    patch: {
      '$setElementOrder/retainKeysMergingList': [{ name: 'bar' }, { name: 'foo' }],
      retainKeysMergingList: [{ $retainKeys: ['name', 'value'], name: 'foo' }],
    },
    expected: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
  },
  {
    name: '$retainKeys in a list item changes and clears fields',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'old', other: 'x' }] },
    patch: {
      '$setElementOrder/retainKeysMergingList': [{ name: 'bar' }, { name: 'foo' }],
      retainKeysMergingList: [{ $retainKeys: ['name', 'value'], name: 'foo', value: 'new' }],
    },
    expected: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'new' }] },
  },
  {
    name: '$retainKeys in a list item adds a field',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo' }] },
    patch: {
      '$setElementOrder/retainKeysMergingList': [{ name: 'bar' }, { name: 'foo' }],
      retainKeysMergingList: [{ $retainKeys: ['name', 'value'], name: 'foo', value: 'a' }],
    },
    expected: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
  },
  {
    name: '$deleteFromPrimitiveList of an absent scalar adds nothing',
    original: { mergingIntList: [1, 2] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    expected: { mergingIntList: [1, 2] },
  },
  {
    name: '$deleteFromPrimitiveList on a null list keeps it null',
    original: { mergingIntList: null },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    expected: { mergingIntList: null },
  },
  {
    name: '$deleteFromPrimitiveList of a list the original lacks adds nothing',
    original: { foo: ['bar'] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    expected: { foo: ['bar'] },
  },
  {
    name: '$deleteFromPrimitiveList deletes from a merged list',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [2] },
    expected: { mergingIntList: [1, 3] },
  },
  {
    name: '$deleteFromPrimitiveList deletes from a non-merging list too',
    original: { nonMergingIntList: [1, 2, 3] },
    patch: { '$deleteFromPrimitiveList/nonMergingIntList': [2] },
    expected: { nonMergingIntList: [1, 3] },
  },
  {
    name: "a patch list out of $setElementOrder's order is refused",
    original: { mergingList: [{ name: 1 }, { name: 3 }, { name: 2 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }],
      mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }],
    },
    error: ['Unknown', "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n"],
  },
  {
    name: "a scalar patch list out of $setElementOrder's order is refused",
    original: { mergingIntList: [1, 3, 2] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
    error: ['Unknown', "The order in patch list:\n[3 1]\n doesn't match $setElementOrder list:\n[1 2 3]\n"],
  },
  {
    name: 'a merged list item without its merge key is refused',
    original: { mergingList: [{ name: 1, value: 'a' }] },
    patch: { mergingList: [{ value: 'b' }] },
    error: ['Unknown', 'map: map[value:b] does not contain declared merge key: name'],
  },
  {
    name: 'an unknown $patch on a map is refused',
    original: { simpleMap: { a: '1' } },
    patch: { simpleMap: { $patch: 'nope', b: '2' } },
    error: ['Unknown', 'unknown patch type: nope in map: map[$patch:nope b:2]'],
  },
  {
    name: '$patch merge in a list is refused',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ $patch: 'merge' }] },
    error: ['Unknown', 'merging lists cannot yet be specified in the patch'],
  },
  {
    name: '$patch delete needs the merge key',
    original: { mergingList: [{ name: 1 }] },
    patch: { mergingList: [{ $patch: 'delete', value: 'x' }] },
    error: ['Unknown', 'map: map[$patch:delete value:x] does not contain declared merge key: name'],
  },
  {
    name: '$retainKeys must be a list',
    original: { name: 'a' },
    patch: { $retainKeys: 'name' },
    error: ['BadRequest', 'invalid patch format of retainKeys'],
  },
  {
    name: '$retainKeys must name every field the patch sets',
    original: { name: 'a' },
    patch: { $retainKeys: ['name'], value: 'b' },
    error: ['BadRequest', 'invalid patch format of retainKeys'],
  },
  {
    name: 'a $setElementOrder key needs a slash',
    original: { mergingIntList: [1] },
    patch: { $setElementOrder: [1] },
    error: ['BadRequest', 'invalid patch format of setElementOrder list'],
  },
  {
    name: 'a $deleteFromPrimitiveList key needs its exact prefix',
    original: { mergingIntList: [1] },
    patch: { '$deleteFromPrimitiveListX/mergingIntList': [1] },
    error: ['BadRequest', 'invalid patch format of primitive list'],
  },
  {
    name: '$setElementOrder must be a list',
    original: { mergingIntList: [1] },
    patch: { '$setElementOrder/mergingIntList': { a: 1 } },
    error: ['Unknown', 'expected a []interface {}, but received a map[string]interface {}'],
  },
  {
    name: '$setElementOrder of a field the type lacks is refused',
    original: {},
    patch: { '$setElementOrder/nope': [1] },
    error: ['Unknown', 'unable to find api field in struct MergeItem for the json field "nope"'],
  },
  {
    name: 'lists of lists are refused',
    original: { mergingIntList: [[1]] },
    patch: { mergingIntList: [[2]] },
    error: ['Invalid', 'lists of lists are not supported'],
  },
  {
    name: 'merged scalar lists must hold one type',
    original: { mergingIntList: [1] },
    patch: { mergingIntList: ['a'] },
    error: ['Unknown', 'list element types are not identical: [[1] [a]]'],
  },
  {
    name: '$deleteFromPrimitiveList null deletes the whole list',
    original: { mergingIntList: [1, 2] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': null },
    expected: {},
  },
];

describe('strategic merge patch: directives and errors', () => {
  for (const c of CASES) it(c.name, () => check(c));
});
