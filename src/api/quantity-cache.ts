/**
 * Quantity.parse behind a small cache: the same few texts (`100m`, `128Mi`) come back in every
 * object, and defaulting and validation parse each of them. Quantities are immutable, so one
 * instance serves every caller. Texts that do not parse are not cached (parse throws again).
 */
import { Quantity } from './quantity.js';

const PARSED = new Map<string, Quantity>();
const CACHE_ENTRIES = 1024;
const CACHED_TEXT_LENGTH = 64;

/** Quantity.parse(text), the same value and the same errors. */
export function parseQuantityCached(text: string): Quantity {
  if (text.length > CACHED_TEXT_LENGTH) return Quantity.parse(text);
  let quantity = PARSED.get(text);
  if (quantity === undefined) {
    quantity = Quantity.parse(text);
    if (PARSED.size >= CACHE_ENTRIES) PARSED.clear();
    PARSED.set(text, quantity);
  }
  return quantity;
}
