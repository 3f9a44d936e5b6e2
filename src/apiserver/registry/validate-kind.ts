import type { FieldError } from '../../api/index.js';
import type { KubeObject } from '../kube-object.js';

/** Kind-specific validation (src/api/validation), behind one function the store calls. */
export function validateKind(_group: string, _version: string, _kind: string, _obj: KubeObject, _old: KubeObject | undefined): FieldError[] {
  return [];
}
