/**
 * The order strategic merge patch gives a merged list: items named by the patch (or by
 * `$setElementOrder`) take the patch's order, the server's other items keep theirs, and the two
 * runs interleave so that each server item stays ahead of the patch items that followed it on
 * the server. Items are matched by merge key value (lists of maps) or by value (primitives).
 */
import { goSliceStable } from './go-stable-sort.js';
import { goEqual, goFormat, goTypeName, isJsonMap, MAP_TYPE, SLICE_TYPE } from './go-value.js';
import { PatchError } from './patch-error.js';
import { badArgType, DIRECTIVE_MARKER, noListOfLists, noMergeKey, notAMap } from './strategic-errors.js';

/**
 * The common element type (reflect's name) of lists that must all hold the same type: lists of
 * lists are refused, and so are mixed or wholly empty lists.
 */
export function sliceElementType(...lists: readonly (readonly unknown[])[]): string {
  let previous: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = goTypeName(item);
      if (previous === undefined) {
        if (type === undefined) throw PatchError.panic();
        if (type === SLICE_TYPE) throw noListOfLists();
        previous = type;
      } else if (type !== previous) {
        throw PatchError.unknown(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (previous === undefined) throw PatchError.unknown('no elements in any of the given slices');
  return previous;
}

/** The position of the list item matching `item` (by merge key value for maps), or -1. */
function indexIn(list: readonly unknown[], item: unknown, mergeKey: string, mapKind: boolean): number {
  const keyOf = (v: unknown): unknown => (!mapKind ? v : isJsonMap(v) && Object.hasOwn(v, mergeKey) ? v[mergeKey] : null);
  const wanted = keyOf(item);
  return list.findIndex((v) => goEqual(keyOf(v), wanted));
}

/** The position of the map whose `key` equals `value`, or -1; every item must be a map. */
export function findMapByKey(list: readonly unknown[], key: string, value: unknown): number {
  for (const [i, item] of list.entries()) {
    if (!isJsonMap(item)) throw notAMap(i);
    if (Object.hasOwn(item, key) && goEqual(item[key], value)) return i;
  }
  return -1;
}

/** Splits `items` into those present in `by` and the rest, keeping their order. */
export function partitionByPresence(items: readonly unknown[], by: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of items) {
    let found: boolean;
    if (mergeKey === '') {
      found = by.some((v) => goEqual(v, item));
    } else {
      if (!isJsonMap(item)) throw badArgType(MAP_TYPE, item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      found = findMapByKey(by, mergeKey, item[mergeKey]) >= 0;
    }
    (found ? present : absent).push(item);
  }
  return [present, absent];
}

/** Items marked `$patch: delete`, split from the rest; every item must be a map. */
export function splitDeleteItems(list: readonly unknown[]): [unknown[], unknown[]] {
  const kept: unknown[] = [];
  const deleted: unknown[] = [];
  for (const item of list) {
    if (!isJsonMap(item)) throw badArgType(MAP_TYPE, item);
    (item[DIRECTIVE_MARKER] === 'delete' ? deleted : kept).push(item);
  }
  return [kept, deleted];
}

function sortByOrder(items: unknown[], order: readonly unknown[], mergeKey: string, mapKind: boolean): unknown[] {
  let deleted: unknown[] = [];
  let toSort = items;
  if (mapKind) {
    for (const item of [...items, ...order]) {
      if (!isJsonMap(item)) throw badArgType(MAP_TYPE, item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
    [toSort, deleted] = splitDeleteItems(items);
  }
  goSliceStable(toSort, (a, b) => {
    const ia = indexIn(order, a, mergeKey, mapKind);
    const ib = ia >= 0 ? indexIn(order, b, mergeKey, mapKind) : -1;
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  });
  return [...toSort, ...deleted];
}

/**
 * Interleaves the server-only run into the patch run: a server item goes first only when both
 * it and the next patch item are on the server and it was ahead there.
 */
function interleave(serverOnly: readonly unknown[], patch: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string, mapKind: boolean): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patch.length) {
    if (i >= serverOnly.length) out.push(patch[j++]);
    else if (j >= patch.length) out.push(serverOnly[i++]);
    else {
      const li = indexIn(serverOrder, serverOnly[i], mergeKey, mapKind);
      const ri = indexIn(serverOrder, patch[j], mergeKey, mapKind);
      out.push(li >= 0 && ri >= 0 && li < ri ? serverOnly[i++] : patch[j++]);
    }
  }
  return out;
}

/** normalizeElementOrder: sorts each run by its order list, then interleaves them. */
export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  elementType: string,
): unknown[] {
  const mapKind = elementType === MAP_TYPE;
  const patchRun = sortByOrder(patchItems, patchOrder, mergeKey, mapKind);
  const serverRun = sortByOrder(serverOnly, serverOrder, mergeKey, mapKind);
  return interleave(serverRun, patchRun, serverOrder, mergeKey, mapKind);
}
