/**
 * Downward API references (validateObjectFieldSelector, validateContainerResourceFieldSelector)
 * shared by env vars and downwardAPI volume files.
 */
import { invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { parseQuantityCached } from '../quantity-cache.js';
import { asObject, str, validateQualifiedName } from './validation-util.js';

export const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
].sort();
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const RESOURCE_FIELD_PATHS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];
const CONVERTIBLE_LABELS: ReadonlySet<string> = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);
const BINARY_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const trimmed = fieldPath.slice(0, -2);
  const at = trimmed.indexOf("['");
  if (at <= 0) return undefined;
  return [trimmed.slice(0, at), trimmed.slice(at + 2)];
}

/** ConvertDownwardAPIFieldLabel: the internal field path, or the conversion error. */
function convertFieldLabel(apiVersion: string, label: string): { path: string } | { error: string } {
  if (apiVersion !== 'v1') return { error: `unsupported pod version: ${apiVersion}` };
  const subscripted = splitSubscript(label);
  if (subscripted) {
    const [path] = subscripted;
    return path === 'metadata.annotations' || path === 'metadata.labels'
      ? { path: label }
      : { error: `field label does not support subscript: ${label}` };
  }
  if (CONVERTIBLE_LABELS.has(label)) return { path: label };
  if (label === 'spec.host') return { path: 'spec.nodeName' };
  return { error: `field label not supported: ${label}` };
}

export function validateObjectFieldSelector(selector: unknown, expressions: readonly string[], path: FieldPath): FieldError[] {
  const fs = asObject(selector);
  const apiVersion = str(fs['apiVersion']);
  const fieldPath = str(fs['fieldPath']);
  if (apiVersion === '') return [required(path.child('apiVersion'))];
  if (fieldPath === '') return [required(path.child('fieldPath'))];
  const converted = convertFieldLabel(apiVersion, fieldPath);
  if ('error' in converted) {
    return [invalid(path.child('fieldPath'), fieldPath, `error converting fieldPath: ${converted.error}`)];
  }
  const subscripted = splitSubscript(converted.path);
  if (subscripted) {
    const [base, subscript] = subscripted;
    if (base === 'metadata.annotations') return validateQualifiedName(subscript.toLowerCase(), path);
    if (base === 'metadata.labels') return validateQualifiedName(subscript, path);
    return [invalid(path, base, 'does not support subscript')];
  }
  return expressions.includes(converted.path) ? [] : [notSupported(path.child('fieldPath'), converted.path, expressions)];
}

function validateDivisor(resource: string, divisor: unknown, path: FieldPath): FieldError[] {
  if (divisor === undefined || divisor === null) return [];
  let text: string;
  try {
    const quantity = parseQuantityCached(str(divisor));
    if (quantity.isZero()) return [];
    text = quantity.toString();
  } catch {
    return [];
  }
  const divisorPath = path.child('divisor');
  if (resource === 'limits.cpu' || resource === 'requests.cpu') {
    return ['1m', '1'].includes(text) ? [] : [invalid(divisorPath, resource, "only divisor's values 1m and 1 are supported with the cpu resource")];
  }
  const kinds: ReadonlyArray<readonly [boolean, string]> = [
    [resource === 'limits.memory' || resource === 'requests.memory', 'memory resource'],
    [resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage', 'local ephemeral storage resource'],
    [resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-'), 'hugepages resource'],
  ];
  const errs: FieldError[] = [];
  for (const [applies, what] of kinds) {
    if (applies && !BINARY_DIVISORS.includes(text)) {
      errs.push(invalid(divisorPath, resource, `only divisor's values ${BINARY_DIVISORS.join(', ')} are supported with the ${what}`));
    }
  }
  return errs;
}

export function validateResourceFieldSelector(selector: unknown, path: FieldPath, volume: boolean): FieldError[] {
  const fs = asObject(selector);
  const resource = str(fs['resource']);
  const errs: FieldError[] = [];
  if (volume && str(fs['containerName']) === '') errs.push(required(path.child('containerName')));
  else if (resource === '') errs.push(required(path.child('resource')));
  else if (!RESOURCE_FIELD_PATHS.includes(resource)) {
    const hugePages = resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-');
    if (!hugePages) errs.push(notSupported(path.child('resource'), resource, RESOURCE_FIELD_PATHS));
  }
  return [...errs, ...validateDivisor(resource, fs['divisor'], path)];
}
