import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Quantity } from './quantity.js';
import { QuantityParseError, constructSuffix, interpretSuffix, scanQuantity } from './quantity-syntax.js';

const formatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const badSuffix = "unable to parse quantity's suffix";
const badNumber = 'unable to parse numeric part of quantity';

describe('scanQuantity', () => {
  const cases: Array<[string, boolean, string, string, string, string]> = [
    ['0.025Ti', true, '0.025', '0', '025', 'Ti'],
    ['1.025Ti', true, '1.025', '1', '025', 'Ti'],
    ['-1.025Ti', false, '-1.025', '1', '025', 'Ti'],
    ['.', true, '.', '0', '', ''],
    ['-.', false, '-.', '0', '', ''],
    ['1E-3', true, '1', '1', '', 'E-3'],
    ['007k', true, '007', '7', '', 'k'],
    ['000', true, '0', '0', '', ''],
  ];
  for (const [input, positive, value, num, denom, suffix] of cases) {
    it(`splits ${JSON.stringify(input)}`, () => {
      assert.deepEqual(scanQuantity(input), { positive, value, num, denom, suffix });
    });
  }
});

describe('suffixes', () => {
  it('interprets decimal, binary and exponent suffixes', () => {
    assert.deepEqual(interpretSuffix(''), { base: 10, exponent: 0, format: 'DecimalSI' });
    assert.deepEqual(interpretSuffix('E'), { base: 10, exponent: 18, format: 'DecimalSI' });
    assert.deepEqual(interpretSuffix('Mi'), { base: 2, exponent: 20, format: 'BinarySI' });
    assert.deepEqual(interpretSuffix('E-3'), { base: 10, exponent: -3, format: 'DecimalExponent' });
    assert.deepEqual(interpretSuffix('e+3'), { base: 10, exponent: 3, format: 'DecimalExponent' });
    // int64 exponents are truncated to int32 as upstream does.
    assert.deepEqual(interpretSuffix('e4294967297'), { base: 10, exponent: 1, format: 'DecimalExponent' });
  });

  it('constructs the suffix for a canonical exponent', () => {
    assert.equal(constructSuffix(-9, 'DecimalSI'), 'n');
    assert.equal(constructSuffix(0, 'DecimalSI'), '');
    assert.equal(constructSuffix(21, 'DecimalSI'), undefined);
    assert.equal(constructSuffix(0, 'BinarySI'), '');
    assert.equal(constructSuffix(60, 'BinarySI'), 'Ei');
    assert.equal(constructSuffix(0, 'DecimalExponent'), '');
    assert.equal(constructSuffix(-12, 'DecimalExponent'), 'e-12');
  });
});

describe('invalid quantities', () => {
  const invalid: Array<[string, string]> = [
    ['', formatWrong],
    ['1.1.M', formatWrong],
    ['1+1.0M', formatWrong],
    ['0.1am', formatWrong],
    ['aoeu', formatWrong],
    [' 1', formatWrong],
    ['1 ', formatWrong],
    ['1Ki5x', formatWrong],
    ['0.1mi', badSuffix],
    ['.5i', badSuffix],
    ['1i', badSuffix],
    ['-3.01i', badSuffix],
    ['-3.01e-', badSuffix],
    ['1e', badSuffix],
    ['1K', badSuffix],
    ['1Ki5', badSuffix],
    ['1e99999999999999999999', badSuffix],
    ['.e-10', badNumber],
  ];
  for (const [input, message] of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => Quantity.parse(input), (err: unknown) => {
        assert.ok(err instanceof QuantityParseError);
        assert.equal(err.message, message);
        return true;
      });
    });
  }
});
