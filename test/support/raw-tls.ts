// Raw TLS connections to the test server for requests an HTTP client will not send as written
// (conflicting framing headers, thousands of headers, a request that never completes).
import { connect, type TLSSocket } from 'node:tls';
import type { ClientCredentials } from './https-client.js';

export interface RawExchange {
  /** Everything the server sent (latin1). */
  readonly text: string;
  /** The status code of the first response line, if any arrived. */
  readonly status: number | undefined;
  /** Whether the server closed the connection (rather than our deadline ending it). */
  readonly closedByServer: boolean;
}

/** Opens a TLS connection to the server of `creds` (127.0.0.1 only) and resolves once the handshake is done. */
export function openRawTls(creds: ClientCredentials, timeoutMs = 5_000): Promise<TLSSocket> {
  const url = new URL(creds.baseUrl);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`tests talk to 127.0.0.1 only, not ${creds.baseUrl}`);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: Number(url.port),
      ca: creds.ca,
      ...(creds.cert ? { cert: creds.cert, key: creds.key } : {}),
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TLS handshake with ${creds.baseUrl} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * Sends `payload` as is and collects the answer until the server closes the connection or `timeoutMs`
 * passes (then the connection is closed by us); never rejects after the handshake.
 */
export async function rawTlsExchange(creds: ClientCredentials, payload: string | Buffer, timeoutMs = 5_000): Promise<RawExchange> {
  const socket = await openRawTls(creds, timeoutMs);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ text, status: m ? Number(m[1]) : undefined, closedByServer });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.once('end', () => finish(true));
    socket.once('close', () => finish(true));
    socket.once('error', () => finish(true));
    socket.write(payload);
  });
}
