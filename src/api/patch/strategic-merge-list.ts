/**
 * Merging one list field of a strategic merge patch (upstream's mergeSliceHandler/mergeSlice):
 * lists with strategy `merge` merge primitives as a set and maps by merge key, honouring
 * `$patch: delete` / `$patch: replace` items; other lists are replaced by the patch's.
 */
import { goEqual, MAP_TYPE, SLICE_TYPE, type JsonMap } from './go-value.js';
import { PatchError } from './patch-error.js';
import type { PatchMeta } from './patch-meta.js';
import { badArgType, badPatchType, DIRECTIVE_MARKER, noMergeKey } from './strategic-errors.js';
import { findMapByKey, normalizeElementOrder, partitionByPresence, sliceElementType } from './strategic-list-order.js';

/** Merges a patch map into an original map, mutating and returning the original. */
export type MapMerger = (original: JsonMap, patch: JsonMap, meta: PatchMeta) => JsonMap;

export interface ListMerge {
  /** The metadata of the list's items. */
  readonly itemMeta: PatchMeta;
  /** The field's patch strategy without `retainKeys`: `merge` or anything else. */
  readonly strategy: string;
  readonly mergeKey: string;
  /** A `$deleteFromPrimitiveList/<field>` list: its values are removed from the field. */
  readonly isDeleteList: boolean;
  readonly mergeMap: MapMerger;
}

/** deduplicateScalars, whose swap-with-last removal the later ordering makes invisible. */
function deduplicate(list: unknown[]): unknown[] {
  const s = [...list];
  let last = s.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (goEqual(s[i], s[j])) {
        s[j] = s[last];
        s.length = last;
        last--;
        j--;
      }
    }
  }
  return s;
}

/**
 * The original list as Go's slice aliasing leaves it: deleting an item shifts the rest left in
 * the original's array, and items appended afterwards land in the freed slots, where the
 * caller's view of the original (`$setElementOrder`'s server order) sees them.
 */
class AliasedOriginal {
  readonly view: unknown[];
  length: number;

  constructor(original: readonly unknown[]) {
    this.view = [...original];
    this.length = original.length;
  }

  current(): unknown[] {
    return this.view.slice(0, this.length);
  }

  removeAt(index: number): void {
    this.view.copyWithin(index, index + 1, this.length);
    this.length--;
  }

  append(item: unknown): void {
    if (this.length < this.view.length) this.view[this.length] = item;
    this.length++;
  }
}

/** Applies `$patch` items to the original; returns the plain patch items and whether to replace. */
function applySpecialItems(original: AliasedOriginal, patch: unknown[], mergeKey: string): { plain: unknown[]; replace: boolean } {
  const plain: unknown[] = [];
  let replace = false;
  for (const entry of patch) {
    const item = entry as JsonMap;
    if (!Object.hasOwn(item, DIRECTIVE_MARKER)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE_MARKER];
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      for (let at = findMapByKey(original.current(), mergeKey, item[mergeKey]); at >= 0; ) {
        original.removeAt(at);
        at = findMapByKey(original.current(), mergeKey, item[mergeKey]);
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw PatchError.unknown('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, item);
    }
  }
  return { plain, replace };
}

function mergeByKey(base: readonly unknown[], patch: readonly unknown[], how: ListMerge, aliased?: AliasedOriginal): unknown[] {
  const out = [...base];
  for (const entry of patch) {
    const item = entry as JsonMap;
    if (!Object.hasOwn(item, how.mergeKey)) throw noMergeKey(item, how.mergeKey);
    const index = findMapByKey(out, how.mergeKey, item[how.mergeKey]);
    if (index >= 0) {
      out[index] = how.mergeMap(out[index] as JsonMap, item, how.itemMeta);
    } else {
      out.push(item);
      aliased?.append(item);
    }
  }
  return out;
}

export interface MergedList {
  readonly merged: unknown[];
  /** The original list as the caller's reference to it reads afterwards (see AliasedOriginal). */
  readonly originalAfter: unknown[];
}

function mergeSlice(original: unknown[], patch: unknown[], how: ListMerge): MergedList {
  if (original.length === 0 && patch.length === 0) return { merged: original, originalAfter: original };
  const elementType = sliceElementType(original, patch);
  if (elementType !== MAP_TYPE) {
    if (how.isDeleteList) return { merged: original.filter((v) => !patch.some((d) => goEqual(d, v))), originalAfter: original };
    const merged = deduplicate([...original, ...patch]);
    const [present, serverOnly] = partitionByPresence(merged, patch, how.mergeKey);
    return { merged: normalizeElementOrder(present, serverOnly, patch, original, how.mergeKey, elementType), originalAfter: original };
  }
  if (how.mergeKey === '') throw PatchError.unknown('cannot merge lists without merge key for struct');
  const aliased = new AliasedOriginal(original);
  const { plain, replace } = applySpecialItems(aliased, patch, how.mergeKey);
  const base = replace ? plain : aliased.current();
  const patchItems = replace ? [] : plain;
  const merged = mergeByKey(base, patchItems, how, replace ? undefined : aliased);
  const [present, serverOnly] = partitionByPresence(merged, patchItems, how.mergeKey);
  return {
    merged: normalizeElementOrder(present, serverOnly, patchItems, base, how.mergeKey, elementType),
    originalAfter: aliased.view,
  };
}

/** The merged value of a list field present, as a list, in both the original and the patch. */
export function mergeListField(original: unknown, patch: unknown, how: ListMerge): MergedList {
  if (!Array.isArray(original)) throw badArgType(SLICE_TYPE, original);
  if (!Array.isArray(patch)) throw badArgType(SLICE_TYPE, patch);
  if (how.strategy === 'merge' || how.isDeleteList) return mergeSlice(original, patch, how);
  return { merged: patch, originalAfter: original };
}
