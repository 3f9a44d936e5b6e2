import { Http2ServerRequest } from 'node:http2';
import { TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { type Clock, realClock } from '../../lib/index.js';
import { InvalidCredentialsError, type AuthenticatableRequest, type Authenticator } from './authenticator.js';
import type { UserInfo } from './user-info.js';

export interface X509AuthenticatorOptions {
  clock?: Clock;
}

interface PeerIdentity {
  raw: Buffer;
  notAfter: number;
  user: UserInfo | undefined;
}

/**
 * Authenticates by TLS client certificate: user = subject CN (the last one, as Go reads it), groups =
 * every O. Trust is decided by the TLS handshake (`socket.authorized`, checked against the server's
 * `ca` with the client-auth purpose); the server must listen with `requestCert: true,
 * rejectUnauthorized: false` so that untrusted certificates reach this check and get a 401.
 */
export class X509Authenticator implements Authenticator {
  private readonly clock: Clock;
  private readonly identities = new WeakMap<TLSSocket, PeerIdentity>();

  constructor(options: X509AuthenticatorOptions = {}) {
    this.clock = options.clock ?? realClock;
  }

  authenticate(req: AuthenticatableRequest): UserInfo | undefined {
    const socket = tlsSocketOf(req);
    const cert = socket?.getPeerX509Certificate();
    if (socket === undefined || cert === undefined) return undefined;
    if (!socket.authorized) {
      throw new InvalidCredentialsError(`x509: client certificate rejected: ${String(socket.authorizationError)}`);
    }
    const identity = this.identity(socket, cert.raw, cert.validTo);
    if (this.clock.now() > identity.notAfter) throw new InvalidCredentialsError('x509: client certificate has expired');
    return identity.user === undefined ? undefined : { ...identity.user, groups: [...identity.user.groups] };
  }

  private identity(socket: TLSSocket, raw: Buffer, validTo: string): PeerIdentity {
    const cached = this.identities.get(socket);
    if (cached !== undefined && cached.raw.equals(raw)) return cached;
    const subject = new x509.X509Certificate(raw).subjectName;
    const commonName = subject.getField('CN').at(-1) ?? '';
    const user = commonName === '' ? undefined : { username: commonName, groups: subject.getField('O') };
    const identity = { raw, notAfter: Date.parse(validTo), user };
    this.identities.set(socket, identity);
    return identity;
  }
}

function tlsSocketOf(req: AuthenticatableRequest): TLSSocket | undefined {
  const socket = req instanceof Http2ServerRequest ? req.stream.session?.socket : req.socket;
  return socket instanceof TLSSocket ? socket : undefined;
}
