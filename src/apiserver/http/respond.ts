import { stringify as toYaml } from 'yaml';
import { ApiError, isApiError } from '../../api/index.js';
import { noteResponseBody } from './captured-bodies.js';
import type { ServerRequest, ServerResponse } from './http-types.js';

export type Encoding = 'json' | 'yaml';

/** Picks the response encoding from Accept: YAML when asked for first, JSON otherwise (also for protobuf-first clients, which accept JSON). */
export function responseEncoding(req: ServerRequest): Encoding {
  const accept = req.headers.accept ?? '';
  for (const part of accept.split(',')) {
    const type = part.split(';')[0]!.trim();
    if (type === 'application/yaml') return 'yaml';
    if (type === 'application/json' || type === '*/*' || type === 'application/*' || type === 'application/vnd.kubernetes.protobuf') return 'json';
  }
  if (accept !== '' && !/json|\*\/\*|protobuf|yaml/.test(accept)) throw ApiError.notAcceptable(['application/json', 'application/yaml']);
  return 'json';
}

/** Writes an already-serialised JSON body (re-encoded as YAML when the client asked for it). */
export function writeRawJson(req: ServerRequest, res: ServerResponse, status: number, json: string): void {
  noteResponseBody(res, json);
  let encoding: Encoding = 'json';
  try {
    encoding = responseEncoding(req);
  } catch {
    // Errors are always answered; JSON is the one format every client reads.
  }
  if (encoding === 'yaml') {
    const body = toYaml(JSON.parse(json) as unknown);
    res.writeHead(status, { 'Content-Type': 'application/yaml', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

export function writeJson(req: ServerRequest, res: ServerResponse, status: number, value: unknown): void {
  writeRawJson(req, res, status, JSON.stringify(value));
}

const written = new WeakMap<object, { reason: string; message: string }>();
const stored = new WeakMap<object, StoredObject>();

/** What a write left in storage, noted for the audit ring (never written to the audit file). */
export interface StoredObject {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  /** The uid of the object's controller (ownerReferences with controller: true). */
  readonly controllerUid?: string;
  /** A Pod's spec.nodeName. */
  readonly nodeName?: string;
  /** status.phase, when the object has one. */
  readonly phase?: string;
  /** When storage answered the write (ms since the epoch). */
  readonly storedAt: number;
}

/** Notes the object a write stored, for `storedWritten`; `resourceVersion` stands in for one the object lacks (a create's input). */
export function noteStored(res: ServerResponse, object: { metadata?: unknown; spec?: unknown; status?: unknown }, resourceVersion?: string): void {
  const meta = (object.metadata ?? {}) as { name?: string; namespace?: string; uid?: string; resourceVersion?: string; ownerReferences?: { uid?: string; controller?: boolean }[] };
  if (typeof meta.name !== 'string') return;
  const nodeName = (object.spec as { nodeName?: unknown } | undefined)?.nodeName;
  const phase = (object.status as { phase?: unknown } | undefined)?.phase;
  stored.set(res, {
    name: meta.name,
    namespace: meta.namespace,
    uid: meta.uid,
    resourceVersion: resourceVersion ?? meta.resourceVersion,
    controllerUid: meta.ownerReferences?.find((r) => r.controller === true)?.uid,
    nodeName: typeof nodeName === 'string' && nodeName !== '' ? nodeName : undefined,
    phase: typeof phase === 'string' ? phase : undefined,
    storedAt: Date.now(),
  });
}

/** The object a write stored, if the handler noted one. */
export function storedWritten(res: ServerResponse): StoredObject | undefined {
  return stored.get(res);
}

/** The reason and message of the error Status a response was answered with, if any (for the audit log). */
export function statusWritten(res: ServerResponse): { reason: string; message: string } | undefined {
  return written.get(res);
}

/** Answers with the error's Status (any other error becomes a 500 and is reported to `log`). */
export function writeError(req: ServerRequest, res: ServerResponse, err: unknown, log?: (err: unknown) => void): void {
  const apiErr = isApiError(err) ? err : ApiError.internal(err instanceof Error ? err : String(err));
  if (!isApiError(err)) log?.(err);
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  written.set(res, { reason: apiErr.status.reason, message: apiErr.status.message });
  const retry = apiErr.status.details?.retryAfterSeconds;
  if (retry !== undefined && retry > 0) res.setHeader('Retry-After', String(retry));
  writeRawJson(req, res, apiErr.status.code, JSON.stringify(apiErr.status));
}
