import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';

/** What the handlers use of a request, whether it came over HTTP/1.1 or HTTP/2. */
export interface ServerRequest extends Readable {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly socket: TLSSocket | import('node:net').Socket;
}

/** What the handlers use of a response, whether over HTTP/1.1 or HTTP/2. */
export interface ServerResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  getHeader(name: string): unknown;
  writeHead(status: number, headers?: OutgoingHttpHeaders): unknown;
  write(chunk: string | Uint8Array): boolean;
  end(chunk?: string | Uint8Array): unknown;
  once(event: 'drain' | 'close' | 'finish', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close' | 'finish', listener: () => void): unknown;
  flushHeaders?(): void;
  /** Present on in-process responses: a watch event passed as its (shared, frozen) object instead of JSON. */
  writeWatchEvent?(event: InProcessWatchEvent): boolean;
}

/**
 * A watch event handed over without encoding it: `object` is the watch cache's decoded object, its objects frozen and
 * shared with every other reader in the process.
 */
export interface InProcessWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: unknown;
}
