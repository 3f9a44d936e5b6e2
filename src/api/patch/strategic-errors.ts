/**
 * The errors of apimachinery's strategicpatch and mergepatch packages, with their texts and
 * the status kube-apiserver gives each (interpretStrategicMergePatchError): the malformed
 * directive errors are 400, lists of lists 422, everything else a plain 500.
 */
import { goQuote } from '../go-format.js';
import { goFormat, goTypeString } from './go-value.js';
import { PatchError } from './patch-error.js';

export const DIRECTIVE_MARKER = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

export const badPatchFormatForPrimitiveList = (): PatchError =>
  PatchError.badRequest('invalid patch format of primitive list');

export const badPatchFormatForRetainKeys = (): PatchError => PatchError.badRequest('invalid patch format of retainKeys');

export const badPatchFormatForSetElementOrderList = (): PatchError =>
  PatchError.badRequest('invalid patch format of setElementOrder list');

export const noListOfLists = (): PatchError => PatchError.invalid('lists of lists are not supported');

/** ErrBadArgType: `expected a []interface {}, but received a string`. */
export const badArgType = (expectedType: string, actual: unknown): PatchError =>
  PatchError.unknown(`expected a ${expectedType}, but received a ${goTypeString(actual)}`);

export const noMergeKey = (item: unknown, mergeKey: string): PatchError =>
  PatchError.unknown(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);

export const badPatchType = (directive: unknown, map: unknown): PatchError =>
  PatchError.unknown(`unknown patch type: ${goFormat(directive, 's')} in map: ${goFormat(map)}`);

export const notAMap = (index: number): PatchError => PatchError.unknown(`value for key ${index} is not a map`);

/** What the lookup of a field that the Go struct lacks fails with. */
export const fieldNotFound = (typeName: string, field: string): PatchError =>
  PatchError.unknown(`unable to find api field in struct ${typeName} for the json field ${goQuote(field)}`);

export const notASlice = (): PatchError => PatchError.unknown('expected slice or array type, but got: struct');

export const unexpectedPatchStrategy = (strategies: readonly string[]): PatchError =>
  PatchError.unknown(`unexpected patch strategy: ${goFormat(strategies)}`);

export const orderMismatch = (patchList: unknown, setOrderList: unknown): PatchError =>
  PatchError.unknown(
    `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goFormat(setOrderList)}\n`,
  );
