/**
 * Namespace, Node and Lease validation (pkg/apis/core/validation, pkg/apis/coordination/validation).
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { GoStringer, duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { goQuote } from '../go-format.js';
import { nameIsDNSLabel, nameIsDNSSubdomain } from '../name-validation.js';
import { isValidLabelValue } from '../names.js';
import { validateKubeFinalizers, validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import { Quantity } from '../quantity.js';
import { goStrings } from './go-syntax.js';
import { validateResourceQuantityValue } from './resources-validation.js';
import { validateCIDR } from './service-ip-validation.js';
import { asObject, num, objectsOf, parseIPSloppy, str, stringsOf, validateQualifiedName, type JsonObject } from './validation-util.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function metaOf(obj: JsonObject): ObjectMeta {
  return asObject(obj['metadata']) as ObjectMeta;
}

export function validateNamespace(namespace: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(namespace), { requiresNamespace: false, nameValidator: nameIsDNSLabel });
  const path = FieldPath.of('spec', 'finalizers');
  for (const finalizer of stringsOf(asObject(namespace['spec'])['finalizers'])) {
    errs.push(...validateQualifiedName(finalizer, path));
    for (const error of validateKubeFinalizers([finalizer], path)) errs.push({ ...error, field: String(path) });
  }
  return errs;
}

export function validateNamespaceUpdate(namespace: JsonObject, old: JsonObject): FieldError[] {
  return [...validateNamespace(namespace), ...validateObjectMetaUpdate(metaOf(namespace), metaOf(old))];
}

function validateTaints(taints: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objectsOf(taints).forEach((taint, i) => {
    const itemPath = path.index(i);
    const key = str(taint['key']);
    const value = str(taint['value']);
    const effect = str(taint['effect']);
    errs.push(...validateQualifiedName(key, itemPath.child('key')));
    const msgs = isValidLabelValue(value);
    if (msgs.length > 0) errs.push(invalid(itemPath.child('value'), value, msgs.join(';')));
    if (effect === '') errs.push(required(itemPath.child('effect')));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(itemPath.child('effect'), effect, TAINT_EFFECTS));
    const pair = `${effect}/${key}`;
    if (seen.has(pair)) {
      const shown = new GoStringer(`core.Taint{Key:${goQuote(key)}, Value:${goQuote(value)}, Effect:${goQuote(effect)}, TimeAdded:(*v1.Time)(nil)}`);
      errs.push({ ...duplicate(itemPath, shown), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(pair);
  });
  return errs;
}

function validateNodeResources(node: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = asObject(node['status']);
  for (const list of ['capacity', 'allocatable']) {
    for (const [name, value] of Object.entries(asObject(status[list]))) {
      const path = FieldPath.of('status', list, name);
      try {
        errs.push(...validateResourceQuantityValue(name, Quantity.parse(str(value)), path));
      } catch (err) {
        errs.push(invalid(path, str(value), err instanceof Error ? err.message : String(err)));
      }
    }
  }
  return errs;
}

export function validateNode(node: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(node), { requiresNamespace: false, nameValidator: nameIsDNSSubdomain });
  const spec = asObject(node['spec']);
  errs.push(...validateTaints(spec['taints'], FieldPath.of('metadata', 'taints')));
  errs.push(...validateNodeResources(node));
  const cidrs = stringsOf(spec['podCIDRs']);
  const cidrsPath = FieldPath.of('spec', 'podCIDRs');
  cidrs.forEach((cidr, i) => errs.push(...validateCIDR(cidr, cidrsPath.index(i))));
  if (cidrs.length > 1) {
    const families = new Set(cidrs.map((cidr) => parseIPSloppy(cidr.split('/')[0] ?? '')));
    if (families.size !== cidrs.length || cidrs.length > 2) {
      errs.push(invalid(cidrsPath, goStrings(cidrs), 'may specify no more than one CIDR for each IP family'));
    }
    const seen = new Set<string>();
    cidrs.forEach((cidr, i) => {
      if (seen.has(cidr)) errs.push(duplicate(cidrsPath.index(i), cidr));
      seen.add(cidr);
    });
  }
  return errs;
}

export function validateNodeUpdate(node: JsonObject, old: JsonObject): FieldError[] {
  const errs = [...validateNode(node), ...validateObjectMetaUpdate(metaOf(node), metaOf(old)), ...validateNodeResources(node)];
  const seen = new Set<string>();
  objectsOf(asObject(node['status'])['addresses']).forEach((address, i) => {
    const key = `${str(address['type'])}/${str(address['address'])}`;
    if (seen.has(key)) {
      const shown = new GoStringer(`core.NodeAddress{Type:${goQuote(str(address['type']))}, Address:${goQuote(str(address['address']))}}`);
      errs.push(duplicate(FieldPath.of('status', 'addresses').index(i), shown));
    }
    seen.add(key);
  });
  const spec = asObject(node['spec']);
  const oldSpec = asObject(old['spec']);
  const oldCidrs = stringsOf(oldSpec['podCIDRs']);
  const cidrs = stringsOf(spec['podCIDRs']);
  const cidrMessage = 'node updates may not change podCIDR except from "" to valid';
  if (oldCidrs.length > 0) {
    if (oldCidrs.length !== cidrs.length) errs.push(forbidden(FieldPath.of('spec', 'podCIDRs'), cidrMessage));
    else {
      for (const [i, cidr] of oldCidrs.entries()) {
        if (cidr !== cidrs[i]) errs.push(forbidden(FieldPath.of('spec', 'podCIDRs'), cidrMessage));
      }
    }
  }
  const oldProvider = str(oldSpec['providerID']);
  if (oldProvider !== '' && oldProvider !== str(spec['providerID'])) {
    errs.push(forbidden(FieldPath.of('spec', 'providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  errs.push(...validateTaints(spec['taints'], FieldPath.of('metadata', 'taints')));
  if (str(spec['externalID']) !== str(oldSpec['externalID'])) errs.push(forbidden(FieldPath.of('spec', 'externalID'), 'may not be updated'));
  return errs;
}

function validateLeaseSpec(lease: JsonObject): FieldError[] {
  const spec = asObject(lease['spec']);
  const path = FieldPath.of('spec');
  const errs: FieldError[] = [];
  const duration = num(spec['leaseDurationSeconds']);
  if (duration !== undefined && duration <= 0) errs.push(invalid(path.child('leaseDurationSeconds'), duration, 'must be greater than 0'));
  const transitions = num(spec['leaseTransitions']);
  if (transitions !== undefined && transitions < 0) {
    errs.push(invalid(path.child('leaseTransitions'), transitions, 'must be greater than or equal to 0'));
  }
  const strategy = spec['strategy'];
  if (strategy !== undefined && strategy !== null) {
    const value = str(strategy);
    const strategyPath = path.child('strategy', 'strategy');
    if (!value.includes('/')) {
      if (value !== 'OldestEmulationVersion') errs.push(notSupported(strategyPath, value, ['OldestEmulationVersion']));
    } else errs.push(...validateQualifiedName(value, strategyPath));
  }
  const holder = str(spec['preferredHolder']);
  if (holder !== '' && str(strategy) === '') {
    errs.push(forbidden(path.child('preferredHolder'), 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

export function validateLease(lease: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(lease), { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  return [...errs, ...validateLeaseSpec(lease)];
}

export function validateLeaseUpdate(lease: JsonObject, old: JsonObject): FieldError[] {
  return [...validateObjectMetaUpdate(metaOf(lease), metaOf(old)), ...validateLeaseSpec(lease)];
}
