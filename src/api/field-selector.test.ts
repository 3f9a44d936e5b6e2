import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldSelector, FieldSelectorError, escapeFieldValue, unescapeFieldValue } from './field-selector.js';

describe('FieldSelector.parse', () => {
  it('round-trips canonical selectors', () => {
    for (const text of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) {
      assert.equal(FieldSelector.parse(text).toString(), text, text);
    }
  });

  const canonical: Array<[string, string]> = [
    ['x=a,a=x', 'a=x,x=a'],
    ['a=x,x=a', 'a=x,x=a'],
    ['b==v', 'b=v'],
    ['metadata.name=foo,,', 'metadata.name=foo'],
    [',a=a', 'a=a'],
    ['k=\\,,k2=v2', 'k2=v2,k=\\,'],
    ['k=\\\\,k2=v2', 'k2=v2,k=\\\\'],
    ['k=\\\\\\,,k2=v2', 'k2=v2,k=\\\\\\,'],
    ['함=수,목=록', '목=록,함=수'],
    ['spec.nodeName=', 'spec.nodeName='],
    ['status.phase!=Running,status.phase!=Pending', 'status.phase!=Pending,status.phase!=Running'],
    ['a b=c', 'a b=c'],
    ['=', ''],
  ];
  for (const [input, output] of canonical) {
    it(`parses ${JSON.stringify(input)}`, () => assert.equal(FieldSelector.parse(input).toString(), output));
  }

  const errors: Array<[string, string]> = [
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['a=\\!', 'invalid field selector: invalid escape sequence: \\!'],
    ['a=\\a\\b', 'invalid field selector: invalid escape sequence: \\a'],
    ['k=\\', 'invalid field selector: invalid escape sequence: \\'],
    ['k=\\\\\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, message] of errors) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => FieldSelector.parse(input), (err: unknown) => {
        assert.ok(err instanceof FieldSelectorError);
        assert.equal(err.message, message);
        return true;
      });
    });
  }
});

describe('FieldSelector.matches', () => {
  const fields = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['foo=bar', fields, true],
    ['foo=bar,baz=blah', fields, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fields, true],
    ['foo=blah', fields, false],
    ['foo=bar,foobar=bar,baz=blah', fields, false],
    ['missing=', {}, true],
    ['missing!=', {}, false],
    ['missing!=x', {}, true],
    ['toString=', {}, true],
  ];
  for (const [selector, set, expected] of cases) {
    it(`${JSON.stringify(selector)} vs ${JSON.stringify(set)} → ${expected}`, () => {
      assert.equal(FieldSelector.parse(selector).matches(set), expected);
    });
  }

  it('nothing matches nothing', () => {
    assert.equal(FieldSelector.nothing().matches({}), false);
    assert.equal(FieldSelector.nothing().matchesNothing, true);
    assert.equal(FieldSelector.nothing().isEmpty(), false);
    assert.equal(FieldSelector.everything().isEmpty(), true);
  });
});

describe('FieldSelector helpers', () => {
  it('requirements lists every term for field-label checks', () => {
    assert.deepEqual(FieldSelector.parse('spec.nodeName==n1,metadata.name!=x\\,y').requirements(), [
      { field: 'metadata.name', operator: '!=', value: 'x,y' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
    ]);
    assert.deepEqual(FieldSelector.everything().requirements(), []);
  });

  it('requiresExactMatch finds the first equality term', () => {
    const cases: Array<[FieldSelector, string, string | undefined]> = [
      [FieldSelector.fromSet({}), 'test', undefined],
      [FieldSelector.oneTermEqual('a', 'b'), 'test', undefined],
      [FieldSelector.oneTermEqual('test', 'b'), 'test', 'b'],
      [FieldSelector.oneTermEqual('test', ''), 'test', ''],
      [FieldSelector.oneTermNotEqual('test', 'b'), 'test', undefined],
      [FieldSelector.and(FieldSelector.oneTermEqual('', ''), FieldSelector.oneTermEqual('test', 'b')), 'test', 'b'],
      [FieldSelector.parse('metadata.namespace=ns,metadata.name=foo'), 'metadata.name', 'foo'],
    ];
    for (const [selector, field, value] of cases) assert.equal(selector.requiresExactMatch(field), value);
  });

  it('fromSet matches exactly the set', () => {
    const set = { foo: 'bar', baz: 'blah' };
    assert.equal(FieldSelector.fromSet({}).matches(set), true);
    assert.equal(FieldSelector.fromSet({ foo: 'bar', baz: 'blah' }).matches(set), true);
    assert.equal(FieldSelector.fromSet({ foo: '=blah' }).matches(set), false);
    assert.equal(FieldSelector.fromSet({ foo: 'bar', foobar: 'bar' }).matches(set), false);
    assert.equal(FieldSelector.fromSet(undefined).isEmpty(), true);
    assert.equal(FieldSelector.fromSet({ b: '1', a: 'x,y' }).toString(), 'a=x\\,y,b=1');
  });

  it('and of nothing is nothing', () => {
    assert.equal(FieldSelector.and(FieldSelector.everything(), FieldSelector.nothing()).matchesNothing, true);
    assert.equal(FieldSelector.and().isEmpty(), true);
  });

  it('transform rewrites terms and drops the ones mapped to nothing', () => {
    const renamed = FieldSelector.parse('a=b,c=d').transform((field, value) => (field === 'a' ? ['e', 'f'] : [field, value]));
    assert.equal(renamed.toString(), 'e=f,c=d');
    const dropped = FieldSelector.parse('a=b,c=d').transform((field, value) => (field === 'a' ? ['', ''] : [field, value]));
    assert.equal(dropped.toString(), 'c=d');
    const empty = FieldSelector.parse('a=b').transform(() => ['', '']);
    assert.equal(empty.isEmpty(), true);
    assert.throws(
      () =>
        FieldSelector.parse('a=b', () => {
          throw new FieldSelectorError('field label not supported: a');
        }),
      { message: 'field label not supported: a' },
    );
  });
});

describe('escapeFieldValue / unescapeFieldValue', () => {
  const pairs: Array<[string, string]> = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ];
  for (const [plain, escaped] of pairs) {
    it(`${JSON.stringify(plain)} ⇄ ${JSON.stringify(escaped)}`, () => {
      assert.equal(escapeFieldValue(plain), escaped);
      assert.equal(unescapeFieldValue(escaped), plain);
    });
  }

  it('rejects orphan backslashes and unknown escapes', () => {
    for (const bad of ['\\', '\\\\\\', '\\a']) assert.throws(() => unescapeFieldValue(bad), FieldSelectorError);
  });
});
