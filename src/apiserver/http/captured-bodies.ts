import type { ServerRequest, ServerResponse } from './http-types.js';

/**
 * The bodies of one request kept for its audit event, only for requests the audit policy logs at Request level or
 * above: `readBody` notes what it read and `writeRawJson` what it answered. Requests nobody asked about cost one
 * WeakMap miss per body.
 */
export interface CapturedBodies {
  request?: Buffer;
  requestContentType?: string;
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

export function noteResponseBody(res: ServerResponse, json: string): void {
  const bodies = captured.get(res);
  if (bodies) bodies.response = json;
}
