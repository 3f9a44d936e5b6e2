import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/index.js';
import type { JwtSigner } from './jwt.js';
import { buildClaims, effectiveExpirationSeconds, type TokenSubject } from './token-claims.js';

export interface TokenIssuerOptions {
  readonly signer: JwtSigner;
  /** The iss claim of new tokens (--service-account-issuer). */
  readonly issuer: string;
  /** The audiences a token gets when its request names none (--api-audiences). */
  readonly apiAudiences: readonly string[];
  /** --service-account-extend-token-expiration (default true). */
  readonly extendExpiration: boolean;
  /** --service-account-max-token-expiration in seconds; 0 = no limit. */
  readonly maxExpirationSeconds: number;
  readonly clock: Clock;
}

export interface IssuedToken {
  readonly token: string;
  /** RFC 3339, seconds precision. */
  readonly expirationTimestamp: string;
  /** The lifetime asked for, after the maximum was applied. */
  readonly expirationSeconds: number;
}

/** Issues bound service account tokens (the TokenRequest API's signer). */
export class TokenIssuer {
  constructor(readonly opts: TokenIssuerOptions) {}

  get apiAudiences(): readonly string[] {
    return this.opts.apiAudiences;
  }

  /** The lifetime a request for `requested` seconds gets: capped at the maximum, if one is set. */
  capExpiration(requested: number): number {
    const max = this.opts.maxExpirationSeconds;
    return max > 0 && requested > max ? max : requested;
  }

  issue(subject: TokenSubject, audiences: readonly string[], requestedSeconds: number): IssuedToken {
    const expirationSeconds = this.capExpiration(requestedSeconds);
    const nowMs = this.opts.clock.now();
    const options = {
      issuer: this.opts.issuer,
      audiences: audiences.length > 0 ? audiences : this.opts.apiAudiences,
      expirationSeconds,
      extendExpiration: this.opts.extendExpiration,
      nowMs,
      id: randomUUID(),
    };
    const token = this.opts.signer.sign(buildClaims(subject, options));
    const expiresAt = Math.floor(nowMs / 1000) + effectiveExpirationSeconds(subject, options);
    return { token, expirationTimestamp: new Date(expiresAt * 1000).toISOString().replace('.000Z', 'Z'), expirationSeconds };
  }
}
