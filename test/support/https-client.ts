// A small HTTPS JSON client for end-to-end tests: node:https with a client certificate (or a bearer token),
// a keep-alive agent, plain request/response and line-delimited watch streams that can be aborted.
import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';

export interface ClientCredentials {
  /** https://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** PEM of the CA that signed the server's certificate. */
  readonly ca: string;
  /** PEM client certificate and key; omitted for an anonymous client or one using a token. */
  readonly cert?: string;
  readonly key?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
}

export interface RequestOptions {
  /** An object is sent as JSON; a string or Buffer as is. */
  readonly body?: unknown;
  /** Defaults to application/json when there is a body. */
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  json<T = any>(): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** What the client saw of one response (for checks over every request, like Audit-Id). */
export interface ResponseRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly auditId: string | undefined;
}

export interface WatchEvent {
  readonly type: string;
  readonly object: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A watch response: the events as they arrive, one parsed JSON line each. */
export interface WatchStream extends AsyncIterable<WatchEvent> {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The next event; undefined once the server ended the stream. Rejects when none arrives within timeoutMs. */
  next(timeoutMs?: number): Promise<WatchEvent | undefined>;
  /** Events until `done` returns true for the collected list (or the stream ends); rejects after timeoutMs. */
  collectUntil(done: (events: readonly WatchEvent[]) => boolean, timeoutMs?: number): Promise<WatchEvent[]>;
  /** Every remaining event until the server ends the stream; rejects when it does not end within timeoutMs. */
  drain(timeoutMs?: number): Promise<WatchEvent[]>;
  /** Whether the server has ended the stream. */
  readonly finished: boolean;
  /** The raw text received so far. */
  raw(): string;
  abort(): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function decodeBase64Pem(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`kubeconfig has no ${what}`);
  return Buffer.from(value, 'base64').toString('utf8');
}

/** The server URL, CA, client certificate and key of a kubeconfig's first cluster and user. */
export function credentialsFromKubeconfig(file: string): Required<Omit<ClientCredentials, 'token'>> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const doc = parseYaml(readFileSync(file, 'utf8')) as any;
  const cluster = doc?.clusters?.[0]?.cluster;
  const user = doc?.users?.[0]?.user;
  if (!cluster || !user) throw new Error(`${file}: no cluster or user`);
  return {
    baseUrl: String(cluster.server),
    ca: decodeBase64Pem(cluster['certificate-authority-data'], 'certificate-authority-data'),
    cert: decodeBase64Pem(user['client-certificate-data'], 'client-certificate-data'),
    key: decodeBase64Pem(user['client-key-data'], 'client-key-data'),
  };
}

export class HttpsClient {
  private readonly agent: Agent;
  private readonly url: URL;
  /** Every response this client received (watches included), in order. */
  readonly responses: ResponseRecord[] = [];

  constructor(private readonly creds: ClientCredentials) {
    this.url = new URL(creds.baseUrl);
    if (this.url.hostname !== '127.0.0.1' && this.url.hostname !== 'localhost') throw new Error(`tests talk to 127.0.0.1 only, not ${creds.baseUrl}`);
    this.agent = new Agent({ keepAlive: true, maxSockets: 16, ca: creds.ca, cert: creds.cert, key: creds.key });
  }

  static fromKubeconfig(file: string): HttpsClient {
    return new HttpsClient(credentialsFromKubeconfig(file));
  }

  /** The same server and CA with other credentials. */
  withCredentials(creds: Omit<ClientCredentials, 'baseUrl' | 'ca'>): HttpsClient {
    return new HttpsClient({ baseUrl: this.creds.baseUrl, ca: this.creds.ca, ...creds });
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const res = await this.open(method, path, options);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => res.destroy(new Error(`${method} ${path}: no complete response within the deadline`)), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      for await (const chunk of res) chunks.push(chunk as Buffer);
    } finally {
      clearTimeout(timer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    return {
      status: res.statusCode ?? 0,
      headers: res.headers,
      body,
      json: () => {
        try {
          return JSON.parse(body);
        } catch {
          throw new Error(`${method} ${path} → ${res.statusCode}: the body is not JSON: ${body.slice(0, 500)}`);
        }
      },
    };
  }

  get(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<HttpResponse> {
    return this.request('POST', path, { ...options, body });
  }

  put(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<HttpResponse> {
    return this.request('PUT', path, { ...options, body });
  }

  delete(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<HttpResponse> {
    return this.request('DELETE', path, { ...options, body });
  }

  /** Opens a watch (the path should carry `watch=true` or `/watch/`); events are parsed line by line. */
  async watch(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<WatchStream> {
    const res = await this.open('GET', path, options);
    const events: WatchEvent[] = [];
    let text = '';
    let pending = '';
    let finished = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line === '') continue;
        try {
          events.push(JSON.parse(line) as WatchEvent);
        } catch {
          failure = new Error(`watch ${path}: a line is not JSON: ${line.slice(0, 300)}`);
        }
      }
      notify();
    });
    const end = () => {
      if (pending.trim() !== '') {
        try {
          events.push(JSON.parse(pending) as WatchEvent);
        } catch {
          failure ??= new Error(`watch ${path}: trailing text is not JSON: ${pending.slice(0, 300)}`);
        }
        pending = '';
      }
      finished = true;
      notify();
    };
    res.on('end', end);
    res.on('close', end);
    res.on('error', (err) => {
      failure ??= err;
      end();
    });
    let cursor = 0;
    const waitForChange = (deadline: number, what: string) =>
      new Promise<void>((resolve, reject) => {
        const left = deadline - Date.now();
        if (left <= 0) return reject(new Error(`watch ${path}: ${what} within the deadline; received so far:\n${text.slice(-3000)}`));
        const timer = setTimeout(() => {
          wake = undefined;
          reject(new Error(`watch ${path}: ${what} within the deadline; received so far:\n${text.slice(-3000)}`));
        }, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    const stream: WatchStream = {
      status: res.statusCode ?? 0,
      headers: res.headers,
      get finished() {
        return finished;
      },
      raw: () => text,
      abort: () => {
        finished = true;
        res.destroy();
        notify();
      },
      async next(timeoutMs = DEFAULT_TIMEOUT_MS) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if (failure) throw failure;
          if (cursor < events.length) return events[cursor++];
          if (finished) return undefined;
          await waitForChange(deadline, 'no event arrived');
        }
      },
      async collectUntil(done, timeoutMs = DEFAULT_TIMEOUT_MS) {
        const deadline = Date.now() + timeoutMs;
        const out: WatchEvent[] = [];
        for (;;) {
          if (failure) throw failure;
          while (cursor < events.length) out.push(events[cursor++]!);
          if (done(out) || finished) return out;
          await waitForChange(deadline, `the expected events did not arrive (got ${out.length})`);
        }
      },
      async drain(timeoutMs = DEFAULT_TIMEOUT_MS) {
        const deadline = Date.now() + timeoutMs;
        const out: WatchEvent[] = [];
        for (;;) {
          if (failure) throw failure;
          while (cursor < events.length) out.push(events[cursor++]!);
          if (finished) return out;
          await waitForChange(deadline, 'the server did not end the stream');
        }
      },
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const ev = await stream.next();
          if (ev === undefined) return;
          yield ev;
        }
      },
    };
    return stream;
  }

  /** Closes the idle keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private open(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    }
    const headers: Record<string, string | number> = { Accept: 'application/json', ...options.headers };
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    if (this.creds.token !== undefined) headers.Authorization = `Bearer ${this.creds.token}`;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          headers,
          agent: this.agent,
          servername: this.url.hostname === '127.0.0.1' ? undefined : this.url.hostname,
        },
        (res) => {
          const auditId = res.headers['audit-id'];
          this.responses.push({ method, path, status: res.statusCode ?? 0, auditId: Array.isArray(auditId) ? auditId[0] : auditId });
          resolve(res);
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`${method} ${path}: no response within the deadline`)), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      req.once('response', () => clearTimeout(timer));
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(payload);
    });
  }
}
