/**
 * metav1 validation of structured label selectors (ValidateLabelSelector with
 * AllowInvalidLabelValueInSelector off) and of label maps.
 */
import { forbidden, invalid, required, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { LabelSelector, type LabelSelectorSpec } from '../label-selector.js';
import { isValidLabelValue } from '../names.js';
import { validateLabels } from '../object-meta.js';
import { isObject, objectsOf, str, stringMap, stringsOf, validateQualifiedName } from './validation-util.js';

export { validateLabels };

export function validateLabelSelector(selector: unknown, path: FieldPath): FieldError[] {
  if (!isObject(selector)) return [];
  const errs = validateLabels(stringMap(selector['matchLabels']), path.child('matchLabels'));
  objectsOf(selector['matchExpressions']).forEach((expr, i) => {
    const exprPath = path.child('matchExpressions').index(i);
    const operator = str(expr['operator']);
    const values = stringsOf(expr['values']);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        errs.push(required(exprPath.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        errs.push(forbidden(exprPath.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
    } else {
      errs.push(invalid(exprPath.child('operator'), operator, 'not a valid selector operator'));
    }
    errs.push(...validateQualifiedName(str(expr['key']), exprPath.child('key')));
    values.forEach((value, j) => {
      for (const msg of isValidLabelValue(value)) errs.push(invalid(exprPath.child('values').index(j), value, msg));
    });
  });
  return errs;
}

/** LabelSelectorAsSelector: undefined when the selector does not convert. */
export function selectorFromSpec(selector: unknown): LabelSelector | undefined {
  try {
    return LabelSelector.fromSpec(isObject(selector) ? (selector as LabelSelectorSpec) : null);
  } catch {
    return undefined;
  }
}

export function isEmptySelector(selector: unknown): boolean {
  if (!isObject(selector)) return false;
  const labels = selector['matchLabels'];
  const labelCount = isObject(labels) ? Object.keys(labels).length : 0;
  return labelCount + objectsOf(selector['matchExpressions']).length === 0;
}
