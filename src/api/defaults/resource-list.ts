/**
 * SetDefaults_ResourceList: every quantity is rounded up to milli precision, and written back in
 * the canonical form kube-apiserver serialises. Values that do not parse are left for
 * validation to report.
 */
import { Quantity } from '../quantity.js';
import { isObject, sortMapKeys, type JsonObject } from './field-order.js';

export function roundUpToMilli(quantity: Quantity): Quantity {
  const milli = Quantity.fromMilli(quantity.milliValue(), quantity.format);
  return milli.cmp(quantity) === 0 ? quantity : milli;
}

/** The canonical text of a quantity written as a JSON string or number, or undefined if invalid. */
export function canonicalQuantity(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return roundUpToMilli(Quantity.parse(String(value))).toString();
  } catch {
    return undefined;
  }
}

export function defaultResourceList(list: unknown): void {
  if (!isObject(list)) return;
  const resources: JsonObject = list;
  for (const [name, value] of Object.entries(resources)) {
    const canonical = canonicalQuantity(value);
    if (canonical !== undefined) resources[name] = canonical;
  }
  sortMapKeys(resources);
}
