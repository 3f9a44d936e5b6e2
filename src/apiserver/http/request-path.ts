import { ApiError } from '../../api/index.js';

/**
 * A request target split into its decoded path and query, without resolving `.` or `..` segments: WHATWG URL
 * parsing would turn `/configmaps/.` into the collection itself and `/configmaps/..` into its parent.
 */
export function splitRequestTarget(target: string): { path: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  const rawPath = q >= 0 ? target.slice(0, q) : target;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw ApiError.badRequest(`invalid URL path: ${JSON.stringify(rawPath)}`);
  }
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(q >= 0 ? target.slice(q + 1) : '') };
}
