import { ApiError } from '../../api/index.js';

/** The continue token of a paged list: where the next page starts and the revision every page is read at. */
export interface ContinueToken {
  readonly revision: number;
  /** The key the next page starts at (inclusive). */
  readonly startKey: string;
}

/** Encodes as upstream: base64 of {"v":"meta.k8s.io/v1","rv":R,"start":"<key without the resource prefix>"}. */
export function encodeContinue(token: ContinueToken, resourcePrefix: string): string {
  const start = token.startKey.startsWith(resourcePrefix) ? token.startKey.slice(resourcePrefix.length) : token.startKey;
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.revision, start })).toString('base64url');
}

export function decodeContinue(value: string, resourcePrefix: string): ContinueToken {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw ApiError.badRequest('invalid continue token: not a valid base64-encoded JSON object');
  }
  if (parsed.v !== 'meta.k8s.io/v1') throw ApiError.badRequest('invalid continue token: unsupported version');
  if (typeof parsed.rv !== 'number' || !Number.isInteger(parsed.rv) || parsed.rv <= 0) {
    throw ApiError.badRequest('invalid continue token: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof parsed.start !== 'string' || parsed.start === '' || parsed.start.includes('..') || parsed.start.startsWith('/')) {
    throw ApiError.badRequest('invalid continue token: invalid start key');
  }
  return { revision: parsed.rv, startKey: resourcePrefix + parsed.start };
}

/** upstream's message when the revision a continue token was issued at has been compacted. */
export function continueExpired(): ApiError {
  return ApiError.resourceExpired(
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
}
