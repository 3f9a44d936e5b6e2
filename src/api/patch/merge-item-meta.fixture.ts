/**
 * Test fixture: the MergeItem type apimachinery's strategicpatch tests patch, described as
 * PatchMeta, so upstream's documented cases can be replayed against our implementation.
 */
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
