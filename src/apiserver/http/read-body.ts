import { ApiError } from '../../api/index.js';
import { noteRequestBody } from './captured-bodies.js';
import type { ServerRequest } from './http-types.js';

/** upstream's MaxRequestBodyBytes. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the whole request body, answering 413 past `limit` bytes (and notes it for the audit log when asked to). */
export async function readBody(req: ServerRequest, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw ApiError.requestEntityTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw ApiError.requestEntityTooLarge(limit);
    }
    chunks.push(buf);
  }
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  noteRequestBody(req, body);
  return body;
}
