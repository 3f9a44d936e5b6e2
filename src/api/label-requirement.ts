/**
 * One term of a label selector: apimachinery's labels.Requirement, with NewRequirement's
 * validation and messages.
 */
import { GoStringer, aggregateFieldErrors, invalid, notSupported, type FieldError } from './field-error.js';
import type { FieldPath } from './field-path.js';
import { goQuote } from './go-format.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

/** The operator spellings of apimachinery's selection.Operator. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

/**
 * Thrown for malformed selectors; the apiserver answers 400 BadRequest with its message.
 * `causes` holds the field errors when the problem is an invalid requirement.
 */
export class LabelSelectorError extends Error {
  override readonly name = 'LabelSelectorError';

  constructor(
    message: string,
    readonly causes: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

/** Binary operators in the order upstream lists them in messages. */
export const binaryLabelOperators: readonly LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const validLabelOperators: readonly LabelOperator[] = [...binaryLabelOperators, 'exists', '!'];

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64). */
export function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < int64Min || value > int64Max ? undefined : value;
}

/** Go's `%#v` of a `[]string`; `null` stands for a nil slice. */
function goStringSlice(values: readonly string[] | null): GoStringer {
  return new GoStringer(values === null ? '[]string(nil)' : `[]string{${values.map(goQuote).join(', ')}}`);
}

/** An invalid label key; `path` is where upstream reports it ("key", or "<nil>" in the parser). */
export function labelKeyError(key: string, path: FieldPath | string): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length === 0 ? undefined : invalid(path, key, errs.join('; '));
}

function child(path: FieldPath | undefined, name: string): FieldPath | string {
  return path === undefined ? name : path.child(name);
}

function operatorErrors(operator: string, values: readonly string[] | null, path: FieldPath | undefined): FieldError[] {
  const list = values ?? [];
  const valuesPath = child(path, 'values');
  const slice = goStringSlice(values);
  switch (operator) {
    case 'in':
    case 'notin':
      return list.length === 0 ? [invalid(valuesPath, slice, "for 'in', 'notin' operators, values set can't be empty")] : [];
    case '=':
    case '==':
    case '!=':
      return list.length === 1 ? [] : [invalid(valuesPath, slice, 'exact-match compatibility requires one single value')];
    case 'exists':
    case '!':
      return list.length === 0 ? [] : [invalid(valuesPath, slice, 'values set must be empty for exists and does not exist')];
    case 'gt':
    case 'lt': {
      const errs: FieldError[] = [];
      if (list.length !== 1) {
        errs.push(invalid(valuesPath, slice, "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      list.forEach((value, i) => {
        if (parseInt64(value) === undefined) {
          errs.push(invalid(`${valuesPath}[${i}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      return errs;
    }
    default:
      return [notSupported(child(path, 'operator'), operator, validLabelOperators)];
  }
}

/**
 * Builds a validated requirement (upstream NewRequirement). `values: null` stands for Go's
 * nil slice, which only changes how an empty value list is printed in errors. Errors are
 * reported under `path` when given. Throws LabelSelectorError listing every problem found.
 */
export function labelRequirement(
  key: string,
  operator: string,
  values: readonly string[] | null = [],
  options: { path?: FieldPath } = {},
): LabelRequirement {
  const list = values ?? [];
  const errs: FieldError[] = [];
  const keyError = labelKeyError(key, child(options.path, 'key'));
  if (keyError !== undefined) errs.push(keyError);
  errs.push(...operatorErrors(operator, values, options.path));
  const valuesPath = child(options.path, 'values');
  list.forEach((value, i) => {
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length > 0) errs.push(invalid(`${valuesPath}[${i}][${key}]`, value, valueErrs.join('; ')));
  });
  if (errs.length > 0) throw new LabelSelectorError(aggregateFieldErrors(errs), errs);
  return { key, operator: operator as LabelOperator, values: [...list] };
}

function hasLabel(labels: Labels | undefined, key: string): labels is Labels {
  return labels !== undefined && Object.hasOwn(labels, key);
}

export function requirementMatches(requirement: LabelRequirement, labels: Labels | undefined): boolean {
  const { key, operator, values } = requirement;
  switch (operator) {
    case 'in':
    case '=':
    case '==':
      return hasLabel(labels, key) && values.includes(labels[key] ?? '');
    case 'notin':
    case '!=':
      return !hasLabel(labels, key) || !values.includes(labels[key] ?? '');
    case 'exists':
      return hasLabel(labels, key);
    case '!':
      return !hasLabel(labels, key);
    case 'gt':
    case 'lt': {
      if (!hasLabel(labels, key) || values.length !== 1) return false;
      const actual = parseInt64(labels[key] ?? '');
      const bound = parseInt64(values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

const operatorText: Record<LabelOperator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

/** Upstream Requirement.String(): multiple values are printed sorted. */
export function requirementToString(requirement: LabelRequirement): string {
  const { key, operator, values } = requirement;
  if (operator === 'exists') return key;
  if (operator === '!') return `!${key}`;
  const shown = values.length === 1 ? (values[0] ?? '') : [...values].sort().join(',');
  const set = operator === 'in' || operator === 'notin';
  return `${key}${operatorText[operator]}${set ? `(${shown})` : shown}`;
}
