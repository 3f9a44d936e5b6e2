/**
 * The lexical side of resource.Quantity: splitting `<signedNumber><suffix>` and
 * interpreting the suffix, with apimachinery's error messages.
 */

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export class QuantityParseError extends Error {
  override readonly name = 'QuantityParseError';
}

const splitRegexp = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const formatWrongMessage = `quantities must match the regular expression '${splitRegexp}'`;
export const numericMessage = 'unable to parse numeric part of quantity';
export const suffixMessage = "unable to parse quantity's suffix";

export interface ScannedQuantity {
  positive: boolean;
  /** The sign and number as written, without the suffix. */
  value: string;
  /** Integer digits without leading zeros ("0" when there are none). */
  num: string;
  /** Fraction digits as written. */
  denom: string;
  suffix: string;
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const suffixLetters = 'eEinumkKMGTP';

/**
 * Upstream's permissive scanner: the suffix is only checked later by interpretSuffix.
 * Note its quirks, kept on purpose: "-" and "." read as zero, "1." and "1.G" are accepted.
 */
export function scanQuantity(str: string): ScannedQuantity {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };

  const numStart = pos;
  while (isDigit(str[pos])) pos++;
  if (pos >= end) return { positive, value: str, num: str.slice(numStart), denom: '', suffix: '' };
  const num = pos > numStart ? str.slice(numStart, pos) : '0';

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (isDigit(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
    if (pos >= end) return { positive, value: str, num, denom, suffix: '' };
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  while (pos < end && suffixLetters.includes(str[pos] ?? '')) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityParseError(formatWrongMessage);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

export interface SuffixMeaning {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const decimalSuffixes: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const binarySuffixes: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

export function interpretSuffix(suffix: string): SuffixMeaning {
  const decimal = Object.hasOwn(decimalSuffixes, suffix) ? decimalSuffixes[suffix] : undefined;
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = Object.hasOwn(binarySuffixes, suffix) ? binarySuffixes[suffix] : undefined;
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (/^[+-]?[0-9]+$/.test(digits)) {
      const parsed = BigInt(digits);
      // Upstream parses an int64 and then truncates it to int32.
      if (parsed >= int64Min && parsed <= int64Max) {
        return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
      }
    }
  }
  throw new QuantityParseError(suffixMessage);
}

/**
 * The suffix for a canonical exponent (a power of 10, or of 2 for BinarySI), or undefined
 * when the format has none for it.
 */
export function constructSuffix(exponent: number, format: QuantityFormat): string | undefined {
  if (format === 'DecimalExponent') return exponent === 0 ? '' : `e${exponent}`;
  if (exponent === 0) return '';
  const table = format === 'BinarySI' ? binarySuffixes : decimalSuffixes;
  return Object.entries(table).find(([, e]) => e === exponent)?.[0];
}
