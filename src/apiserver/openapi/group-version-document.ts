import type { KindInfo } from '../../api/index.js';
import type { GvkIndex } from './gvk-index.js';
import { SCHEMA_REF_PREFIX, schemaRef, type Definitions, type GroupVersionKind, type OpenApiSchema } from './openapi-schema.js';
import {
  API_RESOURCE_LIST,
  DELETE_OPTIONS,
  groupVersionId,
  groupVersionPrefix,
  groupVersionTag,
  resourcePaths,
  STATUS,
  WATCH_EVENT,
  type PathItem,
} from './resource-paths.js';

/** The Kubernetes version the documents claim, as kube-apiserver's `info.version`. */
export const OPENAPI_INFO = { title: 'Kubernetes', version: 'v1.32.0' } as const;

export interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

export interface OpenApiDocument {
  readonly openapi: '3.0.0';
  readonly info: typeof OPENAPI_INFO;
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly components: { readonly schemas: Definitions };
}

/** Meta kinds every group-version accepts; upstream lists each GV in their GVK extension. */
const SHARED_META_KINDS: Readonly<Record<string, string>> = { [DELETE_OPTIONS]: 'DeleteOptions', [WATCH_EVENT]: 'WatchEvent' };

function collectRefs(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF_PREFIX)) out.add(v.slice(SCHEMA_REF_PREFIX.length));
      else collectRefs(v, out);
    }
  }
}

/** Every definition the roots reference, directly or through other definitions. */
export function reachableDefinitions(roots: unknown, definitions: Definitions): string[] {
  const found = new Set<string>();
  collectRefs(roots, found);
  const queue = [...found];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    const refs = new Set<string>();
    collectRefs(definitions[name], refs);
    for (const ref of refs) {
      if (!found.has(ref)) {
        found.add(ref);
        queue.push(ref);
      }
    }
  }
  return [...found].filter((name) => definitions[name] !== undefined).sort();
}

/**
 * The `/openapi/v3/<gv>` document of one group-version: the operations of its kinds and the
 * component schemas they reach. `served` lists every served group-version, for the meta kinds.
 */
export function buildGroupVersionDocument(
  gv: GroupVersion,
  kinds: readonly KindInfo[],
  definitions: Definitions,
  index: GvkIndex,
  served: readonly GroupVersion[],
): OpenApiDocument {
  const prefix = groupVersionPrefix(gv.group, gv.version);
  const paths = new Map<string, PathItem>();
  paths.set(`${prefix}/`, {
    get: {
      description: 'get available resources',
      operationId: `get${groupVersionId(gv.group, gv.version)}APIResources`,
      responses: {
        '200': { content: { 'application/json': { schema: schemaRef(API_RESOURCE_LIST) }, 'application/yaml': { schema: schemaRef(API_RESOURCE_LIST) } }, description: 'OK' },
        '401': { description: 'Unauthorized' },
      },
      tags: [groupVersionTag(gv.group, gv.version)],
    },
  });
  for (const info of kinds) {
    if (info.group !== gv.group || info.version !== gv.version) continue;
    for (const [path, item] of resourcePaths(info, index) ?? []) paths.set(path, item);
  }
  const sortedPaths = Object.fromEntries([...paths.keys()].sort().map((p) => [p, paths.get(p) as PathItem]));

  const schemas: Record<string, OpenApiSchema> = {};
  for (const name of reachableDefinitions(sortedPaths, definitions)) {
    const schema = definitions[name] as OpenApiSchema;
    const sharedKind = SHARED_META_KINDS[name];
    if (sharedKind !== undefined) schemas[name] = { ...schema, 'x-kubernetes-group-version-kind': sharedGvks(sharedKind, served) };
    else if (name === STATUS) schemas[name] = { ...schema, 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }] };
    else schemas[name] = schema;
  }
  return { openapi: '3.0.0', info: OPENAPI_INFO, paths: sortedPaths, components: { schemas } };
}

function sharedGvks(kind: string, served: readonly GroupVersion[]): GroupVersionKind[] {
  const gvs = new Map<string, GroupVersion>([['/v1', { group: '', version: 'v1' }]]);
  for (const gv of served) gvs.set(`${gv.group}/${gv.version}`, gv);
  return [...gvs.keys()].sort().map((key) => {
    const gv = gvs.get(key) as GroupVersion;
    return { group: gv.group, kind, version: gv.version };
  });
}
