/**
 * Go's `%#v` of the few composite values upstream puts in validation messages, e.g.
 * `spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"},
 * MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`.
 */
import { GoStringer } from '../field-error.js';
import { goQuote } from '../go-format.js';
import { isObject, objectsOf, str, stringsOf } from './validation-util.js';

function goStringSlice(values: unknown): string {
  if (!Array.isArray(values)) return '[]string(nil)';
  return `[]string{${stringsOf(values).map(goQuote).join(', ')}}`;
}

export function goStringMapText(value: unknown): string {
  if (!isObject(value)) return 'map[string]string(nil)';
  const keys = Object.keys(value).sort();
  return `map[string]string{${keys.map((key) => `${goQuote(key)}:${goQuote(str(value[key]))}`).join(', ')}}`;
}

/** A `map[string]string` (labels, selectors) as a bad value. */
export function goStringMap(value: unknown): GoStringer {
  return new GoStringer(goStringMapText(value));
}

/** A `*metav1.LabelSelector` as a bad value: null when absent. */
export function goLabelSelector(value: unknown): GoStringer | null {
  if (!isObject(value)) return null;
  const expressions = Array.isArray(value['matchExpressions'])
    ? `[]v1.LabelSelectorRequirement{${objectsOf(value['matchExpressions'])
        .map(
          (expr) =>
            `v1.LabelSelectorRequirement{Key:${goQuote(str(expr['key']))}, Operator:${goQuote(str(expr['operator']))}, Values:${goStringSlice(expr['values'])}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoStringer(`v1.LabelSelector{MatchLabels:${goStringMapText(value['matchLabels'])}, MatchExpressions:${expressions}}`);
}

/** An intstr.IntOrString as a bad value. */
export function goIntOrString(value: unknown): GoStringer {
  if (typeof value === 'string') return new GoStringer(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(value)}}`);
  const int = typeof value === 'number' ? value : 0;
  return new GoStringer(`intstr.IntOrString{Type:0, IntVal:${int}, StrVal:""}`);
}

/** A `[]string` as a bad value. */
export function goStrings(values: readonly string[]): GoStringer {
  return new GoStringer(`[]string{${values.map(goQuote).join(', ')}}`);
}

/** A struct of string fields, e.g. `rbac.RoleRef{APIGroup:"", Kind:"Role", Name:"x"}`. */
export function goStruct(typeName: string, fields: ReadonlyArray<readonly [string, string]>): GoStringer {
  return new GoStringer(`${typeName}{${fields.map(([name, value]) => `${name}:${goQuote(value)}`).join(', ')}}`);
}
