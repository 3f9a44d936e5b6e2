import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from './apply-json-patch.js';
import { PatchError, type PatchErrorKind } from './patch-error.js';

interface Case {
  readonly name: string;
  readonly doc: unknown;
  readonly patch: unknown;
  readonly expected?: unknown;
  readonly error?: readonly [PatchErrorKind, string];
}

// RFC 6902 appendix A, then evanphx/json-patch v4's departures from it that kube-apiserver keeps; each
// expectation checked against that library. Failures of an operation are 422 Invalid to the client.
const CASES: readonly Case[] = [
  {
    name: 'A.1 adds an object member',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz', value: 'qux' }],
    expected: { baz: 'qux', foo: 'bar' },
  },
  {
    name: 'A.2 adds an array element',
    doc: { foo: ['bar', 'baz'] },
    patch: [{ op: 'add', path: '/foo/1', value: 'qux' }],
    expected: { foo: ['bar', 'qux', 'baz'] },
  },
  {
    name: 'A.3 removes an object member',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'remove', path: '/baz' }],
    expected: { foo: 'bar' },
  },
  {
    name: 'A.4 removes an array element',
    doc: { foo: ['bar', 'qux', 'baz'] },
    patch: [{ op: 'remove', path: '/foo/1' }],
    expected: { foo: ['bar', 'baz'] },
  },
  {
    name: 'A.5 replaces a value',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'replace', path: '/baz', value: 'boo' }],
    expected: { baz: 'boo', foo: 'bar' },
  },
  {
    name: 'A.6 moves a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    expected: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    name: 'A.7 moves an array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    expected: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    name: 'A.8 passes a test',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }],
    expected: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  {
    name: 'A.9 fails a test',
    doc: { baz: 'qux' },
    patch: [{ op: 'test', path: '/baz', value: 'bar' }],
    error: ['Invalid', 'testing value /baz failed: test failed'],
  },
  {
    name: 'A.10 adds a nested member object',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }],
    expected: { child: { grandchild: {} }, foo: 'bar' },
  },
  {
    name: 'A.11 ignores unrecognized members of an operation',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }],
    expected: { baz: 'qux', foo: 'bar' },
  },
  {
    name: 'A.12 fails to add under a missing parent',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }],
    error: ['Invalid', 'add operation does not apply: doc is missing path: "/baz/bat": missing value'],
  },
  {
    name: 'A.14 unescapes ~01 as ~1',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: 10 }],
    expected: { '/': 9, '~1': 10 },
  },
  {
    name: 'A.15 tells strings from numbers',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: '10' }],
    error: ['Invalid', 'testing value /~01 failed: test failed'],
  },
  {
    name: 'A.16 adds an array value',
    doc: { foo: ['bar'] },
    patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
    expected: { foo: ['bar', ['abc', 'def']] },
  },
  {
    name: 'copies a value',
    doc: { a: { b: [1] } },
    patch: [{ op: 'copy', from: '/a', path: '/c' }, { op: 'add', path: '/c/b/-', value: 2 }],
    expected: { a: { b: [1] }, c: { b: [1, 2] } },
  },
  {
    name: 'replace of a missing member adds it',
    doc: { spec: {} },
    patch: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
    expected: { spec: { replicas: 3 } },
  },
  {
    name: 'copy of a missing member copies null',
    doc: { a: 1 },
    patch: [{ op: 'copy', from: '/nope', path: '/b' }],
    expected: { a: 1, b: null },
  },
  {
    name: 'test of a missing member against null passes',
    doc: { a: 1 },
    patch: [{ op: 'test', path: '/nope', value: null }],
    expected: { a: 1 },
  },
  {
    name: 'negative indices count from the end',
    doc: { l: [1, 2, 3] },
    patch: [{ op: 'add', path: '/l/-1', value: 4 }, { op: 'remove', path: '/l/-4' }, { op: 'replace', path: '/l/-2', value: 'x' }],
    expected: { l: [2, 'x', 4] },
  },
  {
    name: 'an index past the end fails',
    doc: { l: [1] },
    patch: [{ op: 'add', path: '/l/3', value: 2 }],
    error: ['Invalid', "error in add for path: '/l/3': Unable to access invalid index: 3: invalid index referenced"],
  },
  {
    name: 'a non-numeric index fails',
    doc: { l: [1] },
    patch: [{ op: 'add', path: '/l/x', value: 2 }],
    error: ['Invalid', 'error in add for path: \'/l/x\': value was not a proper array index: \'x\': strconv.Atoi: parsing "x": invalid syntax'],
  },
  {
    name: 'remove of a missing member fails',
    doc: { a: 1 },
    patch: [{ op: 'remove', path: '/b' }],
    error: ['Invalid', "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value"],
  },
  {
    name: 'add at the root path fails',
    doc: { a: 1 },
    patch: [{ op: 'add', path: '', value: { b: 2 } }],
    error: ['Invalid', 'add operation does not apply: doc is missing path: "": missing value'],
  },
  {
    name: 'replace at the root path takes an object',
    doc: { a: 1 },
    patch: [{ op: 'replace', path: '', value: { b: 2 } }],
    expected: { b: 2 },
  },
  {
    name: 'replace at the root path ignores a scalar',
    doc: { a: 1 },
    patch: [{ op: 'replace', path: '', value: 5 }],
    expected: { a: 1 },
  },
  {
    name: 'text before the first slash is ignored',
    doc: { a: { b: 1 } },
    patch: [{ op: 'replace', path: 'a/b', value: 2 }],
    expected: { a: { b: 1 }, b: 2 },
  },
  {
    name: 'an unknown op fails',
    doc: {},
    patch: [{ op: 'bogus', path: '/a' }],
    error: ['Invalid', 'Unexpected kind: bogus'],
  },
  {
    name: 'an operation without path fails',
    doc: { a: 1 },
    patch: [{ op: 'remove' }],
    error: ['Invalid', 'remove operation failed to decode path: missing value'],
  },
  {
    name: 'a move into its own child fails',
    doc: { a: { b: 1 } },
    patch: [{ op: 'move', from: '/a', path: '/a/b' }],
    error: ['Invalid', 'move operation does not apply: doc is missing destination path: /a/b: missing value'],
  },
  {
    name: 'a patch that is an object is refused',
    doc: {},
    patch: { op: 'add', path: '/a', value: 1 },
    error: ['BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
  },
  {
    name: 'an operation that is not an object is refused',
    doc: {},
    patch: [1],
    error: ['BadRequest', 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
  },
  {
    name: 'a null patch changes nothing',
    doc: { a: 1 },
    patch: null,
    expected: { a: 1 },
  },
  {
    name: 'a test without value crashes upstream',
    doc: { a: 1 },
    patch: [{ op: 'test', path: '/nope' }],
    error: ['Panic', 'This request caused apiserver to panic. Look in the logs for details.'],
  },
];

const isPatchError = (kind: PatchErrorKind, message: string) => (err: unknown) =>
  err instanceof PatchError && err.kind === kind && err.message === message;

describe('applyJsonPatch', () => {
  for (const c of CASES) {
    it(c.name, () => {
      if (c.error === undefined) assert.deepEqual(applyJsonPatch(c.doc, c.patch), c.expected);
      else assert.throws(() => applyJsonPatch(c.doc, c.patch), isPatchError(...c.error));
    });
  }

  it('leaves the document untouched', () => {
    const doc = { a: [1], b: { c: 2 } };
    applyJsonPatch(doc, [{ op: 'add', path: '/a/-', value: 2 }, { op: 'remove', path: '/b/c' }]);
    assert.deepEqual(doc, { a: [1], b: { c: 2 } });
  });

  it('refuses more than 10000 operations', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 }));
    const message = 'The allowed maximum operations in a JSON patch is 10000, got 10001';
    assert.throws(() => applyJsonPatch({ a: 1 }, ops), isPatchError('RequestEntityTooLarge', message));
    assert.deepEqual(applyJsonPatch({ a: 1 }, ops.slice(1)), { a: 1 });
  });

  it('stops copies past 3 MiB in all, counting encoded bytes', () => {
    const doc = { big: 'x'.repeat(2 * 1024 * 1024) };
    const copy = (path: string) => ({ op: 'copy', from: '/big', path });
    assert.equal((applyJsonPatch(doc, [copy('/c1')]) as { c1: string }).c1.length, 2 * 1024 * 1024);
    const message = 'Unable to complete the copy, the accumulated size increase of copy is 4194308, exceeding the limit 3145728';
    assert.throws(() => applyJsonPatch(doc, [copy('/c1'), copy('/c2')]), isPatchError('Invalid', message));
  });

  it('answers like kube-apiserver', () => {
    const failed = () => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]);
    assert.throws(failed, (err: unknown) => {
      const status = (err as PatchError).toApiError().status;
      assert.deepEqual(
        { code: status.code, reason: status.reason, message: status.message, details: status.details },
        { code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request', details: {} },
      );
      return true;
    });
  });
});
