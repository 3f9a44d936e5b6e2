import { ApiError, findTypeError, validateConfiguration, type FieldSchema, type FieldTypeError, type StructuralSchema } from '../../api/index.js';
import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import { noteStored, writeRawJson } from '../http/respond.js';
import type { KubeObject } from '../kube-object.js';
import type { ApplyRequest } from '../registry/managed-fields-tracker.js';
import type { UserInfo } from '../authn/index.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { warningHeader, type FieldValidation } from './decode-body.js';
import type { ParsedPatch, PatchType } from './patch-body.js';

/** What serving an apply needs from the server. */
export interface ApplyDependencies {
  /** Merges `config` over `live` by ownership (ApplyConflicts become 409): the object to store, managedFields included. */
  apply(live: KubeObject | undefined, config: KubeObject, request: ApplyRequest): KubeObject;
  /** The managedFields schema of the applied kind. */
  readonly fieldSchema: FieldSchema;
  /** The structural schema of the applied kind, for type checks. */
  readonly structuralSchema: StructuralSchema | undefined;
}

/** upstream's ValidatePatchOptions: `force` only with apply, and apply requires a `fieldManager`. */
export function validatePatchOptions(query: URLSearchParams, type: PatchType): void {
  const force = query.get('force');
  const errors = [];
  if (type !== 'apply' && force !== null) {
    errors.push({ type: 'FieldValueForbidden' as const, field: 'force', badValue: '', detail: 'may not be specified for non-apply patch' });
  }
  if (type === 'apply' && (query.get('fieldManager') ?? '') === '') {
    errors.push({ type: 'FieldValueRequired' as const, field: 'fieldManager', badValue: '', detail: 'is required for apply patch' });
  }
  if (errors.length > 0) throw ApiError.invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', errors);
}

const GO_BOOLEANS: Readonly<Record<string, boolean>> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };

/** The `force` parameter as Go's strconv.ParseBool reads it. */
export function parseForce(query: URLSearchParams): boolean {
  const value = query.get('force');
  if (value === null || value === '') return false;
  const parsed = GO_BOOLEANS[value];
  if (parsed === undefined) throw ApiError.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
  return parsed;
}

/** schema.GroupVersionKind's String: `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function gvkString(apiVersion: unknown, kind: unknown): string {
  const version = typeof apiVersion === 'string' ? apiVersion : '';
  const parts = version.split('/');
  const [group, ver] = parts.length === 2 ? parts : parts.length === 1 && !version.includes('/') ? ['', version] : ['', ''];
  return `${group ?? ''}/${ver ?? ''}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

const SMD_TYPES: Readonly<Record<string, string>> = {
  string: 'string',
  int64: 'numeric (int or float)',
  int32: 'numeric (int or float)',
  float64: 'numeric (int or float)',
  bool: 'boolean',
  object: 'map',
  array: 'list',
  number: 'numeric',
};

function typeProblem(err: FieldTypeError): string {
  return `.${err.path}: expected ${SMD_TYPES[err.expected] ?? err.expected}, got ${SMD_TYPES[err.found] ?? err.found}`;
}

/**
 * Checks an apply configuration as upstream's field manager does before merging: it must be of the
 * endpoint's group, version and kind, must not carry managedFields, and must fit the schema (declared
 * fields of the right types, associative list items named once each). Answers 400 otherwise.
 */
export function checkApplyConfiguration(config: KubeObject, expected: { apiVersion: string; kind: string }, deps: ApplyDependencies): void {
  if (config.apiVersion !== expected.apiVersion || config.kind !== expected.kind) {
    throw ApiError.badRequest(`invalid object type: ${gvkString(config.apiVersion, config.kind)}`);
  }
  if (config.metadata?.managedFields !== undefined && config.metadata.managedFields !== null) {
    throw ApiError.badRequest('metadata.managedFields must be nil');
  }
  const typeError = deps.structuralSchema === undefined ? undefined : findTypeError(config, deps.structuralSchema);
  const problems = typeError === undefined ? validateConfiguration(config, deps.fieldSchema) : [typeProblem(typeError)];
  if (problems.length > 0) {
    const meta = config.metadata ?? {};
    const where = `${meta.namespace ?? ''}/${meta.name ?? ''}; ${gvkString(config.apiVersion, config.kind)}`;
    throw ApiError.badRequest(`failed to create typed patch object (${where}): ${problems.join('\n')}`);
  }
}

/** fieldValidation for an apply configuration: only keys given twice can be reported (unknown fields always fail). */
function duplicateWarnings(patch: ParsedPatch, validation: FieldValidation): string[] {
  const errors = patch.strictErrors ?? [];
  if (errors.length === 0 || validation === 'Ignore') return [];
  const text = `error converting YAML to JSON: ${errors.join(', ')}`;
  if (validation === 'Strict') throw ApiError.badRequest(`error strict decoding YAML: ${text}`);
  return [text];
}

/**
 * PATCH with `application/apply-patch+yaml`: server-side apply of the configuration to the object, which
 * is created when missing (not on a subresource). 201 when created, else 200.
 */
export async function serveApply(
  req: ServerRequest,
  res: ServerResponse,
  target: { store: ResourceStore; namespace: string; name: string; subresource: string | undefined },
  options: { query: URLSearchParams; dryRun: boolean; validation: FieldValidation; patch: ParsedPatch; user: UserInfo },
  deps: ApplyDependencies,
): Promise<void> {
  const { store, namespace, name, subresource } = target;
  const { query, patch } = options;
  const def = store.def;
  const config = patch.document as KubeObject;
  checkApplyConfiguration(config, { apiVersion: def.group === '' ? def.version : `${def.group}/${def.version}`, kind: def.kind }, deps);
  const warnings = duplicateWarnings(patch, options.validation);
  const request: ApplyRequest = { manager: query.get('fieldManager') ?? '', force: parseForce(query), subresource };
  const { object, created } = await store.apply(
    namespace,
    name,
    (live) => {
      const applied = deps.apply(live, structuredClone(config), request);
      const appliedName = applied.metadata?.name ?? '';
      if (appliedName !== name) throw ApiError.badRequest(`the name of the object (${appliedName}) does not match the name on the URL (${name})`);
      return applied;
    },
    { dryRun: options.dryRun, user: options.user, ...(subresource === undefined ? {} : { subresource }) },
  );
  if (warnings.length > 0) res.setHeader('Warning', warnings.map(warningHeader));
  if (!options.dryRun) noteStored(res, object);
  return writeRawJson(req, res, created ? 201 : 200, JSON.stringify(object));
}
