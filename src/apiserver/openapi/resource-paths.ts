import type { KindInfo, SubresourceInfo, Verb } from '../../api/index.js';
import type { GvkIndex } from './gvk-index.js';
import { operationParameters, pathParameters, type OpenApiParameter } from './openapi-parameters.js';
import { schemaRef, type GroupVersionKind } from './openapi-schema.js';

type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiOperation {
  readonly description: string;
  readonly operationId: string;
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: unknown;
  readonly responses: Readonly<Record<string, unknown>>;
  readonly tags: readonly string[];
  readonly 'x-kubernetes-action'?: Action;
  readonly 'x-kubernetes-group-version-kind'?: GroupVersionKind;
}

export type PathItem = { parameters?: readonly OpenApiParameter[] } & { [M in Method]?: OpenApiOperation };

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const WATCH_EVENT = `${META}.WatchEvent`;
export const PATCH = `${META}.Patch`;
export const API_RESOURCE_LIST = `${META}.APIResourceList`;

const OBJECT_TYPES = ['application/json', 'application/yaml'];
const STREAM_TYPES = [...OBJECT_TYPES, 'application/json;stream=watch'];
const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core`. */
function groupId(group: string): string {
  return group === '' ? 'Core' : group.replace(/\.k8s\.io$/, '').split('.').map(capitalize).join('');
}

/** The operation ID stem of a group-version, e.g. `AppsV1`. */
export function groupVersionId(group: string, version: string): string {
  return groupId(group) + capitalize(version);
}

/** The URL prefix of a group-version: `/api/v1` or `/apis/apps/v1`. */
export function groupVersionPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** The OpenAPI tag upstream groups a group-version's operations under, e.g. `rbacAuthorization_v1`. */
export function groupVersionTag(group: string, version: string): string {
  const id = groupId(group);
  return `${id.charAt(0).toLowerCase()}${id.slice(1)}_${version}`;
}

function content(name: string, types: readonly string[]): unknown {
  return { content: Object.fromEntries(types.map((t) => [t, { schema: schemaRef(name) }])) };
}

function responses(name: string, codes: readonly string[], types = OBJECT_TYPES): Record<string, unknown> {
  const text: Readonly<Record<string, string>> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
  const out: Record<string, unknown> = {};
  for (const code of codes) out[code] = { ...(content(name, types) as object), description: text[code] };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

/** Builds the path items of one served kind, naming definitions through the index. */
export function resourcePaths(info: KindInfo, index: GvkIndex): Map<string, PathItem> | undefined {
  const definition = index.nameOf(info.group, info.version, info.kind);
  const listDefinition = index.nameOf(info.group, info.version, info.listKind);
  if (definition === undefined || listDefinition === undefined) return undefined;

  const paths = new Map<string, PathItem>();
  const prefix = groupVersionPrefix(info.group, info.version);
  const scope = info.namespaced ? `/namespaces/{namespace}/${info.resource}` : `/${info.resource}`;
  const gvk: GroupVersionKind = { group: info.group, kind: info.kind, version: info.version };
  const tags = [groupVersionTag(info.group, info.version)];
  const id = groupVersionId(info.group, info.version);
  const ns = info.namespaced ? 'Namespaced' : '';
  const has = (verb: Verb): boolean => info.verbs.includes(verb);

  const operation = (action: Action, operationId: string, description: string, rest: Partial<OpenApiOperation>, kind = gvk): OpenApiOperation => ({
    description,
    operationId,
    ...(rest.parameters !== undefined && rest.parameters.length > 0 ? { parameters: rest.parameters } : {}),
    ...(rest.requestBody !== undefined ? { requestBody: rest.requestBody } : {}),
    responses: rest.responses ?? {},
    tags,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': kind,
  });
  const body = (name: string, types = ['*/*']): unknown => ({ ...(content(name, types) as object), required: true });
  const add = (path: string, named: boolean, namespaced: boolean, ops: PathItem): void => {
    if (Object.keys(ops).length === 0) return;
    paths.set(path, { ...ops, parameters: pathParameters(info.kind, namespaced, named) });
  };

  const collection: PathItem = {};
  if (has('list')) {
    collection.get = operation('list', `list${id}${ns}${info.kind}`, `list or watch objects of kind ${info.kind}`, {
      parameters: operationParameters.list(),
      responses: responses(listDefinition, ['200'], STREAM_TYPES),
    });
  }
  if (has('create')) {
    collection.post = operation('post', `create${id}${ns}${info.kind}`, `create a ${info.kind}`, {
      parameters: operationParameters.post(),
      requestBody: body(definition),
      responses: responses(definition, ['200', '201', '202']),
    });
  }
  if (has('deletecollection')) {
    collection.delete = operation('deletecollection', `delete${id}Collection${ns}${info.kind}`, `delete collection of ${info.kind}`, {
      parameters: operationParameters.deletecollection(),
      requestBody: body(DELETE_OPTIONS),
      responses: responses(STATUS, ['200']),
    });
  }
  add(`${prefix}${scope}`, false, info.namespaced, collection);

  const item: PathItem = {};
  const the = `the specified ${info.kind}`;
  if (has('get')) item.get = operation('get', `read${id}${ns}${info.kind}`, `read ${the}`, { responses: responses(definition, ['200']) });
  if (has('update')) {
    item.put = operation('put', `replace${id}${ns}${info.kind}`, `replace ${the}`, {
      parameters: operationParameters.put(),
      requestBody: body(definition),
      responses: responses(definition, ['200', '201']),
    });
  }
  if (has('patch')) {
    item.patch = operation('patch', `patch${id}${ns}${info.kind}`, `partially update ${the}`, {
      parameters: operationParameters.patch(),
      requestBody: body(PATCH, PATCH_TYPES),
      responses: responses(definition, ['200', '201']),
    });
  }
  if (has('delete')) {
    item.delete = operation('delete', `delete${id}${ns}${info.kind}`, `delete a ${info.kind}`, {
      parameters: operationParameters.delete(),
      requestBody: body(DELETE_OPTIONS),
      responses: responses(STATUS, ['200', '202']),
    });
  }
  add(`${prefix}${scope}/{name}`, true, info.namespaced, item);

  for (const sub of info.subresources) {
    const ops = subresourceOperations(sub, index, { id: `${id}${ns}${info.kind}`, kind: info.kind, operation, body, gvk });
    add(`${prefix}${scope}/{name}/${sub.name}`, true, info.namespaced, ops);
  }

  if (has('watch')) {
    const watchList = (operationId: string): PathItem => ({
      get: operation('watchlist', operationId, `watch individual changes to a list of ${info.kind}. deprecated: use the 'watch' parameter with a list operation instead.`, {
        responses: responses(WATCH_EVENT, ['200'], STREAM_TYPES),
      }),
    });
    const watchItem: PathItem = {
      get: operation('watch', `watch${id}${ns}${info.kind}`, `watch changes to an object of kind ${info.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`, {
        responses: responses(WATCH_EVENT, ['200'], STREAM_TYPES),
      }),
    };
    const watchParams = operationParameters.watch();
    const withWatchParams = (item: PathItem, path: string, named: boolean, namespaced: boolean): void => {
      const params = [...pathParameters(info.kind, namespaced, named), ...watchParams];
      paths.set(path, { ...item, parameters: params.sort((a, b) => a.name.localeCompare(b.name)) });
    };
    withWatchParams(watchList(`watch${id}${ns}${info.kind}List`), `${prefix}/watch${scope}`, false, info.namespaced);
    withWatchParams(watchItem, `${prefix}/watch${scope}/{name}`, true, info.namespaced);
    if (info.namespaced) {
      withWatchParams(watchList(`watch${id}${info.kind}ListForAllNamespaces`), `${prefix}/watch/${info.resource}`, false, false);
    }
  }
  if (info.namespaced && has('list')) {
    const list = operation('list', `list${id}${info.kind}ForAllNamespaces`, `list or watch objects of kind ${info.kind}`, {
      responses: responses(listDefinition, ['200'], STREAM_TYPES),
    });
    paths.set(`${prefix}/${info.resource}`, { get: list, parameters: [...pathParameters(info.kind, false, false), ...operationParameters.list()] });
  }
  return paths;
}

interface SubresourceContext {
  readonly id: string;
  readonly kind: string;
  readonly gvk: GroupVersionKind;
  readonly operation: (action: Action, id: string, description: string, rest: Partial<OpenApiOperation>, kind?: GroupVersionKind) => OpenApiOperation;
  readonly body: (name: string, types?: string[]) => unknown;
}

function subresourceOperations(sub: SubresourceInfo, index: GvkIndex, ctx: SubresourceContext): PathItem {
  const gvk: GroupVersionKind = { group: sub.group ?? ctx.gvk.group, kind: sub.kind, version: sub.version ?? ctx.gvk.version };
  const id = `${ctx.id}${capitalize(sub.name)}`;
  const the = `${sub.name} of the specified ${ctx.kind}`;
  const ops: PathItem = {};
  if (sub.name === 'log' && sub.verbs.includes('get')) {
    const text = { '200': { content: { 'text/plain': { schema: { type: 'string' } } }, description: 'OK' }, '401': { description: 'Unauthorized' } };
    ops.get = ctx.operation('get', `read${id}`, `read ${the}`, { parameters: operationParameters.log(), responses: text }, gvk);
    return ops;
  }
  const definition = index.nameOf(gvk.group, gvk.version, gvk.kind);
  if (definition === undefined) return ops;
  if (sub.verbs.includes('get')) ops.get = ctx.operation('get', `read${id}`, `read ${the}`, { responses: responses(definition, ['200']) }, gvk);
  if (sub.verbs.includes('update')) {
    ops.put = ctx.operation('put', `replace${id}`, `replace ${the}`, {
      parameters: operationParameters.put(),
      requestBody: ctx.body(definition),
      responses: responses(definition, ['200', '201']),
    }, gvk);
  }
  if (sub.verbs.includes('patch')) {
    ops.patch = ctx.operation('patch', `patch${id}`, `partially update ${the}`, {
      parameters: operationParameters.patch(),
      requestBody: ctx.body(PATCH, PATCH_TYPES),
      responses: responses(definition, ['200', '201']),
    }, gvk);
  }
  if (sub.verbs.includes('create')) {
    ops.post = ctx.operation('post', `create${id}`, `create ${sub.name} of a ${ctx.kind}`, {
      parameters: operationParameters.post(),
      requestBody: ctx.body(definition),
      responses: responses(definition, ['200', '201', '202']),
    }, gvk);
  }
  return ops;
}
