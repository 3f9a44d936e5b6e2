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

/** Canonical texts by input text (null: not a quantity); bounded, and only for short inputs. */
const CANONICAL = new Map<string, string | null>();
const CACHE_ENTRIES = 1024;
const CACHED_TEXT_LENGTH = 64;

function parseCanonical(text: string): string | undefined {
  try {
    return roundUpToMilli(Quantity.parse(text)).toString();
  } catch {
    return undefined;
  }
}

/** The canonical text of a quantity written as a JSON string or number, or undefined if invalid. */
export function canonicalQuantity(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  if (text.length > CACHED_TEXT_LENGTH) return parseCanonical(text);
  const cached = CANONICAL.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const canonical = parseCanonical(text);
  if (CANONICAL.size >= CACHE_ENTRIES) CANONICAL.clear();
  CANONICAL.set(text, canonical ?? null);
  return canonical;
}

export function defaultResourceList(list: unknown): void {
  if (!isObject(list)) return;
  const resources: JsonObject = list;
  for (const name of Object.keys(resources)) {
    const value = resources[name];
    const canonical = canonicalQuantity(value);
    if (canonical !== undefined && canonical !== value) resources[name] = canonical;
  }
  sortMapKeys(resources);
}
