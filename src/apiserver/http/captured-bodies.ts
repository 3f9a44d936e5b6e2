import type { ServerRequest, ServerResponse } from './http-types.js';

/**
 * The bodies of one request kept for its audit event, only for requests the audit policy logs at Request level or
 * above: `readBody` notes what it read and `writeRawJson` what it answered. Requests nobody asked about cost one
 * WeakMap miss per body.
 */
export interface CapturedBodies {
  request?: Buffer;
  requestContentType?: string;
  /** The request body as decoded by its handler (any content type, protobuf included), as JSON taken when decoded. */
  requestJson?: string;
  /** The JSON answered (before any re-encoding as YAML). */
  response?: string;
}

const captured = new WeakMap<object, CapturedBodies>();

/** Starts keeping the request body of `req` and, when `response` is set, the response body of `res`. */
export function captureBodies(req: ServerRequest, res: ServerResponse, response: boolean): CapturedBodies {
  const bodies: CapturedBodies = {};
  captured.set(req, bodies);
  if (response) captured.set(res, bodies);
  return bodies;
}

export function noteRequestBody(req: ServerRequest, body: Buffer): void {
  const bodies = captured.get(req);
  if (!bodies) return;
  bodies.request = body;
  bodies.requestContentType = req.headers['content-type'];
}

/** Notes the object a handler decoded from the body (it is serialised now: the handler goes on to change it). */
export function noteRequestObject(req: ServerRequest, object: unknown): void {
  const bodies = captured.get(req);
  if (bodies) bodies.requestJson = JSON.stringify(object);
}

export function noteResponseBody(res: ServerResponse, json: string): void {
  const bodies = captured.get(res);
  if (bodies) bodies.response = json;
}
