import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Quantity, type QuantityFormat } from './quantity.js';

const D = 'DecimalSI';
const B = 'BinarySI';
const X = 'DecimalExponent';

/** input, exact value as [mantissa, exponent], format kept, String() as upstream v1.32 prints it. */
const parseTable: Array<[string, bigint, number, QuantityFormat, string]> = [
  ['0', 0n, 0, D, '0'],
  ['0n', 0n, 0, D, '0'],
  ['0u', 0n, 0, D, '0'],
  ['0m', 0n, 0, D, '0'],
  ['0k', 0n, 0, D, '0'],
  ['0M', 0n, 0, D, '0'],
  ['0G', 0n, 0, D, '0'],
  ['0T', 0n, 0, D, '0'],
  ['0Ki', 0n, 0, B, '0'],
  ['0Mi', 0n, 0, B, '0'],
  ['0Gi', 0n, 0, B, '0'],
  ['0Ti', 0n, 0, B, '0'],
  ['1', 1n, 0, D, '1'],
  ['1Ki', 1024n, 0, B, '1Ki'],
  ['8Ki', 8n * 1024n, 0, B, '8Ki'],
  ['7Mi', 7n * 1024n ** 2n, 0, B, '7Mi'],
  ['6Gi', 6n * 1024n ** 3n, 0, B, '6Gi'],
  ['5Ti', 5n * 1024n ** 4n, 0, B, '5Ti'],
  ['4Pi', 4n * 1024n ** 5n, 0, B, '4Pi'],
  ['3Ei', 3n * 1024n ** 6n, 0, B, '3Ei'],
  ['10Ti', 10n * 1024n ** 4n, 0, B, '10Ti'],
  ['100Ti', 100n * 1024n ** 4n, 0, B, '100Ti'],
  ['1024Mi', 1024n ** 3n, 0, B, '1Gi'],
  ['1025Ki', 1025n * 1024n, 0, B, '1025Ki'],
  ['5n', 5n, -9, D, '5n'],
  ['4u', 4n, -6, D, '4u'],
  ['3m', 3n, -3, D, '3m'],
  ['100m', 1n, -1, D, '100m'],
  ['9', 9n, 0, D, '9'],
  ['1000', 1n, 3, D, '1k'],
  ['8k', 8n, 3, D, '8k'],
  ['50k', 5n, 4, D, '50k'],
  ['7M', 7n, 6, D, '7M'],
  ['1000M', 1n, 9, D, '1G'],
  ['6G', 6n, 9, D, '6G'],
  ['5T', 5n, 12, D, '5T'],
  ['40T', 4n, 13, D, '40T'],
  ['300T', 3n, 14, D, '300T'],
  ['2P', 2n, 15, D, '2P'],
  ['1E', 1n, 18, D, '1E'],
  ['12E', 12n, 18, D, '12E'],
  ['1E-3', 1n, -3, X, '1E-3'],
  ['1e3', 1n, 3, X, '1e3'],
  ['1E6', 1n, 6, X, '1E6'],
  ['1e9', 1n, 9, X, '1e9'],
  ['1E12', 1n, 12, X, '1E12'],
  ['1e15', 1n, 15, X, '1e15'],
  ['1E18', 1n, 18, X, '1E18'],
  ['1e14', 1n, 14, X, '100e12'],
  ['1e13', 1n, 13, X, '10e12'],
  ['1e0', 1n, 0, X, '1e0'],
  ['1000e0', 1n, 3, X, '1e3'],
  ['0.001', 1n, -3, D, '1m'],
  ['0.0005k', 5n, -1, D, '500m'],
  ['0.005', 5n, -3, D, '5m'],
  ['0.05', 5n, -2, D, '50m'],
  ['0.1', 1n, -1, D, '100m'],
  ['0.5', 5n, -1, D, '500m'],
  ['0.00050k', 5n, -1, D, '500m'],
  ['0.00500', 5n, -3, D, '5m'],
  ['0.05000', 5n, -2, D, '50m'],
  ['0.50000', 5n, -1, D, '500m'],
  ['1.5', 15n, -1, D, '1500m'],
  ['1.0', 1n, 0, D, '1'],
  ['0.5e0', 5n, -1, X, '500e-3'],
  ['0.5e-1', 5n, -2, X, '50e-3'],
  ['0.5e-2', 5n, -3, X, '5e-3'],
  ['1.2e3', 12n, 2, X, '1200'],
  ['1.3E+6', 13n, 5, X, '1300e3'],
  ['1.40e9', 14n, 8, X, '1400e6'],
  ['1.53E12', 153n, 10, X, '1530e9'],
  ['1.6e15', 16n, 14, X, '1600e12'],
  ['1.7E18', 17n, 17, X, '1700e15'],
  ['9.01', 901n, -2, D, '9010m'],
  ['8.1k', 81n, 2, D, '8100'],
  ['40.1T', 401n, 11, D, '40100G'],
  ['300.2T', 3002n, 11, D, '300200G'],
  ['2.5P', 25n, 14, D, '2500T'],
  ['1.01E', 101n, 16, D, '1010P'],
  ['1.5Gi', 3n * 512n * 1024n ** 2n, 0, B, '1536Mi'],
  ['0.5Mi', 512n * 1024n, 0, B, '512Ki'],
  ['100.035Ki', 10243584n, -2, B, '102435840m'],
  ['0.05Gi', 536870912n, -1, B, '53687091200m'],
  ['0.025Ti', 274877906944n, -1, B, '27487790694400m'],
  ['.001Ki', 1024n, -3, B, '1024m'],
  ['.000001Ki', 1024n, -6, D, '1024u'],
  ['.000000001Ki', 1024n, -9, D, '1024n'],
  ['0.000000000001Ki', 2n, -9, D, '2n'],
  // Values more precise than 1n round up to 1n.
  ['3.001n', 4n, -9, D, '4n'],
  ['1.1E-9', 2n, -9, X, '2e-9'],
  ['0.0000000001', 1n, -9, D, '1n'],
  ['0.0000000005', 1n, -9, D, '1n'],
  ['0.00000000050', 1n, -9, D, '1n'],
  ['0.5e-9', 1n, -9, X, '1e-9'],
  ['0.9n', 1n, -9, D, '1n'],
  ['0.00000012345', 124n, -9, D, '124n'],
  ['0.00000012354', 124n, -9, D, '124n'],
  ['1e-2000000000', 1n, -9, X, '1e-9'],
  // BinarySI is capped at 2^63-1.
  ['9Ei', 2n ** 63n - 1n, 0, B, '9223372036854775807'],
  ['9223372036854775807Ki', 2n ** 63n - 1n, 0, B, '9223372036854775807'],
  // Upstream keeps the input string when its int64 fast path judges it canonical.
  ['1.001', 1001n, -3, D, '1.001'],
  ['1.500', 15n, -1, D, '1.500'],
  ['100.035k', 100035n, 0, D, '100.035k'],
  ['10.035M', 10035n, 3, D, '10.035M'],
  ['7.123456M', 7123456n, 0, D, '7.123456M'],
  ['6.987654321G', 6987654321n, 0, D, '6.987654321G'],
  ['5.444T', 5444n, 9, D, '5.444T'],
  ['+1', 1n, 0, D, '+1'],
  ['0100', 1n, 2, D, '0100'],
  ['1.', 1n, 0, D, '1.'],
  ['1.G', 1n, 9, D, '1.G'],
  ['.001', 1n, -3, D, '1m'],
  ['.0001k', 1n, -1, D, '100m'],
  // Upstream's scanner reads a lone sign or dot as zero.
  ['.', 0n, 0, D, '0'],
  ['-', 0n, 0, D, '0'],
  ['-0', 0n, 0, D, '0'],
  ['-1.5Gi', -(3n * 512n * 1024n ** 2n), 0, B, '-1536Mi'],
  ['-.001Ki', -1024n, -3, B, '-1024m'],
  ['-9Ei', -(2n ** 63n - 1n), 0, B, '-9223372036854775807'],
  ['-0.00000012345', -124n, -9, D, '-124n'],
  ['-100m', -1n, -1, D, '-100m'],
  // Not in upstream's suffix table: v1.32 prints "1", we print the exponent form.
  ['1000E', 1n, 21, D, '1e21'],
];

describe('Quantity.parse', () => {
  for (const [input, mantissa, exponent, format, text] of parseTable) {
    it(`${JSON.stringify(input)} → ${text} (${format})`, () => {
      const q = Quantity.parse(input);
      assert.equal(q.cmp(Quantity.fromDecimal(mantissa, exponent, D)), 0, `value of ${input}`);
      assert.equal(q.format, format);
      assert.equal(q.toString(), text);
      assert.equal(JSON.stringify({ q }), JSON.stringify({ q: text }));
    });
  }

  it('parses every canonical string back to the same value', () => {
    for (const [input] of parseTable) {
      const q = Quantity.parse(input);
      assert.equal(Quantity.parse(q.toString()).cmp(q), 0, input);
    }
  });
});

describe('Quantity canonical form', () => {
  /** mantissa, exponent, format, String(), as in upstream's TestQuantityString. */
  const table: Array<[bigint, number, QuantityFormat, string]> = [
    [1024n ** 3n, 0, B, '1Gi'],
    [300n * 1024n ** 2n, 0, B, '300Mi'],
    [6n * 1024n, 0, B, '6Ki'],
    [1001n * 1024n ** 3n, 0, B, '1001Gi'],
    [1024n ** 4n, 0, B, '1Ti'],
    [5n, 0, B, '5'],
    [500n, -3, B, '500m'],
    [1n, 9, D, '1G'],
    [1000n, 6, D, '1G'],
    [1000000n, 3, D, '1G'],
    [1000000000n, 0, D, '1G'],
    [1n, -3, D, '1m'],
    [80n, -3, D, '80m'],
    [1080n, -3, D, '1080m'],
    [108n, -2, D, '1080m'],
    [10800n, -4, D, '1080m'],
    [300n, 6, D, '300M'],
    [1n, 12, D, '1T'],
    [1234567n, 6, D, '1234567M'],
    [1234567n, -3, B, '1234567m'],
    [3n, 3, D, '3k'],
    [1025n, 0, B, '1025'],
    [0n, 0, D, '0'],
    [0n, 0, B, '0'],
    [1n, 9, X, '1e9'],
    [1n, -3, X, '1e-3'],
    [1n, -9, X, '1e-9'],
    [80n, -3, X, '80e-3'],
    [300n, 6, X, '300e6'],
    [1n, 12, X, '1e12'],
    [1n, 3, X, '1e3'],
    [3n, 3, X, '3e3'],
    [0n, 0, X, '0'],
    [1n, -9, D, '1n'],
    [80n, -9, D, '80n'],
    [1080n, -9, D, '1080n'],
    [108n, -8, D, '1080n'],
    [10800n, -10, D, '1080n'],
    [1n, -6, D, '1u'],
    [80n, -6, D, '80u'],
    [1080n, -6, D, '1080u'],
    [1023n, 0, B, '1023'],
    [2047n, 0, B, '2047'],
    [2048n, 0, B, '2Ki'],
    [15n, 2, B, '1500'],
    [10241n, -1, B, '1024100m'],
    [2n ** 63n, 0, B, '8Ei'],
    [1024n ** 7n, 0, B, '1024Ei'],
    [1n, -12, D, '1e-12'],
  ];
  for (const [mantissa, exponent, format, text] of table) {
    it(`${mantissa}e${exponent} ${format} → ${text}`, () => {
      const q = Quantity.fromDecimal(mantissa, exponent, format);
      assert.equal(q.toString(), text);
      if (mantissa !== 0n) assert.equal(q.neg().toString(), `-${text}`);
    });
  }

  it('formats constructed quantities like NewQuantity / NewMilliQuantity / NewScaledQuantity', () => {
    const cases: Array<[Quantity, string]> = [
      [Quantity.fromInt(1), '1'],
      [Quantity.fromInt(1000), '1k'],
      [Quantity.fromInt(1234000), '1234k'],
      [Quantity.fromInt(1024, B), '1Ki'],
      [Quantity.fromInt(1000000, X), '1e6'],
      [Quantity.fromInt(1024 * 1024, B), '1Mi'],
      [Quantity.fromMilli(1), '1m'],
      [Quantity.fromMilli(1000), '1'],
      [Quantity.fromMilli(1234000), '1234'],
      [Quantity.fromMilli(1024, B), '1024m'],
      [Quantity.fromMilli(1000000, X), '1e3'],
      [Quantity.fromMilli(1024 * 1024, B), '1048576m'],
      [Quantity.fromScaled(1, -9), '1n'],
      [Quantity.fromScaled(1000, -9), '1u'],
      [Quantity.fromScaled(1000, -3), '1'],
      [Quantity.fromScaled(0, -6), '0'],
      [Quantity.zero(B), '0'],
    ];
    for (const [q, text] of cases) assert.equal(q.toString(), text);
  });
});

describe('Quantity arithmetic', () => {
  const q = (text: string): Quantity => Quantity.parse(text);

  it('compares exactly across formats and scales', () => {
    const cases: Array<[string, string, number]> = [
      ['0', '0', 0],
      ['100m', '50m', 1],
      ['50m', '100m', -1],
      ['10000T', '100Gi', 1],
      ['1Ki', '1024', 0],
      ['1k', '1Ki', -1],
      ['-1', '1m', -1],
      ['-1', '-2', 1],
      ['1e-2000000000', '1n', 0],
      ['1e2000000000', '9Ei', 1],
      ['0.9', '901m', -1],
    ];
    for (const [a, b, expected] of cases) {
      assert.equal(q(a).cmp(q(b)), expected, `${a} vs ${b}`);
      assert.equal(q(b).cmp(q(a)), expected === 0 ? 0 : -expected, `${b} vs ${a}`);
    }
    assert.equal(q('1Gi').equals(q('1024Mi')), true);
  });

  it('adds and subtracts exactly, keeping the left format unless it is zero', () => {
    const cases: Array<[Quantity, string, QuantityFormat]> = [
      [q('10').add(Quantity.fromDecimal(1, 1, D)), '20', D],
      [q('10').add(Quantity.fromInt(1, B)), '11', D],
      [Quantity.fromInt(10, B).add(q('1')), '11', B],
      [Quantity.zero().add(q('50')), '50', D],
      [q('50').add(Quantity.zero()), '50', D],
      [q('100m').add(q('0')), '100m', D],
      [q('0').add(q('100m')), '100m', D],
      [q('1Gi').add(q('0')), '1Gi', B],
      [q('0').add(q('1Gi')), '1Gi', B],
      [q('0').sub(q('100m')), '-100m', D],
      [q('0').sub(q('1Gi')), '-1Gi', B],
      [q('10').sub(Quantity.fromDecimal(1, 1, D)), '0', D],
      [Quantity.fromInt(10, B).sub(q('1')), '9', B],
      [q('1.5Gi').add(q('512Mi')), '2Gi', B],
      [q('100m').add(q('1n')), '100000001n', D],
      [q('4Ei').add(q('4Ei')), '8Ei', B],
      [q('10').mul(-10), '-100', D],
      [q('9223372036854775807').mul(10), '92233720368547758070', D],
    ];
    for (const [result, text, format] of cases) {
      assert.equal(result.toString(), text);
      assert.equal(result.format, format);
    }
  });

  it('round-trips additions and subtractions across scales', () => {
    let total = Quantity.zero();
    const parts = Array.from({ length: 50 }, (_, i) => Quantity.fromScaled(BigInt(i) * 987654321987n + 1n, (i % 20) - 10));
    for (const part of parts) total = total.add(part);
    for (const part of parts) total = total.sub(part);
    assert.equal(total.isZero(), true);
    assert.equal(total.sign(), 0);
    assert.equal(q('-3m').sign(), -1);
  });
});

describe('Quantity values', () => {
  it('value() and milliValue() round up away from zero', () => {
    const cases: Array<[string, bigint, bigint]> = [
      ['100m', 1n, 100n],
      ['1', 1n, 1000n],
      ['1.5', 2n, 1500n],
      ['1Gi', 1073741824n, 1073741824000n],
      ['1n', 1n, 1n],
      ['0.5m', 1n, 1n],
      ['-1.5', -2n, -1500n],
      ['-1n', -1n, -1n],
      ['0', 0n, 0n],
      ['1e3', 1000n, 1000000n],
    ];
    for (const [text, value, milli] of cases) {
      assert.equal(Quantity.parse(text).value(), value, text);
      assert.equal(Quantity.parse(text).milliValue(), milli, text);
    }
  });

  it('scaledValue matches upstream TestScaledValue', () => {
    const cases: Array<[number, number, bigint]> = [
      [-9, -9, 1n],
      [-9, -6, 1n],
      [-9, -3, 1n],
      [-9, 0, 1n],
      [-6, -9, 1000n],
      [-3, -9, 1000000n],
      [0, -9, 1000000000n],
      [0, 0, 1n],
      [2, -2, 10000n],
    ];
    for (const [from, to, expected] of cases) assert.equal(Quantity.fromScaled(1, from).scaledValue(to), expected);
  });

  it('clamps values beyond int64', () => {
    assert.equal(Quantity.parse('12E').value(), 2n ** 63n - 1n);
    assert.equal(Quantity.parse('-1e2000000000').milliValue(), -(2n ** 63n));
    assert.equal(Quantity.parse('9Ei').milliValue(), 2n ** 63n - 1n);
  });

  it('approximates as a number', () => {
    assert.equal(Quantity.parse('1.5Gi').asApproximateNumber(), 1610612736);
    assert.equal(Quantity.parse('100m').asApproximateNumber(), 0.1);
  });

  it('rejects unsafe numbers in factories', () => {
    assert.throws(() => Quantity.fromInt(2 ** 60), RangeError);
    assert.throws(() => Quantity.fromDecimal(1, 0.5, D), RangeError);
    assert.equal(Quantity.fromInt(2n ** 60n, B).toString(), '1Ei');
  });
});
