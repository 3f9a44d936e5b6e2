/**
 * Field-level validation errors, rendered exactly as apimachinery's `field.Error`:
 * `spec.containers[0].image: Required value`, `metadata.name: Invalid value: "X": msg`,
 * `spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never"`.
 */
import { goNumber, goQuote } from './go-format.js';
import type { FieldPath } from './field-path.js';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  readonly type: FieldErrorType;
  /** The rendered field path, e.g. `spec.containers[0].image`. */
  readonly field: string;
  readonly badValue: unknown;
  readonly detail: string;
}

/** A bad value that is left out of the message (upstream's `field.OmitValueType{}`). */
export const OMIT_VALUE: unique symbol = Symbol('omit value');

/** A bad value printed bare, as Go prints a value with a String() method (e.g. a timestamp). */
export class GoStringer {
  constructor(readonly text: string) {}
}

const TYPE_TEXT: Readonly<Record<FieldErrorType, string>> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

const VALUELESS: ReadonlySet<FieldErrorType> = new Set<FieldErrorType>([
  'FieldValueRequired',
  'FieldValueForbidden',
  'FieldValueTooLong',
  'InternalError',
]);

type PathLike = FieldPath | string;

function make(type: FieldErrorType, path: PathLike, badValue: unknown, detail: string): FieldError {
  return { type, field: String(path), badValue, detail };
}

/** How a bad value prints: strings quoted, numbers and booleans bare, other values as JSON. */
export function formatBadValue(value: unknown): string {
  if (value === null || value === undefined) return goQuote('null');
  switch (typeof value) {
    case 'string':
      return goQuote(value);
    case 'number':
      return goNumber(value);
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      if (value instanceof GoStringer) return value.text;
      return JSON.stringify(value) ?? String(value);
  }
}

/** The message without the field name (upstream's `ErrorBody`), used as a StatusCause message. */
export function fieldErrorBody(error: FieldError): string {
  let body = TYPE_TEXT[error.type];
  if (!VALUELESS.has(error.type) && error.badValue !== OMIT_VALUE) {
    body += `: ${formatBadValue(error.badValue)}`;
  }
  if (error.detail.length > 0) body += `: ${error.detail}`;
  return body;
}

/** `field: body`, upstream's `Error()`. */
export function fieldErrorMessage(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

/**
 * Several errors as one message, as upstream's aggregate prints them: one error alone, several
 * as `[a, b]`, repeated messages once.
 */
export function aggregateFieldErrors(errors: readonly FieldError[]): string {
  const messages = [...new Set(errors.map(fieldErrorMessage))];
  if (messages.length === 1) return messages[0] ?? '';
  return `[${messages.join(', ')}]`;
}

export function required(path: PathLike, detail = ''): FieldError {
  return make('FieldValueRequired', path, '', detail);
}

export function invalid(path: PathLike, value: unknown, detail = ''): FieldError {
  return make('FieldValueInvalid', path, value, detail);
}

export function notSupported(path: PathLike, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? `supported values: ${validValues.map(goQuote).join(', ')}` : '';
  return make('FieldValueNotSupported', path, value, detail);
}

export function duplicate(path: PathLike, value: unknown): FieldError {
  return make('FieldValueDuplicate', path, value, '');
}

export function forbidden(path: PathLike, detail = ''): FieldError {
  return make('FieldValueForbidden', path, '', detail);
}

/** The value itself is never shown; a negative maxLength leaves the limit out. */
export function tooLong(path: PathLike, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long';
  return make('FieldValueTooLong', path, '<value omitted>', detail);
}

export function tooMany(path: PathLike, actualQuantity: number, maxQuantity: number): FieldError {
  const detail = maxQuantity >= 0 ? `must have at most ${maxQuantity} items` : 'has too many items';
  return make('FieldValueTooMany', path, actualQuantity >= 0 ? actualQuantity : OMIT_VALUE, detail);
}

export function notFound(path: PathLike, value: unknown): FieldError {
  return make('FieldValueNotFound', path, value, '');
}

export function typeInvalid(path: PathLike, value: unknown, detail: string): FieldError {
  return make('FieldValueTypeInvalid', path, value, detail);
}

export function internalError(path: PathLike, error: Error | string): FieldError {
  return make('InternalError', path, null, typeof error === 'string' ? error : error.message);
}
