import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** The JWS algorithm our service account tokens use (ECDSA P-256 with SHA-256). */
export const JWT_ALGORITHM = 'ES256';

export type JwtClaims = Record<string, unknown>;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * The key id of a public key as upstream computes it for service account tokens: the unpadded base64url SHA-256 of
 * its PKIX (SPKI DER) encoding.
 */
export function keyIdOf(publicKey: KeyObject): string {
  return base64url(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest());
}

/** Signs and verifies compact JWS tokens with one ECDSA P-256 key. */
export class JwtSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;
  private readonly privateKey: KeyObject;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    const details = this.publicKey.asymmetricKeyDetails;
    if (this.publicKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
      throw new Error('the service account signing key must be an ECDSA P-256 key');
    }
    this.keyId = keyIdOf(this.publicKey);
  }

  sign(claims: JwtClaims): string {
    const header = base64url(JSON.stringify({ alg: JWT_ALGORITHM, kid: this.keyId }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /**
   * The claims of a token this key signed, or undefined when `token` is not a compact JWS, uses another algorithm,
   * or its signature does not verify. Times and audiences are the caller's to check.
   */
  verify(token: string): JwtClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const decoded = parseJsonObject(header);
    if (!decoded || decoded.alg !== JWT_ALGORITHM) return undefined;
    const ok = verify('sha256', Buffer.from(`${header}.${payload}`), { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
    return ok ? parseJsonObject(payload) : undefined;
  }
}

/** Whether a bearer token looks like a JWT (three base64url segments), so that other kinds of token can be told apart. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

function parseJsonObject(segment: string): JwtClaims | undefined {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}
