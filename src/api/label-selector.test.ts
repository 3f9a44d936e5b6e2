import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldPath } from './field-path.js';
import { LabelSelector, LabelSelectorError, labelRequirement } from './label-selector.js';

const qualifiedNameRule =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const qualifiedNameMsg = `a qualified name ${qualifiedNameRule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`;
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function parseError(selector: string): string {
  try {
    LabelSelector.parse(selector);
  } catch (err) {
    assert.ok(err instanceof LabelSelectorError);
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(selector)} to be rejected`);
}

describe('LabelSelector.parse', () => {
  it('round-trips canonical selectors (spaces dropped)', () => {
    for (const text of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
      assert.equal(LabelSelector.parse(text).toString(), text.replaceAll(' ', ''), text);
    }
  });

  it('is deterministic: requirements are sorted by key', () => {
    assert.equal(LabelSelector.parse('x=a,a=x').toString(), 'a=x,x=a');
    assert.equal(LabelSelector.parse('a=x,x=a').toString(), 'a=x,x=a');
  });

  const canonical: Array<[string, string]> = [
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', 'this-is-another-dns.domain.com/key-with-dash in (so,what)'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x  notin\t\t\t(abc,def)', 'x notin (abc,def)'],
    ['x in (def,abc)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x,y in (a)', 'x,y in (a)'],
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x<7', 'x<7'],
    ['x=a,y!=b,z in (h,i,j)', 'x=a,y!=b,z in (h,i,j)'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['a ', 'a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['x in (a,a,b)', 'x in (a,b)'],
    ['notin=in', 'notin=in'],
    ['x=a \0 ignored after NUL', 'x=a'],
    ['x,\0y', 'x,y'],
    ['in in (in)', 'in in (in)'],
  ];
  for (const [input, output] of canonical) {
    it(`parses ${JSON.stringify(input)}`, () => assert.equal(LabelSelector.parse(input).toString(), output));
  }

  const errors: Array<[string, string]> = [
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x,,y', "found ',', expected: identifier after ','"],
    [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['x in (a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${labelValueMsg}`],
    ['a/b/c', `unable to parse requirement: <nil>: Invalid value: "a/b/c": ${qualifiedNameMsg}`],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['x=a\0b', "found 'b', expected: ',' or 'end of string'"],
    ['x, \0y', "found '', expected: identifier after ','"],
  ];
  for (const [input, message] of errors) {
    it(`rejects ${JSON.stringify(input)}`, () => assert.equal(parseError(input), message));
  }

  it('reports long values with every problem, in upstream order', () => {
    const long = `-${'a'.repeat(63)}`;
    assert.equal(
      parseError(`x=${long}`),
      `unable to parse requirement: values[0][x]: Invalid value: "${long}": must be no more than 63 characters; ${labelValueMsg}`,
    );
  });
});

describe('LabelSelector.matches', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x<1', { x: '-5' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x>1', { x: 'v2' }, false],
    ['x>1', {}, false],
    ['x<1', { x: '2' }, false],
    ['x in (foo),y notin (alpha)', { x: 'foo', y: 'baz' }, true],
    ['x in (foo),y in (alpha)', { x: 'foo', y: 'baz' }, false],
    ['x notin (),y', { y: '' }, true],
    ['!x,y', { y: '' }, true],
    ['x notin (),!y', { y: '' }, false],
    ['x in ()', { y: 'baz' }, false],
    ['x in ()', { x: '' }, true],
    ['x=', { x: '' }, true],
    ['x!=', {}, true],
    ['toString', {}, false],
  ];
  for (const [selector, labels, expected] of cases) {
    it(`${JSON.stringify(selector)} vs ${JSON.stringify(labels)} → ${expected}`, () => {
      assert.equal(LabelSelector.parse(selector).matches(labels), expected);
    });
  }

  it('treats undefined labels as no labels', () => {
    assert.equal(LabelSelector.parse('!x').matches(undefined), true);
    assert.equal(LabelSelector.parse('x').matches(undefined), false);
  });
});

describe('everything and nothing', () => {
  it('everything matches all and is empty', () => {
    assert.equal(LabelSelector.everything().matches({ x: 'y' }), true);
    assert.equal(LabelSelector.everything().isEmpty(), true);
    assert.equal(LabelSelector.parse('').isEmpty(), true);
    assert.equal(LabelSelector.everything().matchesNothing, false);
  });

  it('nothing matches nothing and is not empty', () => {
    const nothing = LabelSelector.nothing();
    assert.equal(nothing.matches({}), false);
    assert.equal(nothing.isEmpty(), false);
    assert.equal(nothing.matchesNothing, true);
    assert.equal(nothing.toString(), '');
    assert.deepEqual(nothing.requirements(), []);
    assert.equal(nothing.add(labelRequirement('a', 'exists')).matchesNothing, true);
  });
});

describe('LabelSelector.fromSpec', () => {
  it('null or undefined selects nothing, {} selects everything', () => {
    assert.equal(LabelSelector.fromSpec(null).matchesNothing, true);
    assert.equal(LabelSelector.fromSpec(undefined).matchesNothing, true);
    assert.equal(LabelSelector.fromSpec({}).isEmpty(), true);
    assert.equal(LabelSelector.fromSpec({ matchLabels: {}, matchExpressions: [] }).matches({ a: 'b' }), true);
  });

  it('combines matchLabels and matchExpressions sorted by key', () => {
    const selector = LabelSelector.fromSpec({
      matchLabels: { tier: 'web', app: 'shop' },
      matchExpressions: [
        { key: 'env', operator: 'NotIn', values: ['prod', 'dev'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists', values: [] },
        { key: 'b', operator: 'In', values: ['y', 'x', 'y'] },
      ],
    });
    assert.equal(selector.toString(), 'app=shop,b in (x,y,y),!canary,env notin (dev,prod),tier=web,zone');
    assert.equal(selector.matches({ app: 'shop', tier: 'web', zone: 'a', b: 'x', env: 'qa' }), true);
    assert.equal(selector.matches({ app: 'shop', tier: 'web', zone: 'a', b: 'x', env: 'prod' }), false);
    assert.equal(selector.requirements().find((r) => r.key === 'b')?.values.length, 3);
  });

  const errors: Array<[string, Parameters<typeof LabelSelector.fromSpec>[0], string]> = [
    ['unknown operator', { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
    [
      'In without values',
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      'NotIn with an empty list',
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x', 'y'] }] },
      'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist',
    ],
    [
      'bad key and value together',
      { matchLabels: { 'a/b/c': 'x y' } },
      `[key: Invalid value: "a/b/c": ${qualifiedNameMsg}, values[0][a/b/c]: Invalid value: "x y": ${labelValueMsg}]`,
    ],
  ];
  for (const [name, spec, message] of errors) {
    it(`rejects ${name}`, () => {
      assert.throws(() => LabelSelector.fromSpec(spec), (err: unknown) => {
        assert.ok(err instanceof LabelSelectorError);
        assert.equal(err.message, message);
        return true;
      });
    });
  }

  it('exposes field errors as causes', () => {
    try {
      LabelSelector.fromSpec({ matchExpressions: [{ key: 'a', operator: 'In' }] });
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof LabelSelectorError);
      assert.deepEqual(
        err.causes.map((c) => [c.type, c.field]),
        [['FieldValueInvalid', 'values']],
      );
    }
  });
});

describe('labelRequirement', () => {
  const cases: Array<[string, string, string[], string | undefined]> = [
    ['x1', 'in', [], "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    ['x3', 'in', ['foo'], undefined],
    ['x5', '=', ['bar', 'foo'], 'values: Invalid value: []string{"bar", "foo"}: exact-match compatibility requires one single value'],
    ['x6', 'exists', [], undefined],
    ['x8', 'exists', ['foo'], 'values: Invalid value: []string{"foo"}: values set must be empty for exists and does not exist'],
    ['x11', 'gt', ['1'], undefined],
    ['x13', 'gt', [], "values: Invalid value: []string{}: for 'Gt', 'Lt' operators, exactly one value is required"],
    ['x14', 'gt', ['bar'], `values[0]: Invalid value: "bar": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x15', 'lt', ['99999999999999999999'], `values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer`],
    [
      'x18',
      'unsupportedOp',
      [],
      'operator: Unsupported value: "unsupportedOp": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"',
    ],
    ['x17', '=', ['a b'], `values[0][x17]: Invalid value: "a b": ${labelValueMsg}`],
  ];
  for (const [key, operator, values, message] of cases) {
    it(`${key} ${operator} ${JSON.stringify(values)}`, () => {
      if (message === undefined) {
        assert.deepEqual(labelRequirement(key, operator, values), { key, operator, values });
      } else {
        assert.throws(() => labelRequirement(key, operator, values), { name: 'LabelSelectorError', message });
      }
    });
  }

  it('reports errors under a field path when given one', () => {
    const path = FieldPath.of('spec', 'selector', 'matchExpressions').index(0);
    assert.throws(() => labelRequirement('a b', 'in', ['ok'], { path }), {
      message: `spec.selector.matchExpressions[0].key: Invalid value: "a b": name part ${qualifiedNameRule}`,
    });
  });

  it('rejects a key longer than a DNS subdomain', () => {
    const key = 'a'.repeat(254);
    assert.throws(() => labelRequirement(key, 'exists'), {
      message: `key: Invalid value: "${key}": name part must be no more than 63 characters`,
    });
  });
});

describe('LabelSelector helpers', () => {
  it('fromSet builds sorted equality requirements', () => {
    assert.equal(LabelSelector.fromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
    assert.equal(LabelSelector.fromSet(undefined).isEmpty(), true);
    assert.equal(LabelSelector.fromSet({}).isEmpty(), true);
    assert.equal(LabelSelector.fromSet({ a: '=x' }).matches({ a: '=x' }), true);
    assert.throws(() => LabelSelector.fromSet({ a: '=x' }, { validate: true }), LabelSelectorError);
  });

  it('requiresExactMatch finds single-valued equality on the first requirement for a key', () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['key=value', 'key', 'value'],
      ['key==value', 'key', 'value'],
      ['key in (value)', 'key', 'value'],
      ['key in (a,b)', 'key', undefined],
      ['key!=value', 'key', undefined],
      ['key', 'key', undefined],
      ['other=value', 'key', undefined],
      ['key=', 'key', ''],
    ];
    for (const [selector, key, value] of cases) {
      assert.equal(LabelSelector.parse(selector).requiresExactMatch(key), value, selector);
    }
  });

  it('add keeps the selector sorted and immutable', () => {
    const base = LabelSelector.parse('b=1');
    const more = base.add(labelRequirement('a', '!'), labelRequirement('c', 'in', ['z', 'y']));
    assert.equal(base.toString(), 'b=1');
    assert.equal(more.toString(), '!a,b=1,c in (y,z)');
  });
});
