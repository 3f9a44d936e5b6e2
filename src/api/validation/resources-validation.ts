/**
 * Container resource requirements (validateResourceRequirements): resource names, quantities,
 * requests not above limits, hugepages rules and claim references.
 */
import { GoStringer, duplicate, forbidden, invalid, notFound, required, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { isQualifiedName } from '../names.js';
import type { Quantity } from '../quantity.js';
import { parseQuantityCached } from '../quantity-cache.js';
import {
  IS_NEGATIVE_ERROR_MSG,
  isObject,
  objectsOf,
  str,
  validateDNS1123Label,
  validateQualifiedName,
  type JsonObject,
} from './validation-util.js';

const STANDARD_RESOURCES: ReadonlySet<string> = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'quotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const STANDARD_CONTAINER_RESOURCES: ReadonlySet<string> = new Set(['cpu', 'memory', 'ephemeral-storage']);
const INTEGER_RESOURCES: ReadonlySet<string> = new Set([
  'pods',
  'quotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
const QOS_RESOURCES: ReadonlySet<string> = new Set(['cpu', 'memory']);

const isHugePage = (name: string): boolean => name.startsWith('hugepages-');
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');

export function isExtendedResourceName(name: string): boolean {
  if (isNative(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

const isOvercommitAllowed = (name: string): boolean => isNative(name) && !isHugePage(name);

function validateResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateQualifiedName(name, path);
  if (errs.length > 0) return errs;
  const standard = STANDARD_RESOURCES.has(name) || isHugePage(name) || name.startsWith('requests.hugepages-');
  if (!name.includes('/') && !standard) errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  return errs;
}

export function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  if (STANDARD_CONTAINER_RESOURCES.has(name)) return [];
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePage(name)) {
      errs.push(invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNative(name) && !isExtendedResourceName(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** Upstream prints a resource.Quantity bad value with %#v; this is its int64 form. */
function goQuantity(quantity: Quantity, text: string): GoStringer {
  return new GoStringer(
    `resource.Quantity{i:resource.int64Amount{value:${quantity.milliValue()}, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"${text}", Format:"${quantity.format}"}`,
  );
}

function parseQuantity(value: unknown, path: FieldPath, errs: FieldError[]): Quantity | undefined {
  try {
    return parseQuantityCached(str(value));
  } catch (err) {
    errs.push(invalid(path, str(value), err instanceof Error ? err.message : String(err)));
    return undefined;
  }
}

export function validateResourceQuantityValue(name: string, quantity: Quantity, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (quantity.sign() < 0) errs.push(invalid(path, quantity.toString(), IS_NEGATIVE_ERROR_MSG));
  if ((INTEGER_RESOURCES.has(name) || isExtendedResourceName(name)) && quantity.milliValue() % 1000n !== 0n) {
    errs.push(invalid(path, goQuantity(quantity, quantity.toString()), 'must be an integer'));
  }
  return errs;
}

function hugePageError(name: string, quantity: Quantity): string | undefined {
  let pageSize: Quantity;
  try {
    pageSize = parseQuantityCached(name.slice('hugepages-'.length));
  } catch {
    return `${quantity.toString()} is not positive integer multiple of ${name}`;
  }
  const size = pageSize.value();
  const divisible = pageSize.sign() > 0 && pageSize.milliValue() % 1000n === 0n && quantity.value() % size === 0n;
  return divisible ? undefined : `${quantity.toString()} is not positive integer multiple of ${name}`;
}

function validateClaims(claims: unknown, podClaimNames: ReadonlySet<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objectsOf(claims).forEach((claim, i) => {
    const name = str(claim['name']);
    const request = str(claim['request']);
    if (name === '') {
      errs.push(required(path.index(i)));
      return;
    }
    if (names.has(name)) errs.push(duplicate(path.index(i), name));
    else {
      const key = request === '' ? name : `${name}/${request}`;
      if (request !== '') errs.push(...validateDNS1123Label(request, path.index(i).child('request')));
      if (names.has(key)) errs.push(duplicate(path.index(i), key));
      else if (request === '' && [...names].some((k) => k.startsWith(`${name}/`))) errs.push(duplicate(path.index(i), name));
      names.add(key);
    }
    if (!podClaimNames.has(name)) {
      const known = [...podClaimNames].sort();
      const detail = known.length === 0 ? ' which is empty' : `: ${known.join(', ')}`;
      errs.push({ ...notFound(path.index(i), name), detail: `must be one of the names in pod.spec.resourceClaims${detail}` });
    }
  });
  return errs;
}

export function validateResourceRequirements(
  resources: unknown,
  path: FieldPath,
  podClaimNames: ReadonlySet<string> = new Set(),
): FieldError[] {
  const errs: FieldError[] = [];
  const requirements: JsonObject = isObject(resources) ? resources : {};
  const limits = isObject(requirements['limits']) ? requirements['limits'] : {};
  const requests = isObject(requirements['requests']) ? requirements['requests'] : {};
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const parsedLimits = new Map<string, Quantity>();
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, value] of Object.entries(limits)) {
    const fieldPath = limPath.key(name);
    errs.push(...validateContainerResourceName(name, fieldPath));
    const quantity = parseQuantity(value, fieldPath, errs);
    if (!quantity) continue;
    parsedLimits.set(name, quantity);
    errs.push(...validateResourceQuantityValue(name, quantity, fieldPath));
    if (isHugePage(name)) {
      hugePages = true;
      const message = hugePageError(name, quantity);
      if (message) errs.push(invalid(fieldPath, quantity.toString(), message));
    }
    if (QOS_RESOURCES.has(name)) cpuOrMemory = true;
  }
  for (const [name, value] of Object.entries(requests)) {
    const fieldPath = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, fieldPath));
    const quantity = parseQuantity(value, fieldPath, errs);
    if (!quantity) continue;
    errs.push(...validateResourceQuantityValue(name, quantity, fieldPath));
    const limit = parsedLimits.get(name);
    if (limit) {
      if (quantity.cmp(limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, quantity.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (quantity.cmp(limit) > 0) {
        errs.push(invalid(reqPath, quantity.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
      }
    } else if (!isOvercommitAllowed(name) && !(name in limits)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePage(name)) {
      hugePages = true;
      const message = hugePageError(name, quantity);
      if (message) errs.push(invalid(fieldPath, quantity.toString(), message));
    }
    if (QOS_RESOURCES.has(name)) cpuOrMemory = true;
  }
  if (!cpuOrMemory && hugePages) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  if (requirements['claims'] !== undefined) errs.push(...validateClaims(requirements['claims'], podClaimNames, path.child('claims')));
  return errs;
}
