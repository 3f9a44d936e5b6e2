/**
 * Strategic merge patch helpers shared by map and list merging: field metadata lookups as
 * upstream's LookupPatchMeta answers them, directive-key parsing and directive stripping.
 */
import { isJsonMap } from './go-value.js';
import type { PatchMeta } from './patch-meta.js';
import {
  badPatchFormatForPrimitiveList,
  badPatchFormatForSetElementOrderList,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  fieldNotFound,
  notASlice,
  unexpectedPatchStrategy,
} from './strategic-errors.js';

const RETAIN_KEYS = 'retainKeys';

/** A field's strategy other than `retainKeys` (extractRetainKeysPatchStrategy). */
export function mergeStrategyOf(meta: PatchMeta): string {
  const declared = meta.strategy().patchStrategy;
  const strategies = declared === undefined ? [] : declared.split(',');
  const [first = '', second = ''] = strategies;
  if (strategies.length === 1) return first === RETAIN_KEYS ? '' : first;
  if (strategies.length === 2) {
    if (first === RETAIN_KEYS) return second;
    if (second === RETAIN_KEYS) return first;
  }
  if (strategies.length >= 2) throw unexpectedPatchStrategy(strategies);
  return '';
}

/** The metadata of an object's field; failing, as upstream does, for a field the type lacks. */
export function lookupField(meta: PatchMeta, name: string): PatchMeta {
  const field = meta.field(name);
  if (field === undefined) throw fieldNotFound(meta.typeName(), name);
  return field;
}

export interface ListField {
  readonly itemMeta: PatchMeta;
  readonly strategy: string;
  readonly mergeKey: string;
}

/** The metadata of a list field and of its items. */
export function lookupListField(meta: PatchMeta, name: string): ListField {
  const field = lookupField(meta, name);
  const itemMeta = field.items();
  if (itemMeta === undefined) throw notASlice();
  return { itemMeta, strategy: mergeStrategyOf(field), mergeKey: field.strategy().patchMergeKey ?? '' };
}

/** The field a `$setElementOrder/<field>` or `$deleteFromPrimitiveList/<field>` key names. */
export function directiveField(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX ? badPatchFormatForPrimitiveList() : badPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

/**
 * Drops every map carrying `$patch` (and the field or item holding it) from a value taken from
 * the patch as is; `keep` is false when the value itself is such a map. Mutates maps in place.
 */
export function removeDirectives(value: unknown): { value: unknown; keep: boolean } {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const cleaned = removeDirectives(item);
      if (cleaned.keep) out.push(cleaned.value);
    }
    return { value: out, keep: true };
  }
  if (isJsonMap(value)) {
    if (Object.hasOwn(value, DIRECTIVE_MARKER)) return { value: null, keep: false };
    for (const [key, item] of Object.entries(value)) {
      const cleaned = removeDirectives(item);
      if (cleaned.keep) value[key] = cleaned.value;
      else delete value[key];
    }
  }
  return { value, keep: true };
}

/** discardNullValuesFromPatch: removes null members of maps, at any depth, in place. */
export function discardNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) discardNulls(item);
  } else if (isJsonMap(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (item === null) delete value[key];
      else discardNulls(item);
    }
  }
}
