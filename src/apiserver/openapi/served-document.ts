import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** What OpenApiService.handle answers. */
export interface OpenApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** kube-apiserver compresses responses from this size on, when the client accepts gzip. */
const GZIP_THRESHOLD_BYTES = 128 * 1024;

/** The value of a request header (node lowercases names), several joined with commas. */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function acceptsGzip(headers: RequestHeaders): boolean {
  const value = headerValue(headers, 'accept-encoding');
  if (value === undefined) return false;
  return value.split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number.parseFloat(q.slice(2)) > 0);
  });
}

function matchesETag(headers: RequestHeaders, etag: string): boolean {
  const value = headerValue(headers, 'if-none-match');
  if (value === undefined) return false;
  return value.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/** A serialised document with its upstream-style hash (uppercase hex SHA-512) and a gzip copy made on demand. */
export class ServedDocument {
  readonly body: Buffer;
  /** Unquoted, as it appears in `?hash=`. */
  readonly hash: string;
  #gzip: Buffer | undefined;

  constructor(body: Buffer) {
    this.body = body;
    this.hash = createHash('sha512').update(body).digest('hex').toUpperCase();
  }

  get gzip(): Buffer {
    this.#gzip ??= gzipSync(this.body);
    return this.#gzip;
  }

  /**
   * Answers a GET for the document as http.ServeContent does behind kube-openapi: ETag,
   * Last-Modified, 304 on a matching If-None-Match, gzip for large bodies when accepted.
   */
  serve(contentType: string, request: RequestHeaders, lastModified: Date, extra: Record<string, string> = {}): OpenApiResponse {
    const etag = `"${this.hash}"`;
    const compressible = this.body.length >= GZIP_THRESHOLD_BYTES;
    const headers: Record<string, string> = { ...extra, Etag: etag };
    if (compressible) headers.Vary = headers.Vary === undefined ? 'Accept-Encoding' : `${headers.Vary}, Accept-Encoding`;
    if (matchesETag(request, etag)) return { status: 304, headers, body: Buffer.alloc(0) };
    headers['Content-Type'] = contentType;
    headers['Last-Modified'] = lastModified.toUTCString();
    if (compressible && acceptsGzip(request)) {
      headers['Content-Encoding'] = 'gzip';
      return { status: 200, headers, body: this.gzip };
    }
    return { status: 200, headers, body: this.body };
  }
}
