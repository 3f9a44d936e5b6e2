/**
 * ConfigMap, Secret and ServiceAccount validation: keys, the 1 MiB size limit, the typed Secret
 * requirements, and the `immutable` flag on update.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { forbidden, invalid, required, tooLong, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain } from '../name-validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import { asObject, isConfigMapKey, isObject, semanticEqual, str, validateImmutableField, type JsonObject } from './validation-util.js';

export const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE_MESSAGE = 'field is immutable when `immutable` is set';
const REDACTED = '<secret contents redacted>';

function metaOf(obj: JsonObject): ObjectMeta {
  return asObject(obj['metadata']) as ObjectMeta;
}

function decodedLength(value: unknown): number {
  return Buffer.from(str(value), 'base64').length;
}

function validateKeys(data: unknown, path: FieldPath): FieldError[] {
  return Object.keys(asObject(data)).flatMap((key) => isConfigMapKey(key).map((msg) => invalid(path.key(key), key, msg)));
}

/** What Go's encoding/json says of content that is not a JSON object. */
function jsonObjectError(base64: unknown): string | undefined {
  const text = Buffer.from(str(base64), 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const first = text.trimStart().charAt(0);
    return first === '' ? 'unexpected end of JSON input' : `invalid character '${first}' looking for beginning of value`;
  }
  if (isObject(parsed) || parsed === null) return undefined;
  const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'string' ? 'string' : typeof parsed === 'number' ? 'number' : 'bool';
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

function validateSecretType(secret: JsonObject, data: JsonObject, dataPath: FieldPath): FieldError[] {
  const has = (key: string): boolean => key in data;
  switch (str(secret['type'])) {
    case 'kubernetes.io/service-account-token': {
      const key = 'kubernetes.io/service-account.name';
      return str(asObject(metaOf(secret).annotations)[key]) === '' ? [required(FieldPath.of('metadata', 'annotations').key(key))] : [];
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = secret['type'] === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) return [required(dataPath.key(key))];
      const error = jsonObjectError(data[key]);
      return error === undefined ? [] : [invalid(dataPath.key(key), REDACTED, error)];
    }
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [required(dataPath.key('username')), required(dataPath.key('password'))];
    case 'kubernetes.io/ssh-auth':
      return decodedLength(data['ssh-privatekey']) === 0 ? [required(dataPath.key('ssh-privatekey'))] : [];
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [required(dataPath.key('tls.crt'))]), ...(has('tls.key') ? [] : [required(dataPath.key('tls.key'))])];
    default:
      return [];
  }
}

export function validateSecret(secret: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(secret), { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  const dataPath = FieldPath.of('data');
  const data = asObject(secret['data']);
  errs.push(...validateKeys(data, dataPath));
  const size = Object.values(data).reduce<number>((total, value) => total + decodedLength(value), 0);
  if (size > MAX_SECRET_SIZE) errs.push(tooLong(dataPath, MAX_SECRET_SIZE));
  return [...errs, ...validateSecretType(secret, data, dataPath)];
}

function validateImmutableContent(obj: JsonObject, old: JsonObject, keys: readonly string[]): FieldError[] {
  if (old['immutable'] !== true) return [];
  const errs = obj['immutable'] !== true ? [forbidden(FieldPath.of('immutable'), IMMUTABLE_MESSAGE)] : [];
  for (const key of keys) {
    if (!semanticEqual(obj[key], old[key])) errs.push(forbidden(FieldPath.of(key), IMMUTABLE_MESSAGE));
  }
  return errs;
}

export function validateSecretUpdate(secret: JsonObject, old: JsonObject): FieldError[] {
  return [
    ...validateObjectMetaUpdate(metaOf(secret), metaOf(old)),
    ...validateImmutableField(str(secret['type']), str(old['type']), FieldPath.of('type')),
    ...validateImmutableContent(secret, old, ['data']),
    ...validateSecret(secret),
  ];
}

export function validateConfigMap(configMap: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(configMap), { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  const data = asObject(configMap['data']);
  const binaryData = asObject(configMap['binaryData']);
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    const path = FieldPath.of('data').key(key);
    errs.push(...isConfigMapKey(key).map((msg) => invalid(path, key, msg)));
    if (key in binaryData) errs.push(invalid(path, key, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(str(value), 'utf8');
  }
  for (const [key, value] of Object.entries(binaryData)) {
    errs.push(...isConfigMapKey(key).map((msg) => invalid(FieldPath.of('binaryData').key(key), key, msg)));
    size += decodedLength(value);
  }
  if (size > MAX_SECRET_SIZE) errs.push(tooLong(FieldPath.of(''), MAX_SECRET_SIZE));
  return errs;
}

export function validateConfigMapUpdate(configMap: JsonObject, old: JsonObject): FieldError[] {
  return [
    ...validateObjectMetaUpdate(metaOf(configMap), metaOf(old)),
    ...validateImmutableContent(configMap, old, ['data', 'binaryData']),
    ...validateConfigMap(configMap),
  ];
}

export function validateServiceAccount(account: JsonObject): FieldError[] {
  return validateObjectMeta(metaOf(account), { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
}

export function validateServiceAccountUpdate(account: JsonObject, old: JsonObject): FieldError[] {
  return [...validateObjectMetaUpdate(metaOf(account), metaOf(old)), ...validateServiceAccount(account)];
}
