import { validateObject, type FieldError } from '../../api/index.js';
import type { KubeObject } from '../kube-object.js';

/** Kind-specific validation (src/api/validation) in the shape the store calls it. */
export function validateKind(group: string, version: string, kind: string, obj: KubeObject, old: KubeObject | undefined, subresource?: string): FieldError[] {
  return validateObject(group, version, kind, obj, old === undefined ? {} : { old, subresource });
}
