/**
 * Test fixture: the MergeItem type apimachinery's strategicpatch tests patch, described as
 * PatchMeta, so upstream's documented cases can be replayed against our implementation.
 */
import assert from 'node:assert/strict';
import { PatchError, type PatchErrorKind } from './patch-error.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { patchMetaFromLiteral, type PatchMeta, type PatchMetaLiteral } from './patch-meta.js';

function mergeItemLiteral(): PatchMetaLiteral {
  const mergeItem: { typeName: string; fields: Record<string, PatchMetaLiteral> } = { typeName: 'MergeItem', fields: {} };
  const mergingList: PatchMetaLiteral = { patchStrategy: 'merge', patchMergeKey: 'name', items: mergeItem };
  const common: Record<string, PatchMetaLiteral> = {
    name: {},
    value: {},
    other: {},
    simpleMap: { values: {} },
    mergingIntList: { patchStrategy: 'merge', items: {} },
    mergingList,
    nonMergingList: { items: mergeItem },
  };
  Object.assign(mergeItem.fields, common, {
    nonMergingIntList: { items: {} },
    mergeItemPtr: mergingList,
    replacingItem: { patchStrategy: 'replace', typeName: 'RawExtension', fields: {} },
    jsonItem: { fields: {} },
    retainKeysMap: { patchStrategy: 'retainKeys', typeName: 'RetainKeysMergeItem', fields: common },
    retainKeysMergingList: { ...mergingList, patchStrategy: 'merge,retainKeys' },
  });
  return mergeItem;
}

export const MERGE_ITEM_META: PatchMeta = patchMetaFromLiteral(mergeItemLiteral());

/** A patch applied to an original: the expected result, or the expected error kind and message. */
export interface StrategicCase {
  readonly name: string;
  readonly original: unknown;
  readonly patch: unknown;
  readonly expected?: unknown;
  readonly error?: readonly [PatchErrorKind, string];
}

/** Applies a case's patch with MERGE_ITEM_META and checks its result or error. */
export function checkStrategicCase(c: StrategicCase): void {
  const apply = (): unknown => applyStrategicMergePatch(c.original, c.patch, MERGE_ITEM_META);
  if (c.error === undefined) {
    assert.deepEqual(apply(), c.expected);
    return;
  }
  const [kind, message] = c.error;
  assert.throws(apply, (err: unknown) => err instanceof PatchError && err.kind === kind && err.message === message);
}
