import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import type { Transport, TransportRequest, TransportResponse, TransportStream } from './transport.js';

export interface Http2TransportOptions {
  /** `https://host:port[/prefix]`. */
  readonly server: string;
  /** PEM certificates trusted for the server; the system's when absent. */
  readonly ca?: string;
  /** Client certificate and key (PEM). */
  readonly cert?: string;
  readonly key?: string;
  readonly token?: string;
  readonly tlsServerName?: string;
  readonly insecureSkipTLSVerify?: boolean;
  readonly userAgent?: string;
  /** A connection silent this long is pinged (client-go's ReadIdleTimeout, 30 s); 0 turns health checks off. */
  readonly readIdleTimeoutMs?: number;
  /** A ping unanswered this long closes the connection (client-go's PingTimeout, 15 s). */
  readonly pingTimeoutMs?: number;
}

/** The code of a stream the server refused (reset with REFUSED_STREAM, or above the last stream id of its GOAWAY). */
const REFUSED = 'ERR_HTTP2_REFUSED_STREAM';
/** Errors that mean the request never reached a handler, so it can go again on a fresh connection. */
const RETRYABLE = new Set(['ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_STREAM_CANCEL', 'ERR_HTTP2_SESSION_ERROR', REFUSED]);

/** HTTPS over HTTP/2 as client-go speaks it: one multiplexed connection, re-established when lost, health-checked by pings. */
export class Http2Transport implements Transport {
  private session: ClientHttp2Session | undefined;
  private closed = false;
  private readonly origin: string;
  private readonly prefix: string;

  constructor(private readonly opts: Http2TransportOptions) {
    const url = new URL(opts.server);
    if (url.protocol !== 'https:') throw new Error(`only https servers are supported, not ${opts.server}`);
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const { status, headers, stream } = await this.open(req);
    // Events rather than async iteration, and no copy of a body that came in one chunk: most answers do.
    return new Promise((resolve, reject) => {
      let first: Buffer | undefined;
      let rest: Buffer[] | undefined;
      let ended = false;
      stream.on('data', (chunk: Buffer) => {
        if (first === undefined) first = chunk;
        else (rest ??= [first]).push(chunk);
      });
      stream.once('end', () => {
        ended = true;
        resolve({ status, headers, body: rest ? Buffer.concat(rest) : (first ?? EMPTY) });
      });
      stream.once('error', reject);
      stream.once('close', () => {
        if (!ended) reject(Object.assign(new Error(`stream closed before the end of the response (code ${stream.rstCode})`), { code: 'ERR_HTTP2_STREAM_ERROR' }));
      });
    });
  }

  async stream(req: TransportRequest): Promise<TransportStream> {
    const { status, headers, stream } = await this.open(req);
    return { status, headers, body: stream as AsyncIterable<Buffer> };
  }

  close(): void {
    this.closed = true;
    this.session?.destroy();
    this.session = undefined;
  }

  private async open(req: TransportRequest, attempt = 0): Promise<{ status: number; headers: Record<string, string | undefined>; stream: ClientHttp2Stream }> {
    if (this.closed) throw new Error('transport closed');
    req.signal?.throwIfAborted();
    const headers: OutgoingHttpHeaders = {
      ':method': req.method,
      ':path': this.prefix + req.url,
      'user-agent': this.opts.userAgent ?? 'skiff',
      ...req.headers,
    };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    try {
      return await this.exchange(this.sessionFor(), headers, req);
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (attempt < 2 && RETRYABLE.has(code) && !req.signal?.aborted) {
        this.session = undefined;
        return this.open(req, attempt + 1);
      }
      throw err;
    }
  }

  private exchange(session: ClientHttp2Session, headers: OutgoingHttpHeaders, req: TransportRequest): Promise<{ status: number; headers: Record<string, string | undefined>; stream: ClientHttp2Stream }> {
    const stream = session.request(headers, { endStream: req.body === undefined, signal: req.signal });
    if (req.body !== undefined) stream.end(req.body);
    return new Promise((resolve, reject) => {
      // Node emits 'error' (for a reset) and then 'close'; the first settles the promise.
      const fail = (err: (Error & { code?: string }) | undefined) => {
        if (stream.rstCode === constants.NGHTTP2_REFUSED_STREAM) {
          reject(Object.assign(new Error('the server refused the stream before handling it'), { code: REFUSED, cause: err }));
        } else if (err) {
          // A stream cancelled because its connection failed (refused, TLS verification) fails with that error.
          const cause = (err as { cause?: unknown }).cause;
          reject(err.code === 'ERR_HTTP2_STREAM_CANCEL' && cause instanceof Error ? cause : err);
        } else {
          reject(Object.assign(new Error(`stream closed before a response (code ${stream.rstCode})`), { code: 'ERR_HTTP2_STREAM_ERROR' }));
        }
      };
      const onClose = () => fail(undefined);
      stream.once('error', fail);
      stream.once('close', onClose);
      stream.once('response', (h: IncomingHttpHeaders) => {
        stream.removeListener('close', onClose);
        stream.removeListener('error', fail);
        // Errors after the headers surface through the body's iteration.
        stream.on('error', () => {});
        resolve({ status: Number(h[':status']), headers: flatten(h), stream });
      });
    });
  }

  private sessionFor(): ClientHttp2Session {
    const current = this.session;
    if (current && !current.closed && !current.destroyed) return current;
    const session = connect(this.origin, {
      ca: this.opts.ca,
      cert: this.opts.cert,
      key: this.opts.key,
      servername: this.opts.tlsServerName,
      rejectUnauthorized: !this.opts.insecureSkipTLSVerify,
      minVersion: 'TLSv1.2',
    });
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    this.healthCheck(session);
    this.session = session;
    return session;
  }

  private healthCheck(session: ClientHttp2Session): void {
    const idle = this.opts.readIdleTimeoutMs ?? 30_000;
    if (idle <= 0) return;
    const pingTimeout = this.opts.pingTimeoutMs ?? 15_000;
    session.setTimeout(idle, () => {
      const timer = setTimeout(() => session.destroy(new Error('health check: ping timed out')), pingTimeout);
      timer.unref();
      const sent = session.ping((err) => {
        clearTimeout(timer);
        if (err) session.destroy(err);
      });
      if (!sent) clearTimeout(timer);
    });
  }
}

const EMPTY = Buffer.alloc(0);

function flatten(h: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k in h) {
    if (k.charCodeAt(0) === 58 /* : */) continue;
    const v = h[k];
    out[k] = Array.isArray(v) ? v.join(', ') : v === undefined ? undefined : String(v);
  }
  return out;
}
