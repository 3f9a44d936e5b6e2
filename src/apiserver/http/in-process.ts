import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { InProcessWatchEvent, ServerRequest, ServerResponse } from './http-types.js';

/** A request from a component in the API server's own process. */
export interface InProcessRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Aborting it is the client going away: a watch ends, a pending body iteration finishes. */
  readonly signal?: AbortSignal;
}


export interface InProcessResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as the handler writes it; ends with the response. A watch's events may come as decoded events. */
  readonly body: AsyncIterable<Buffer | InProcessWatchEvent>;
}

/**
 * Runs `serve` on a request that never touched a socket, resolving once the handler has sent the status and headers.
 * The response's body streams: a watch keeps yielding until the handler ends it or the caller aborts or stops iterating.
 */
export function exchangeInProcess(serve: (req: ServerRequest, res: ServerResponse) => Promise<void>, request: InProcessRequest): Promise<InProcessResponse> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
  const body = request.body === undefined ? [] : [typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body)];
  if (request.body !== undefined) headers['content-length'] = String(body[0]!.length);
  const req = Object.assign(Readable.from(body), {
    method: request.method,
    url: request.url,
    headers,
    socket: { remoteAddress: undefined },
  }) as unknown as ServerRequest;
  const res = new InProcessServerResponse(request.signal);
  void serve(req, res);
  return res.head;
}

class InProcessServerResponse extends EventEmitter implements ServerResponse {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  readonly head: Promise<InProcessResponse>;
  private readonly outHeaders: Record<string, string | undefined> = {};
  private readonly chunks: (Buffer | InProcessWatchEvent)[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private resolveHead: (r: InProcessResponse) => void = () => {};

  constructor(private readonly signal: AbortSignal | undefined) {
    super();
    this.head = new Promise((resolve) => (this.resolveHead = resolve));
    signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.outHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.outHeaders[name.toLowerCase()];
  }

  writeHead(status: number, headers?: OutgoingHttpHeaders): this {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) this.setHeader(k, v as string);
    this.sendHead();
    return this;
  }

  flushHeaders(): void {
    this.sendHead();
  }

  write(chunk: string | Uint8Array): boolean {
    this.sendHead();
    if (this.closed) return true;
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    this.wake?.();
    return true;
  }

  /** A watch event as its object, for a client in this process (it decodes nothing). */
  writeWatchEvent(event: InProcessWatchEvent): boolean {
    this.sendHead();
    if (this.closed) return true;
    this.chunks.push(event);
    this.wake?.();
    return true;
  }

  end(chunk?: string | Uint8Array): this {
    if (this.writableEnded) return this;
    if (chunk !== undefined && chunk.length > 0) this.write(chunk);
    this.sendHead();
    this.writableEnded = true;
    this.emit('finish');
    this.close();
    return this;
  }

  private sendHead(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.resolveHead({ status: this.statusCode, headers: this.outHeaders, body: this.iterate() });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    this.emit('close');
    // A request aborted before its handler answered still settles.
    if (!this.headersSent) {
      this.headersSent = true;
      this.resolveHead({ status: 499, headers: {}, body: this.iterate() });
    }
  }

  private async *iterate(): AsyncGenerator<Buffer | InProcessWatchEvent> {
    try {
      for (;;) {
        if (this.chunks.length > 0) {
          const ready = this.chunks.splice(0);
          // Runs of bytes are joined; decoded events are passed on one by one, in order with the bytes.
          let bytes: Buffer[] = [];
          for (const c of ready) {
            if (Buffer.isBuffer(c)) {
              bytes.push(c);
              continue;
            }
            if (bytes.length > 0) yield bytes.length === 1 ? bytes[0]! : Buffer.concat(bytes);
            bytes = [];
            yield c;
          }
          if (bytes.length > 0) yield bytes.length === 1 ? bytes[0]! : Buffer.concat(bytes);
          continue;
        }
        if (this.closed || this.signal?.aborted) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      this.close();
    }
  }
}
