/**
 * resource.Quantity: an exact fixed-point number (mantissa × 10^exponent, bigint mantissa)
 * that remembers the format it was written in and prints in upstream's canonical form.
 */
import {
  QuantityParseError,
  constructSuffix,
  formatWrongMessage,
  interpretSuffix,
  numericMessage,
  scanQuantity,
  type QuantityFormat,
  type ScannedQuantity,
} from './quantity-syntax.js';

export { QuantityParseError, type QuantityFormat };

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const nanoExponent = -9;
/** Beyond this many decimal digits BinarySI is printed as DecimalSI instead of materialising the integer. */
const maxBinaryDigits = 40;

const abs = (m: bigint): bigint => (m < 0n ? -m : m);
const sign = (m: bigint): -1 | 0 | 1 => (m < 0n ? -1 : m > 0n ? 1 : 0);
const digitCount = (m: bigint): number => abs(m).toString().length;
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** Moves every trailing decimal zero of the mantissa into the exponent. */
function stripTens(mantissa: bigint, exponent: number): [bigint, number] {
  if (mantissa === 0n) return [0n, 0];
  const digits = mantissa.toString();
  const zeros = digits.length - digits.replace(/0+$/, '').length;
  return zeros === 0 ? [mantissa, exponent] : [BigInt(digits.slice(0, -zeros)), exponent + zeros];
}

/** Rounds mantissa × 10^exponent away from zero onto a multiple of 10^target. */
function roundAwayFromZero(mantissa: bigint, exponent: number, target: number): bigint {
  if (exponent >= target) return mantissa * pow10(exponent - target);
  const shift = target - exponent;
  const magnitude = abs(mantissa);
  if (magnitude === 0n) return 0n;
  if (digitCount(magnitude) < shift) return BigInt(sign(mantissa));
  const divisor = pow10(shift);
  const rounded = magnitude / divisor + (magnitude % divisor === 0n ? 0n : 1n);
  return mantissa < 0n ? -rounded : rounded;
}

function compareParts(m1: bigint, e1: number, m2: bigint, e2: number): -1 | 0 | 1 {
  if (e1 === e2) return m1 === m2 ? 0 : m1 > m2 ? 1 : -1;
  const s1 = sign(m1);
  const s2 = sign(m2);
  if (s1 !== s2) return s1 < s2 ? -1 : 1;
  if (s1 === 0) return 0;
  const order1 = digitCount(m1) + e1;
  const order2 = digitCount(m2) + e2;
  if (order1 !== order2) return ((order1 > order2 ? 1 : -1) * s1) as -1 | 1;
  const e = Math.min(e1, e2);
  const a = m1 * pow10(e1 - e);
  const b = m2 * pow10(e2 - e);
  return a === b ? 0 : a > b ? 1 : -1;
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return BigInt(value);
}

interface Parts {
  mantissa: bigint;
  exponent: number;
  format: QuantityFormat;
  canonical?: string;
}

/** Upstream's int64 fast path; only there is the input string kept as the canonical form. */
function parseFast(
  str: string,
  scanned: ScannedQuantity,
  base: 2 | 10,
  exponent: number,
  format: QuantityFormat,
): Parts | undefined {
  const { num, denom } = scanned;
  const binary = base === 2;
  const precision = binary
    ? denom.length === 0
      ? 15 - num.length - Math.trunc((exponent * 3) / 10) - 1
      : -1
    : 18 - (num.length + denom.length);
  if (precision < 0) return undefined;
  const scale = (binary ? 0 : exponent) - denom.length;
  if (scale < nanoExponent) return undefined;
  const shifted = num + denom;
  const digits = BigInt(shifted);
  const magnitude = binary ? digits << BigInt(exponent) : digits;
  if (magnitude > int64Max) return undefined;
  const keep = binary
    ? (digits & 7n) !== 0n
    : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  const mantissa = scanned.positive ? magnitude : -magnitude;
  return { mantissa, exponent: scale, format, canonical: keep ? str : undefined };
}

/** Upstream's arbitrary-precision path: rounds up to 1n, caps BinarySI at 2^63-1. */
function parseSlow(scanned: ScannedQuantity, base: 2 | 10, exponent: number, format: QuantityFormat): Parts {
  const unsigned = scanned.value.replace(/^[+-]/, '');
  if (!/[0-9]/.test(unsigned)) throw new QuantityParseError(numericMessage);
  const [whole = '', fraction = ''] = unsigned.split('.');
  let mantissa = BigInt(whole + fraction || '0');
  let scale = fraction.length === 0 ? 0 : -fraction.length;
  if (base === 10) scale += exponent;
  else mantissa <<= BigInt(exponent);
  if (mantissa !== 0n && scale < nanoExponent) {
    mantissa = roundAwayFromZero(mantissa, scale, nanoExponent);
    scale = nanoExponent;
  }
  if (format === 'BinarySI' && compareParts(mantissa, scale, int64Max, 0) > 0) {
    mantissa = int64Max;
    scale = 0;
  }
  let finalFormat = format;
  if (format === 'BinarySI' && mantissa !== 0n && compareParts(mantissa, scale, 1n, 0) < 0) {
    finalFormat = 'DecimalSI';
  }
  return { mantissa: scanned.positive ? mantissa : -mantissa, exponent: scale, format: finalFormat };
}

export class Quantity {
  /** `canonical` is the input string when upstream would print it unchanged. */
  private constructor(
    private readonly mantissa: bigint,
    private readonly exponent: number,
    readonly format: QuantityFormat,
    private readonly canonical?: string,
  ) {}

  /** resource.ParseQuantity; throws QuantityParseError with upstream's messages. */
  static parse(str: string): Quantity {
    if (str.length === 0) throw new QuantityParseError(formatWrongMessage);
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str);
    const scanned = scanQuantity(str);
    const { base, exponent, format } = interpretSuffix(scanned.suffix);
    const parts = parseFast(str, scanned, base, exponent, format) ?? parseSlow(scanned, base, exponent, format);
    return new Quantity(parts.mantissa, parts.exponent, parts.format, parts.canonical);
  }

  static zero(format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(0n, 0, format);
  }

  /** resource.NewQuantity. */
  static fromInt(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(value), 0, format);
  }

  /** resource.NewMilliQuantity: value / 1000. */
  static fromMilli(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(value), -3, format);
  }

  /** resource.NewScaledQuantity: value × 10^scale, DecimalSI. */
  static fromScaled(value: bigint | number, scale: number): Quantity {
    return Quantity.fromDecimal(value, scale, 'DecimalSI');
  }

  /** resource.NewDecimalQuantity: mantissa × 10^exponent in any format. */
  static fromDecimal(mantissa: bigint | number, exponent: number, format: QuantityFormat): Quantity {
    if (!Number.isSafeInteger(exponent)) throw new RangeError(`not an integer exponent: ${exponent}`);
    return new Quantity(toBigInt(mantissa), exponent, format);
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  sign(): -1 | 0 | 1 {
    return sign(this.mantissa);
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return compareParts(this.mantissa, this.exponent, other.mantissa, other.exponent);
  }

  equals(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** Exact sum; a zero quantity takes the format of the other operand. */
  add(other: Quantity): Quantity {
    const format = this.isZero() ? other.format : this.format;
    if (other.isZero()) return new Quantity(this.mantissa, this.exponent, format);
    if (this.isZero()) return new Quantity(other.mantissa, other.exponent, format);
    const e = Math.min(this.exponent, other.exponent);
    const sum = this.mantissa * pow10(this.exponent - e) + other.mantissa * pow10(other.exponent - e);
    return new Quantity(sum, e, format);
  }

  sub(other: Quantity): Quantity {
    return this.add(other.neg());
  }

  neg(): Quantity {
    return new Quantity(-this.mantissa, this.exponent, this.format);
  }

  mul(factor: bigint | number): Quantity {
    return new Quantity(this.mantissa * toBigInt(factor), this.exponent, this.format);
  }

  withFormat(format: QuantityFormat): Quantity {
    return format === this.format ? this : new Quantity(this.mantissa, this.exponent, format);
  }

  /** ceil(q / 10^scale), rounding away from zero, clamped to the int64 range. */
  scaledValue(scale: number): bigint {
    const order = digitCount(this.mantissa) + this.exponent - scale;
    if (this.mantissa !== 0n && order > 19) return this.mantissa > 0n ? int64Max : int64Min;
    const value = roundAwayFromZero(this.mantissa, this.exponent - scale, 0);
    return value > int64Max ? int64Max : value < int64Min ? int64Min : value;
  }

  /** The value rounded up (away from zero) to an integer. */
  value(): bigint {
    return this.scaledValue(0);
  }

  /** ceil(q × 1000), rounding away from zero. */
  milliValue(): bigint {
    return this.scaledValue(-3);
  }

  asApproximateNumber(): number {
    return Number.parseFloat(`${this.mantissa}e${this.exponent}`);
  }

  /** Upstream Quantity.String(), see quantity.test.ts for the exact rules. */
  toString(): string {
    if (this.canonical !== undefined) return this.canonical;
    if (this.mantissa === 0n) return '0';
    let [mantissa, exponent] = stripTens(this.mantissa, this.exponent);
    let format = this.format;
    if (format === 'BinarySI') {
      const fraction = exponent < 0;
      const small = compareParts(abs(mantissa), exponent, 1024n, 0) < 0;
      const huge = digitCount(mantissa) + exponent > maxBinaryDigits;
      if (fraction || small || huge) format = 'DecimalSI';
      else return binaryString(mantissa * pow10(exponent));
    }
    while (exponent % 3 !== 0) {
      mantissa *= 10n;
      exponent--;
    }
    const suffix = constructSuffix(exponent, format);
    return suffix === undefined ? `${mantissa}e${exponent}` : `${mantissa}${suffix}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

function binaryString(value: bigint): string {
  let mantissa = value;
  let power = 0;
  while (power < 6 && mantissa % 1024n === 0n) {
    mantissa /= 1024n;
    power++;
  }
  return `${mantissa}${constructSuffix(power * 10, 'BinarySI') ?? ''}`;
}
