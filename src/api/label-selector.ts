/**
 * Label selectors with apimachinery semantics: the string syntax of list/watch requests
 * (labels.Parse) and the structured metav1.LabelSelector of object specs
 * (LabelSelectorAsSelector).
 */
import type { LabelSelector as LabelSelectorSpec } from 'kubernetes-types/meta/v1.js';
import { goQuote } from './go-format.js';
import {
  LabelSelectorError,
  labelRequirement,
  requirementMatches,
  requirementToString,
  type LabelOperator,
  type LabelRequirement,
  type Labels,
} from './label-requirement.js';
import { parseLabelSelector } from './label-selector-parser.js';

export { LabelSelectorError, labelRequirement, type LabelOperator, type LabelRequirement, type Labels };
export type { LabelSelectorSpec };

const specOperators: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

function byKey(a: LabelRequirement, b: LabelRequirement): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export class LabelSelector {
  private static readonly everythingSelector = new LabelSelector([]);
  private static readonly nothingSelector = new LabelSelector(null);

  /** toString's result, computed once (a selector never changes). */
  private canonical: string | undefined;

  /** `null` is the selector that matches nothing. */
  private constructor(private readonly reqs: readonly LabelRequirement[] | null) {}

  /** Matches every object, including ones without labels. */
  static everything(): LabelSelector {
    return LabelSelector.everythingSelector;
  }

  /** Matches no object at all: what a null metav1.LabelSelector means. */
  static nothing(): LabelSelector {
    return LabelSelector.nothingSelector;
  }

  /** Parses the `labelSelector` query syntax; throws LabelSelectorError with upstream's message. */
  static parse(selector: string): LabelSelector {
    const reqs = parseLabelSelector(selector);
    return reqs.length === 0 ? LabelSelector.everything() : new LabelSelector(reqs);
  }

  /** `key=value` for each entry; an undefined or empty set selects everything. */
  static fromSet(labels: Labels | undefined, options: { validate?: boolean } = {}): LabelSelector {
    const keys = Object.keys(labels ?? {}).sort();
    if (labels === undefined || keys.length === 0) return LabelSelector.everything();
    const reqs = keys.map((key): LabelRequirement => {
      const value = labels[key] ?? '';
      return options.validate ? labelRequirement(key, '=', [value]) : { key, operator: '=', values: [value] };
    });
    return new LabelSelector(reqs);
  }

  /**
   * Converts a metav1.LabelSelector as LabelSelectorAsSelector does: null/undefined matches
   * nothing, `{}` (no matchLabels, no matchExpressions) matches everything.
   * Throws LabelSelectorError for unknown operators and invalid keys or values.
   */
  static fromSpec(spec: LabelSelectorSpec | null | undefined): LabelSelector {
    if (spec === null || spec === undefined) return LabelSelector.nothing();
    const matchLabels = Object.entries(spec.matchLabels ?? {});
    const expressions = spec.matchExpressions ?? [];
    if (matchLabels.length + expressions.length === 0) return LabelSelector.everything();
    const reqs = matchLabels.map(([key, value]) => labelRequirement(key, '=', [value]));
    for (const expression of expressions) {
      const specOperator = expression.operator ?? '';
      const operator = Object.hasOwn(specOperators, specOperator) ? specOperators[specOperator] : undefined;
      if (operator === undefined) {
        throw new LabelSelectorError(`${goQuote(specOperator)} is not a valid label selector operator`);
      }
      const values = expression.values ?? [];
      reqs.push(labelRequirement(expression.key ?? '', operator, values.length === 0 ? null : values));
    }
    return LabelSelector.everything().add(...reqs);
  }

  /** True only for {@link LabelSelector.nothing}. */
  get matchesNothing(): boolean {
    return this.reqs === null;
  }

  /** True when the selector does not restrict anything (upstream Empty()). */
  isEmpty(): boolean {
    return this.reqs !== null && this.reqs.length === 0;
  }

  matches(labels: Labels | undefined): boolean {
    if (this.reqs === null) return false;
    return this.reqs.every((requirement) => requirementMatches(requirement, labels));
  }

  /** The requirements, sorted by key; empty for both everything and nothing. */
  requirements(): readonly LabelRequirement[] {
    return this.reqs ?? [];
  }

  /** A new selector with more requirements, re-sorted by key. */
  add(...requirements: LabelRequirement[]): LabelSelector {
    if (this.reqs === null) return this;
    return new LabelSelector([...this.reqs, ...requirements].sort(byKey));
  }

  /** The single value the first requirement on `key` demands (`=`, `==`, or `in` with one value). */
  requiresExactMatch(key: string): string | undefined {
    const requirement = this.reqs?.find((r) => r.key === key);
    if (requirement === undefined) return undefined;
    const exact = requirement.operator === '=' || requirement.operator === '==' || requirement.operator === 'in';
    return exact && requirement.values.length === 1 ? requirement.values[0] : undefined;
  }

  /** Canonical form: requirements sorted by key, joined by ','. Nothing prints as ''. */
  toString(): string {
    return (this.canonical ??= (this.reqs ?? []).map(requirementToString).join(','));
  }
}
