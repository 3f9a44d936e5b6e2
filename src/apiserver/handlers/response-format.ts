import { ApiError } from '../../api/index.js';
import type { ServerRequest } from '../http/http-types.js';
import type { KubeObject } from '../kube-object.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { negotiateResponseFormat, parseIncludeObject, toTable, type IncludeObjectPolicy, type ResponseFormat, type TableListMeta } from '../tables/index.js';

/** How a read is to be answered: the objects themselves, a Table, or PartialObjectMetadata. */
export interface ReadFormat {
  readonly format: ResponseFormat;
  readonly includeObject: IncludeObjectPolicy;
}

/** The Accept header's choice for a read (406 when nothing it names is served). */
export function readFormat(req: ServerRequest, query: URLSearchParams): ReadFormat {
  const format = negotiateResponseFormat(req.headers.accept);
  if (format === undefined) throw ApiError.notAcceptable(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
  const includeObject = parseIncludeObject(query.get('includeObject'));
  if (includeObject === undefined) throw ApiError.badRequest(`unrecognized includeObject value: "${query.get('includeObject') ?? ''}"`);
  return { format, includeObject };
}

/** Whether the objects must be transformed (as=Table or PartialObjectMetadata) rather than sent as they are. */
export function transforms(f: ReadFormat): boolean {
  return f.format.as !== 'Object';
}

/**
 * The JSON of objects of `def` in the requested transformation. `single` is a GET or one watch event; otherwise
 * the objects are a list page with `listMeta`.
 */
export function transformedJson(
  def: ResourceDefinition,
  f: ReadFormat,
  objects: readonly KubeObject[],
  options: { single: boolean; listMeta?: TableListMeta; withColumns?: boolean; now: number },
): string {
  const format = f.format;
  if (format.as === 'Object') throw new Error('transformedJson called for an untransformed read');
  const apiVersion = `meta.k8s.io/${format.version}`;
  if (format.as === 'Table') {
    return JSON.stringify(
      toTable(def.group, def.kind, objects, {
        includeObject: f.includeObject,
        now: options.now,
        listMeta: options.single ? undefined : (options.listMeta ?? {}),
        withColumns: options.withColumns ?? true,
        version: format.version,
      }),
    );
  }
  const partial = (o: KubeObject) => ({ kind: 'PartialObjectMetadata', apiVersion, metadata: o.metadata ?? {} });
  // A single object is PartialObjectMetadata, a list PartialObjectMetadataList; asking for the other one is 406.
  if (options.single !== (format.as === 'PartialObjectMetadata')) {
    throw ApiError.notAcceptable([`application/json;as=${options.single ? 'PartialObjectMetadata' : 'PartialObjectMetadataList'};g=meta.k8s.io;v=v1`]);
  }
  if (options.single) return JSON.stringify(partial(objects[0]!));
  return JSON.stringify({ kind: 'PartialObjectMetadataList', apiVersion, metadata: options.listMeta ?? {}, items: objects.map(partial) });
}
