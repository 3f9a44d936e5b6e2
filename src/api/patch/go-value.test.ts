import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goEqual, goFormat, goTypeString } from './go-value.js';

describe('go-value', () => {
  it("formats like fmt's %v and %s, map keys sorted", () => {
    assert.equal(goFormat({ name: 'a', b: [1, 2.5, true, null], m: {} }), 'map[b:[1 2.5 true <nil>] m:map[] name:a]');
    assert.equal(goFormat('delete', 's'), 'delete');
    assert.equal(goFormat(5, 's'), '%!s(int64=5)');
    assert.equal(goFormat(null, 's'), '%!s(<nil>)');
    assert.equal(goFormat({ a: 1 }, 's'), 'map[a:%!s(int64=1)]');
  });

  it('names types as reflect does', () => {
    assert.equal(goTypeString({}), 'map[string]interface {}');
    assert.equal(goTypeString([]), '[]interface {}');
    assert.equal(goTypeString(1), 'int64');
    assert.equal(goTypeString(1.5), 'float64');
    assert.equal(goTypeString(null), '%!s(<nil>)');
  });

  it("compares as Go's == on interfaces", () => {
    assert.ok(goEqual('a', 'a'));
    assert.ok(goEqual(null, null));
    assert.ok(!goEqual(1, 1.5));
    assert.ok(!goEqual(1, '1'));
    assert.ok(!goEqual({}, {}));
  });
});
