import type { IncludeObjectPolicy } from './table-convertor.js';

/** What the client's Accept header asked for: a meta.k8s.io transformation of the response, or the object itself. */
export type ResponseFormat =
  | {
      readonly as: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';
      readonly version: 'v1' | 'v1beta1';
      readonly mediaType: string;
      readonly pretty: boolean;
    }
  | { readonly as: 'Object'; readonly mediaType: string; readonly pretty: boolean };

/** kube-apiserver's serializers for built-in resources, in its order of preference. */
export const BUILT_IN_MEDIA_TYPES: readonly string[] = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

const STREAMING_MEDIA_TYPES = new Set(['application/json', 'application/vnd.kubernetes.protobuf']);
const GO_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

interface AcceptClause {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  readonly params: ReadonlyMap<string, string>;
}

const trimSpaces = (s: string): string => s.replace(/^ +| +$/g, '');

/** goautoneg.ParseAccept as kube-apiserver vendors it, including its (insertion-)sort by q and wildcards. */
function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const rawPart of header.split(',')) {
    const [range = '', ...rawParams] = trimSpaces(rawPart).split(';');
    const pieces = range.split('/');
    const type = trimSpaces(pieces[0] ?? '');
    let subtype: string;
    if (pieces.length === 1 || pieces[1] === '') {
      if (type !== '*' || pieces.length > 2) continue;
      subtype = '*';
    } else if (pieces.length === 2) {
      subtype = trimSpaces(pieces[1] ?? '');
    } else {
      continue;
    }
    let q = 1;
    const params = new Map<string, string>();
    for (const param of rawParams) {
      const kv = param.split('=');
      if (kv.length !== 2 || kv[1] === '') continue;
      const key = trimSpaces(kv[0] ?? '');
      const value = kv[1] ?? '';
      if (key === 'q') q = GO_FLOAT.test(value) ? Math.fround(Number(value)) : 0;
      else params.set(key, trimSpaces(value));
    }
    clauses.push({ type, subtype, q, params });
  }
  const less = (a: AcceptClause, b: AcceptClause): boolean =>
    a.q > b.q || (a.type !== '*' && b.type === '*') || (a.subtype !== '*' && b.subtype === '*');
  for (let i = 1; i < clauses.length; i++) {
    for (let j = i; j > 0 && less(clauses[j]!, clauses[j - 1]!); j--) {
      [clauses[j - 1], clauses[j]] = [clauses[j]!, clauses[j - 1]!];
    }
  }
  return clauses;
}

/** acceptMediaTypeOptions with RequestScope's restrictions for a resource that has a table convertor. */
function formatFor(params: ReadonlyMap<string, string>, mediaType: string): ResponseFormat | undefined {
  let convert: { kind: string; group: string; version: string } | undefined;
  let pretty = false;
  for (const [key, value] of params) {
    if (key === 'as' || key === 'g' || key === 'v') {
      convert ??= { kind: '', group: '', version: '' };
      if (key === 'as') convert.kind = value;
      else if (key === 'g') convert.group = value;
      else convert.version = value;
    } else if (key === 'stream') {
      if (value !== '' && (!STREAMING_MEDIA_TYPES.has(mediaType) || value !== 'watch')) return undefined;
    } else if (key === 'sv') {
      if (value !== '' && value !== 'v1') return undefined;
    } else if (key === 'pretty') {
      pretty = value === '1';
    }
  }
  if (convert === undefined) return { as: 'Object', mediaType, pretty };
  const { kind, group, version } = convert;
  if (group !== 'meta.k8s.io' || (version !== 'v1' && version !== 'v1beta1')) return undefined;
  if (kind === 'Table') {
    return mediaType === 'application/json' || mediaType === 'application/yaml' ? { as: kind, version, mediaType, pretty } : undefined;
  }
  if (kind === 'PartialObjectMetadata' || kind === 'PartialObjectMetadataList') return { as: kind, version, mediaType, pretty };
  return undefined;
}

/**
 * The response format kube-apiserver's content negotiation picks for an Accept header (NegotiateMediaTypeOptions):
 * the first clause, by q and then specificity, that names one of `mediaTypes` with parameters the endpoint allows.
 * kubectl's `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`
 * gives a v1 Table. An empty header means the first media type; undefined means 406 Not Acceptable.
 */
export function negotiateResponseFormat(
  accept: string | undefined,
  mediaTypes: readonly string[] = BUILT_IN_MEDIA_TYPES,
): ResponseFormat | undefined {
  if (accept === undefined || accept.trim() === '') {
    const first = mediaTypes[0];
    return first === undefined ? undefined : { as: 'Object', mediaType: first, pretty: false };
  }
  for (const clause of parseAccept(accept)) {
    for (const mediaType of mediaTypes) {
      const [type, subtype] = mediaType.split('/');
      const matches =
        (clause.type === type && (clause.subtype === subtype || clause.subtype === '*')) ||
        (clause.type === '*' && clause.subtype === '*');
      if (!matches) continue;
      const format = formatFor(clause.params, mediaType);
      if (format !== undefined) return format;
    }
  }
  return undefined;
}

/**
 * The `includeObject` query parameter as asTable reads it: absent or empty means Metadata; any other unknown value is
 * a 400 (`unrecognized includeObject value: "x"`), signalled here by undefined.
 */
export function parseIncludeObject(value: string | null | undefined): IncludeObjectPolicy | undefined {
  if (value === null || value === undefined || value === '') return 'Metadata';
  return value === 'None' || value === 'Metadata' || value === 'Object' ? value : undefined;
}
