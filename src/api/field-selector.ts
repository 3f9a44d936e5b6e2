/**
 * Field selectors with apimachinery's fields.ParseSelector semantics: comma-joined
 * `field=value`, `field==value` and `field!=value` terms, values escaped with `\`.
 * The caller computes the field set of an object per kind and decides which field
 * labels a kind supports (see {@link FieldSelector.requirements}).
 */

export type Fields = Readonly<Record<string, string>>;

/** `==` parses to `=`: upstream reports both as selection.Equals. */
export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** Thrown for malformed selectors; the apiserver answers 400 BadRequest with its message. */
export class FieldSelectorError extends Error {
  override readonly name = 'FieldSelectorError';
}

/** Maps a field label and value to new ones; both empty drops the term. May throw. */
export type FieldTransform = (field: string, value: string) => [field: string, value: string];

/** Escapes `\`, `,` and `=` so that any literal can be used as a selector value. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (char) => `\\${char}`);
}

/** The inverse of {@link escapeFieldValue}; throws FieldSelectorError on bad escapes or bare `,`/`=`. */
export function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let inSlash = false;
  for (const char of value) {
    if (inSlash) {
      if (char !== '\\' && char !== ',' && char !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${char}`);
      }
      out += char;
      inSlash = false;
    } else if (char === '\\') {
      inSlash = true;
    } else if (char === ',' || char === '=') {
      // Go prints the rune with %v, which is its code point number.
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${char.codePointAt(0)}`);
    } else {
      out += char;
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas not preceded by an escaping backslash; escapes are kept. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const char = selector[i];
    if (inSlash) inSlash = false;
    else if (char === '\\') inSlash = true;
    else if (char === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

/** Splits at the first operator; field labels cannot contain escapes. */
function splitTerm(term: string): [string, (typeof termOperators)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of termOperators) {
      if (term.startsWith(operator, i)) return [term.slice(0, i), operator, term.slice(i + operator.length)];
    }
  }
  return undefined;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function termToString(term: FieldRequirement): string {
  return `${term.field}${term.operator}${escapeFieldValue(term.value)}`;
}

export class FieldSelector {
  private static readonly everythingSelector = new FieldSelector([]);
  private static readonly nothingSelector = new FieldSelector(null);

  /** `null` is the selector that matches nothing. */
  private constructor(private readonly terms: readonly FieldRequirement[] | null) {}

  static everything(): FieldSelector {
    return FieldSelector.everythingSelector;
  }

  static nothing(): FieldSelector {
    return FieldSelector.nothingSelector;
  }

  /** Parses the `fieldSelector` query syntax; throws FieldSelectorError with upstream's message. */
  static parse(selector: string, transform?: FieldTransform): FieldSelector {
    const terms: FieldRequirement[] = [];
    for (const part of splitTerms(selector).sort(compareStrings)) {
      if (part === '') continue;
      const split = splitTerm(part);
      if (split === undefined) {
        throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
      }
      const [field, operator, rawValue] = split;
      terms.push({ field, operator: operator === '!=' ? '!=' : '=', value: unescapeFieldValue(rawValue) });
    }
    const parsed = new FieldSelector(terms);
    return parsed.transform(transform ?? ((field, value) => [field, value]));
  }

  /** `field=value` for each entry, sorted by field; undefined selects everything. */
  static fromSet(fields: Fields | undefined): FieldSelector {
    if (fields === undefined) return FieldSelector.everything();
    const names = Object.keys(fields).sort(compareStrings);
    return new FieldSelector(names.map((field) => ({ field, operator: '=', value: fields[field] ?? '' })));
  }

  static oneTermEqual(field: string, value: string): FieldSelector {
    return new FieldSelector([{ field, operator: '=', value }]);
  }

  static oneTermNotEqual(field: string, value: string): FieldSelector {
    return new FieldSelector([{ field, operator: '!=', value }]);
  }

  /** The conjunction of several selectors; any nothing-selector makes the result match nothing. */
  static and(...selectors: FieldSelector[]): FieldSelector {
    if (selectors.some((s) => s.terms === null)) return FieldSelector.nothing();
    return new FieldSelector(selectors.flatMap((s) => s.terms ?? []));
  }

  get matchesNothing(): boolean {
    return this.terms === null;
  }

  isEmpty(): boolean {
    return this.terms !== null && this.terms.length === 0;
  }

  /** A field absent from `fields` compares as the empty string, as upstream's Fields.Get. */
  matches(fields: Fields): boolean {
    if (this.terms === null) return false;
    return this.terms.every((term) => {
      const actual = Object.hasOwn(fields, term.field) ? (fields[term.field] ?? '') : '';
      return term.operator === '=' ? actual === term.value : actual !== term.value;
    });
  }

  /** Every term, for checking field labels a kind supports (`field label not supported: x`). */
  requirements(): readonly FieldRequirement[] {
    return this.terms ?? [];
  }

  /** The value of the first `field=value` term on `field`, e.g. for a `metadata.name` fast path. */
  requiresExactMatch(field: string): string | undefined {
    return this.terms?.find((term) => term.field === field && term.operator === '=')?.value;
  }

  /** Applies `fn` to every term; a term mapped to an empty field and value is dropped. */
  transform(fn: FieldTransform): FieldSelector {
    if (this.terms === null) return this;
    const next: FieldRequirement[] = [];
    for (const term of this.terms) {
      const [field, value] = fn(term.field, term.value);
      if (field.length === 0 && value.length === 0) continue;
      next.push({ field, operator: term.operator, value });
    }
    return next.length === 0 ? FieldSelector.everything() : new FieldSelector(next);
  }

  /** Canonical form: terms in parse order (sorted), `==` printed as `=`, values escaped. */
  toString(): string {
    return (this.terms ?? []).map(termToString).join(',');
  }
}
