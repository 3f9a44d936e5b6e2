/**
 * rbac.authorization.k8s.io/v1 validation: policy rules of Roles and ClusterRoles (with
 * aggregation selectors), role references and subjects of bindings.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { invalid, notSupported, required, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain, nameIsPathSegment } from '../name-validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import { goLabelSelector, goStrings, goStruct } from './go-syntax.js';
import { selectorFromSpec, validateLabelSelector } from './label-selector-validation.js';
import { asObject, isObject, objectsOf, str, stringsOf, type JsonObject } from './validation-util.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function metaOf(obj: JsonObject): ObjectMeta {
  return asObject(obj['metadata']) as ObjectMeta;
}

function validatePolicyRule(rule: JsonObject, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (stringsOf(rule['verbs']).length === 0) errs.push(required(path.child('verbs'), 'verbs must contain at least one value'));
  const urls = stringsOf(rule['nonResourceURLs']);
  const groups = stringsOf(rule['apiGroups']);
  const resources = stringsOf(rule['resources']);
  const names = stringsOf(rule['resourceNames']);
  if (urls.length > 0) {
    const urlsValue = goStrings(urls);
    if (namespaced) errs.push(invalid(path.child('nonResourceURLs'), urlsValue, 'namespaced rules cannot apply to non-resource URLs'));
    if (groups.length > 0 || resources.length > 0 || names.length > 0) {
      errs.push(invalid(path.child('nonResourceURLs'), urlsValue, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (groups.length === 0) errs.push(required(path.child('apiGroups'), 'resource rules must supply at least one api group'));
  if (resources.length === 0) errs.push(required(path.child('resources'), 'resource rules must supply at least one resource'));
  if (names.length > 0 && resources.length > 1) {
    errs.push(required(path.child('resourceNames'), 'resource names cannot apply to multiple resources'));
  }
  return errs;
}

function validateRules(obj: JsonObject, namespaced: boolean): FieldError[] {
  return objectsOf(obj['rules']).flatMap((rule, i) => validatePolicyRule(rule, namespaced, FieldPath.of('rules').index(i)));
}

export function validateRole(role: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(role), { requiresNamespace: true, nameValidator: nameIsPathSegment });
  return [...errs, ...validateRules(role, true)];
}

export function validateClusterRole(role: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(role), { requiresNamespace: false, nameValidator: nameIsPathSegment });
  errs.push(...validateRules(role, false));
  const aggregation = role['aggregationRule'];
  if (isObject(aggregation)) {
    const path = FieldPath.of('aggregationRule', 'clusterRoleSelectors');
    const selectors = objectsOf(aggregation['clusterRoleSelectors']);
    if (selectors.length === 0) errs.push(required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((selector, i) => {
      errs.push(...validateLabelSelector(selector, path.index(i)));
      if (selectorFromSpec(selector) === undefined) errs.push(invalid(path.index(i), goLabelSelector(selector), 'invalid label selector.'));
    });
  }
  return errs;
}

function validateSubject(subject: JsonObject, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(subject['name']);
  const apiGroup = str(subject['apiGroup']);
  if (name === '') errs.push(required(path.child('name')));
  switch (str(subject['kind'])) {
    case 'ServiceAccount':
      if (name !== '') errs.push(...nameIsDNSSubdomain(name, false).map((msg) => invalid(path.child('name'), name, msg)));
      if (apiGroup !== '') errs.push(notSupported(path.child('apiGroup'), apiGroup, ['']));
      if (!namespaced && str(subject['namespace']) === '') errs.push(required(path.child('namespace')));
      break;
    case 'User':
    case 'Group': {
      const what = subject['kind'] === 'User' ? 'user' : 'group';
      if (name === '') errs.push(invalid(path.child('name'), name, `${what} name cannot be empty`));
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(path.child('apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    }
    default:
      errs.push(notSupported(path.child('kind'), str(subject['kind']), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(binding: JsonObject, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(metaOf(binding), { requiresNamespace: namespaced, nameValidator: nameIsPathSegment });
  const roleRef = asObject(binding['roleRef']);
  const refPath = FieldPath.of('roleRef');
  if (str(roleRef['apiGroup']) !== RBAC_GROUP) errs.push(notSupported(refPath.child('apiGroup'), str(roleRef['apiGroup']), [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(str(roleRef['kind']))) errs.push(notSupported(refPath.child('kind'), str(roleRef['kind']), kinds));
  const name = str(roleRef['name']);
  if (name === '') errs.push(required(refPath.child('name')));
  else errs.push(...nameIsPathSegment(name, false).map((msg) => invalid(refPath.child('name'), name, msg)));
  objectsOf(binding['subjects']).forEach((subject, i) => errs.push(...validateSubject(subject, namespaced, FieldPath.of('subjects').index(i))));
  return errs;
}

export function validateRoleBinding(binding: JsonObject): FieldError[] {
  return validateBinding(binding, true);
}

export function validateClusterRoleBinding(binding: JsonObject): FieldError[] {
  return validateBinding(binding, false);
}

function roleRefUnchanged(binding: JsonObject, old: JsonObject): FieldError[] {
  const ref = asObject(binding['roleRef']);
  const oldRef = asObject(old['roleRef']);
  const same = ['apiGroup', 'kind', 'name'].every((key) => str(ref[key]) === str(oldRef[key]));
  if (same) return [];
  const shown = goStruct('rbac.RoleRef', [
    ['APIGroup', str(ref['apiGroup'])],
    ['Kind', str(ref['kind'])],
    ['Name', str(ref['name'])],
  ]);
  return [invalid(FieldPath.of('roleRef'), shown, 'cannot change roleRef')];
}

export function validateRbacUpdate(kind: string, obj: JsonObject, old: JsonObject): FieldError[] {
  const create: Readonly<Record<string, (o: JsonObject) => FieldError[]>> = {
    Role: validateRole,
    ClusterRole: validateClusterRole,
    RoleBinding: validateRoleBinding,
    ClusterRoleBinding: validateClusterRoleBinding,
  };
  const errs = [...(create[kind]?.(obj) ?? []), ...validateObjectMetaUpdate(metaOf(obj), metaOf(old))];
  return kind.endsWith('Binding') ? [...errs, ...roleRefUnchanged(obj, old)] : errs;
}
