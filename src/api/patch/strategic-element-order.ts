/**
 * `$setElementOrder/<field>` (upstream's mergePatchIntoOriginal): merges the named list with the
 * patch's list, if any, and orders the result by the directive, which must agree with the
 * patch list's own order. Items only the server has keep their place relative to the others.
 */
import { goEqual, isJsonMap, MAP_TYPE, SLICE_TYPE, type JsonMap } from './go-value.js';
import type { PatchMeta } from './patch-meta.js';
import { badArgType, DIRECTIVE_MARKER, noMergeKey, orderMismatch, SET_ELEMENT_ORDER_PREFIX } from './strategic-errors.js';
import { directiveField, lookupListField, removeDirectives } from './strategic-fields.js';
import { normalizeElementOrder, partitionByPresence, sliceElementType, splitDeleteItems } from './strategic-list-order.js';
import { mergeListField, type MapMerger } from './strategic-merge-list.js';

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return goEqual(left, right);
  if (!isJsonMap(left)) throw badArgType(MAP_TYPE, left);
  if (!isJsonMap(right)) throw badArgType(MAP_TYPE, right);
  if (!Object.hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return goEqual(left[mergeKey], right[mergeKey]);
}

/** The patch list's items, other than `$patch` ones, must appear in the directive's order. */
function checkOrderAgrees(patchList: readonly unknown[], order: readonly unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey === '' ? patchList : splitDeleteItems(patchList)[0];
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isJsonMap(item) && Object.hasOwn(item, DIRECTIVE_MARKER)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) throw orderMismatch(patchList, order);
}

function listAt(map: JsonMap, field: string): unknown[] | undefined {
  if (!Object.hasOwn(map, field)) return undefined;
  const value = map[field];
  if (!Array.isArray(value)) throw badArgType(SLICE_TYPE, value);
  return value;
}

/**
 * Handles every `$setElementOrder/` key of `patch`: the ordered list lands in `original`, and
 * the directive and the list it covers leave `patch`.
 */
export function applySetElementOrder(original: JsonMap, patch: JsonMap, meta: PatchMeta, mergeMap: MapMerger): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX) || !Object.hasOwn(patch, key)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType(SLICE_TYPE, order);
    const field = directiveField(key, SET_ELEMENT_ORDER_PREFIX);
    const originalList = listAt(original, field);
    const patchList = listAt(patch, field);
    const list = lookupListField(meta, field);
    checkOrderAgrees(patchList ?? [], order, list.mergeKey);

    let merged: unknown[];
    let serverOrder = originalList ?? [];
    if (originalList !== undefined && patchList !== undefined) {
      ({ merged, originalAfter: serverOrder } = mergeListField(originalList, patchList, { ...list, isDeleteList: false, mergeMap }));
    } else if (originalList !== undefined) {
      merged = originalList;
    } else if (patchList !== undefined) {
      merged = removeDirectives(patchList).value as unknown[];
    } else {
      continue;
    }
    const [present, serverOnly] = partitionByPresence(merged, order, list.mergeKey);
    const elementType = sliceElementType(serverOrder, patchList ?? []);
    original[field] = normalizeElementOrder(present, serverOnly, order, serverOrder, list.mergeKey, elementType);
    delete patch[field];
  }
}
