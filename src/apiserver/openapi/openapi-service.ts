import type { KindInfo } from '../../api/index.js';
import type { StructuralSchema } from '../../api/index.js';
import type { PatchMeta } from '../../api/index.js';
import { buildGroupVersionDocument, OPENAPI_INFO, type GroupVersion, type OpenApiDocument } from './group-version-document.js';
import { GvkIndex } from './gvk-index.js';
import { loadDefinitions } from './load-definitions.js';
import { negotiateMediaType } from './negotiate-media-type.js';
import type { Definitions } from './openapi-schema.js';
import { patchMetaFor } from './patch-meta-of.js';
import { headerValue, ServedDocument, type OpenApiResponse, type RequestHeaders } from './served-document.js';
import { StructuralSchemas } from './structural-schema-of.js';

export type { OpenApiResponse, RequestHeaders } from './served-document.js';

export interface OpenApiServiceOptions {
  /** Component schemas to serve; defaults to the generated dist/openapi/definitions.json. */
  readonly definitions?: Definitions;
  /** When the documents were built, for Last-Modified; defaults to construction time. */
  readonly lastModified?: Date;
  /** The current time, for the one-year Expires of hashed documents. */
  readonly now?: () => number;
}

const V3_PREFIX = '/openapi/v3';
const JSON_TYPE = 'application/json';
const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V2_PROTOBUF_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** gnostic's OpenAPIv2 Document{swagger: "2.0"}: field 1, length-delimited, 3 bytes. */
const V2_PROTOBUF_STUB = Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]);
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

interface Built {
  readonly documents: ReadonlyMap<string, { readonly document: OpenApiDocument; readonly served: ServedDocument }>;
  readonly root: ServedDocument;
}

/** The server-relative path of a group-version's document: `api/v1`, `apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function notFound(): OpenApiResponse {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  };
  return { status: 404, headers: { 'Content-Type': JSON_TYPE }, body: Buffer.from(JSON.stringify(status)) };
}

/**
 * Serves `/openapi/v3` (the per-group-version index), `/openapi/v3/<gv>` (one document per served
 * group-version, with kube-openapi's hash, ETag and caching rules) and a minimal `/openapi/v2`,
 * and hands out the structural schemas strict field validation needs. Documents are built and
 * serialised once, on first use.
 */
export class OpenApiService {
  readonly #kinds: readonly KindInfo[];
  readonly #options: OpenApiServiceOptions;
  readonly #lastModified: Date;
  #definitions: Definitions | undefined;
  #index: GvkIndex | undefined;
  #structural: StructuralSchemas | undefined;
  #built: Built | undefined;
  #v2: { readonly json: ServedDocument; readonly protobuf: ServedDocument } | undefined;

  constructor(kinds: readonly KindInfo[], options: OpenApiServiceOptions = {}) {
    this.#kinds = kinds;
    this.#options = options;
    this.#lastModified = new Date(Math.floor((options.lastModified ?? new Date()).getTime() / 1000) * 1000);
  }

  /** The response for an OpenAPI path, or undefined when the path is not one. */
  handle(pathname: string, query: URLSearchParams, headers: RequestHeaders): OpenApiResponse | undefined {
    if (pathname === V3_PREFIX) return this.#state().root.serve(JSON_TYPE, headers, this.#lastModified);
    if (pathname.startsWith(`${V3_PREFIX}/`)) return this.#serveGroupVersion(pathname.slice(V3_PREFIX.length + 1), query, headers);
    if (pathname === '/openapi/v2') return this.#serveV2(headers);
    return undefined;
  }

  /** The parsed document of a group-version path (`api/v1`, `apis/apps/v1`), if served. */
  document(gvPath: string): OpenApiDocument | undefined {
    return this.#state().documents.get(gvPath)?.document;
  }

  /**
   * The structural schema of a kind for strict field validation, with references resolved
   * (shared, possibly cyclic objects); undefined when no definition carries that GVK.
   */
  structuralSchema(group: string, version: string, kind: string): StructuralSchema | undefined {
    const name = this.#gvkIndex().nameOf(group, version, kind);
    if (name === undefined) return undefined;
    this.#structural ??= new StructuralSchemas(this.#defs());
    return this.#structural.of(name);
  }

  /** The strategic merge patch metadata of a kind; undefined when no definition carries that GVK. */
  patchMeta(group: string, version: string, kind: string): PatchMeta | undefined {
    return patchMetaFor(this.#defs(), group, version, kind);
  }

  #defs(): Definitions {
    this.#definitions ??= this.#options.definitions ?? loadDefinitions();
    return this.#definitions;
  }

  #gvkIndex(): GvkIndex {
    this.#index ??= new GvkIndex(this.#defs());
    return this.#index;
  }

  #state(): Built {
    if (this.#built !== undefined) return this.#built;
    const served = new Map<string, GroupVersion>();
    for (const k of this.#kinds) served.set(groupVersionPath(k.group, k.version), { group: k.group, version: k.version });
    const servedList = [...served.values()];
    const documents = new Map<string, { document: OpenApiDocument; served: ServedDocument }>();
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gvPath of [...served.keys()].sort()) {
      const gv = served.get(gvPath) as GroupVersion;
      const document = buildGroupVersionDocument(gv, this.#kinds, this.#defs(), this.#gvkIndex(), servedList);
      const doc = new ServedDocument(Buffer.from(JSON.stringify(document)));
      documents.set(gvPath, { document, served: doc });
      paths[gvPath] = { serverRelativeURL: hashedUrl(gvPath, doc.hash) };
    }
    this.#built = { documents, root: new ServedDocument(Buffer.from(JSON.stringify({ paths }))) };
    return this.#built;
  }

  #serveGroupVersion(gvPath: string, query: URLSearchParams, headers: RequestHeaders): OpenApiResponse {
    const entry = this.#state().documents.get(gvPath);
    if (entry === undefined) return notFound();
    if (negotiateMediaType(headerValue(headers, 'accept'), [JSON_TYPE]) === undefined) {
      return { status: 406, headers: { Vary: 'Accept' }, body: Buffer.alloc(0) };
    }
    const { served } = entry;
    const hash = query.get('hash');
    if (hash !== null && hash !== '' && hash !== served.hash) {
      const location = hashedUrl(gvPath, served.hash);
      return {
        status: 301,
        headers: { Vary: 'Accept', Etag: `"${served.hash}"`, Location: location, 'Content-Type': 'text/html; charset=utf-8' },
        body: Buffer.from(`<a href="${location}">Moved Permanently</a>.\n\n`),
      };
    }
    const extra: Record<string, string> = { Vary: 'Accept' };
    if (hash !== null && hash !== '') {
      extra['Cache-Control'] = 'public, immutable';
      extra.Expires = new Date((this.#options.now ?? Date.now)() + YEAR_MS).toUTCString();
    }
    return served.serve(JSON_TYPE, headers, this.#lastModified, extra);
  }

  #serveV2(headers: RequestHeaders): OpenApiResponse {
    this.#v2 ??= {
      json: new ServedDocument(Buffer.from(JSON.stringify({ swagger: '2.0', info: OPENAPI_INFO, paths: {}, definitions: {} }))),
      protobuf: new ServedDocument(V2_PROTOBUF_STUB),
    };
    const chosen = negotiateMediaType(headerValue(headers, 'accept'), [JSON_TYPE, V2_PROTOBUF_DEPRECATED, V2_PROTOBUF]);
    if (chosen === undefined) return { status: 406, headers: { Vary: 'Accept' }, body: Buffer.alloc(0) };
    const extra = { Vary: 'Accept' };
    if (chosen === JSON_TYPE) return this.#v2.json.serve(JSON_TYPE, headers, this.#lastModified, extra);
    return this.#v2.protobuf.serve(V2_PROTOBUF, headers, this.#lastModified, extra);
  }
}

function hashedUrl(gvPath: string, hash: string): string {
  return `${V3_PREFIX}/${gvPath}?${new URLSearchParams({ hash }).toString()}`;
}
