import { Http2ServerRequest } from 'node:http2';
import { type PeerCertificate, TLSSocket } from 'node:tls';
import { type Clock, realClock } from '../../lib/index.js';
import { InvalidCredentialsError, type AuthenticatableRequest, type Authenticator } from './authenticator.js';
import type { UserInfo } from './user-info.js';

export interface X509AuthenticatorOptions {
  clock?: Clock;
}

interface PeerIdentity {
  notAfter: number;
  user: UserInfo | undefined;
  /** Set when the TLS handshake did not verify the certificate. */
  rejected?: string;
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
    if (socket === undefined) return undefined;
    // A connection's client certificate cannot change (the server refuses TLS renegotiation), so it is read once.
    let identity = this.identities.get(socket);
    if (identity === undefined) {
      const cert = socket.getPeerCertificate();
      if (!cert || Object.keys(cert).length === 0) return undefined;
      identity = socket.authorized
        ? identityOf(cert)
        : { notAfter: 0, user: undefined, rejected: `x509: client certificate rejected: ${String(socket.authorizationError)}` };
      this.identities.set(socket, identity);
    }
    if (identity.rejected !== undefined) throw new InvalidCredentialsError(identity.rejected);
    if (this.clock.now() > identity.notAfter) throw new InvalidCredentialsError('x509: client certificate has expired');
    return identity.user === undefined ? undefined : { ...identity.user, groups: [...identity.user.groups] };
  }
}

/** A subject attribute's values in certificate order (Node gives one value as a string, several as an array). */
function values(attr: string | string[] | undefined): string[] {
  return attr === undefined ? [] : Array.isArray(attr) ? [...attr] : [attr];
}

function identityOf(cert: PeerCertificate): PeerIdentity {
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined> | undefined;
  const commonName = values(subject?.CN).at(-1) ?? '';
  const user = commonName === '' ? undefined : { username: commonName, groups: values(subject?.O) };
  return { notAfter: Date.parse(cert.valid_to), user };
}

function tlsSocketOf(req: AuthenticatableRequest): TLSSocket | undefined {
  const socket = req instanceof Http2ServerRequest ? req.stream.session?.socket : req.socket;
  return socket instanceof TLSSocket ? socket : undefined;
}
