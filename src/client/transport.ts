/** One HTTP exchange with the API server, whatever carries it (HTTPS, or the in-process handler chain). */
export interface TransportRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/v1/namespaces/default/pods?watch=true`. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/**
 * A watch event a transport hands over already decoded (one within the API server's process, which passes the
 * server's own copy of the object): `object` is shared with other readers (its objects frozen); never change it.
 */
export interface DecodedWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: unknown;
}

/**
 * A response whose body arrives over time (watches); `body` ends when the server ends it or the signal aborts. A watch's
 * body may mix bytes with decoded events, in the order the server sent them.
 */
export interface TransportStream {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: AsyncIterable<Buffer | DecodedWatchEvent>;
}

/**
 * Carries requests to one API server. Implementations are safe for any number of concurrent requests, reconnect by
 * themselves after a connection is lost, and reject only for transport failures (an HTTP error status is a response).
 * Aborting a request's signal rejects a pending `request` and ends a stream's body.
 */
export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Resolves once the response headers are in. */
  stream(req: TransportRequest): Promise<TransportStream>;
  /** Closes idle and open connections; later requests fail. */
  close(): void;
}
