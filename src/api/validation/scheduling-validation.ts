/**
 * PriorityClass validation (pkg/apis/scheduling/validation): names with the `system-` prefix are reserved for the
 * built-in classes, user classes stay at or below 1,000,000,000, and value and preemptionPolicy never change.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { forbidden, notSupported, required, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain } from '../name-validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import { asObject, str, validateImmutableField, type JsonObject } from './validation-util.js';

export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

/** The built-in classes every cluster has (upstream's SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES = [
  {
    name: 'system-node-critical',
    value: 2_000_001_000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: 2_000_000_000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
] as const;

const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/** upstream's IsKnownSystemPriorityClass: why a `system-` class is not one of the built-in ones, or undefined. */
function systemClassProblem(name: string, value: unknown, globalDefault: unknown): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (value !== known.value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (globalDefault === true) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export function validatePriorityClass(pc: JsonObject): FieldError[] {
  const meta = asObject(pc['metadata']) as ObjectMeta;
  const errs = validateObjectMeta(meta, { requiresNamespace: false, nameValidator: nameIsDNSSubdomain });
  const name = meta.name ?? '';
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const problem = systemClassProblem(name, pc['value'], pc['globalDefault']);
    if (problem) {
      errs.push(forbidden(FieldPath.of('metadata', 'name'), `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${problem}`));
    }
  } else if (typeof pc['value'] === 'number' && pc['value'] > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden(FieldPath.of('value'), `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc['preemptionPolicy'] !== undefined) {
    const policy = str(pc['preemptionPolicy']);
    const path = FieldPath.of('preemptionPolicy');
    if (policy === '') errs.push(required(path));
    else if (!PREEMPTION_POLICIES.includes(policy)) errs.push(notSupported(path, policy, PREEMPTION_POLICIES));
  }
  return errs;
}

export function validatePriorityClassUpdate(pc: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(asObject(pc['metadata']) as ObjectMeta, asObject(old['metadata']) as ObjectMeta);
  if (pc['value'] !== old['value']) errs.push(forbidden(FieldPath.of('value'), 'may not be changed in an update.'));
  errs.push(...validateImmutableField(pc['preemptionPolicy'], old['preemptionPolicy'], FieldPath.of('preemptionPolicy')));
  return errs;
}
