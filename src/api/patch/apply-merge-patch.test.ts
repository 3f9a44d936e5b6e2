import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './apply-merge-patch.js';
import { PatchError, type PatchErrorKind } from './patch-error.js';

interface Case {
  readonly name: string;
  readonly doc: unknown;
  readonly patch: unknown;
  readonly expected?: unknown;
  readonly error?: readonly [PatchErrorKind, string];
}

// RFC 7396 appendix A (for object documents), then evanphx/json-patch v4's MergePatch where it differs;
// each expectation checked against that library.
const CASES: readonly Case[] = [
  {
    name: 'replaces a member',
    doc: { a: 'b' },
    patch: { a: 'c' },
    expected: { a: 'c' },
  },
  {
    name: 'adds a member',
    doc: { a: 'b' },
    patch: { b: 'c' },
    expected: { a: 'b', b: 'c' },
  },
  {
    name: 'null deletes a member',
    doc: { a: 'b' },
    patch: { a: null },
    expected: {},
  },
  {
    name: 'null deletes only that member',
    doc: { a: 'b', b: 'c' },
    patch: { a: null },
    expected: { b: 'c' },
  },
  {
    name: 'a scalar replaces an array',
    doc: { a: ['b'] },
    patch: { a: 'c' },
    expected: { a: 'c' },
  },
  {
    name: 'an array replaces a scalar',
    doc: { a: 'c' },
    patch: { a: ['b'] },
    expected: { a: ['b'] },
  },
  {
    name: 'objects merge recursively',
    doc: { a: { b: 'c' } },
    patch: { a: { b: 'd', c: null } },
    expected: { a: { b: 'd' } },
  },
  {
    name: 'arrays are replaced, not merged',
    doc: { a: [{ b: 'c' }] },
    patch: { a: [1] },
    expected: { a: [1] },
  },
  {
    name: 'an array patch becomes the result',
    doc: { a: 'b' },
    patch: ['c'],
    expected: ['c'],
  },
  {
    name: 'existing nulls stay',
    doc: { e: null },
    patch: { a: 1 },
    expected: { a: 1, e: null },
  },
  {
    name: 'nulls inside new values are dropped',
    doc: {},
    patch: { a: { bb: { ccc: null } } },
    expected: { a: { bb: {} } },
  },
  {
    name: 'an object replaced by a non-object takes the patch value as sent',
    doc: { a: { x: 1 } },
    patch: { a: [{ b: null }] },
    expected: { a: [{ b: null }] },
  },
  {
    name: 'a non-object replaced by an array loses nulls in its objects',
    doc: { a: 1 },
    patch: { a: [{ b: null, c: 1 }, null] },
    expected: { a: [{ c: 1 }, null] },
  },
  {
    name: 'an array patch loses nulls in its objects',
    doc: { a: 1 },
    patch: [{ a: null, b: 1 }, null],
    expected: [{ b: 1 }, null],
  },
  {
    name: 'a null patch is refused',
    doc: { a: 1 },
    patch: null,
    error: ['BadRequest', 'Invalid JSON Patch'],
  },
  {
    name: 'a scalar patch is refused',
    doc: { a: 1 },
    patch: 'x',
    error: ['BadRequest', 'Invalid JSON Patch'],
  },
];

describe('applyMergePatch', () => {
  for (const c of CASES) {
    it(c.name, () => {
      if (c.error === undefined) {
        assert.deepEqual(applyMergePatch(c.doc, c.patch), c.expected);
        return;
      }
      const [kind, message] = c.error;
      assert.throws(() => applyMergePatch(c.doc, c.patch), (err: unknown) => err instanceof PatchError && err.kind === kind && err.message === message);
    });
  }

  it('leaves its arguments untouched', () => {
    const doc = { a: { b: 1, c: 2 } };
    const patch = { a: { b: null, d: { e: null } } };
    assert.deepEqual(applyMergePatch(doc, patch), { a: { c: 2, d: {} } });
    assert.deepEqual([doc, patch], [{ a: { b: 1, c: 2 } }, { a: { b: null, d: { e: null } } }]);
  });
});
