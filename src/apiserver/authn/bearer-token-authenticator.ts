import { InvalidCredentialsError, type AuthenticatableRequest, type Authenticator } from './authenticator.js';
import type { TokenAuthenticator } from './token-file-authenticator.js';
import type { UserInfo } from './user-info.js';

/**
 * Reads `Authorization: Bearer <token>` as upstream's bearertoken authenticator does: the scheme is
 * case-insensitive, the token ends at the next space, an empty token counts as no credentials, and an
 * unknown token is invalid.
 */
export class BearerTokenAuthenticator implements Authenticator {
  constructor(private readonly tokens: TokenAuthenticator) {}

  authenticate(req: AuthenticatableRequest): UserInfo | undefined {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) return undefined;
    const user = this.tokens.authenticateToken(token);
    if (user === undefined) throw new InvalidCredentialsError('invalid bearer token');
    return user;
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (value === '') return undefined;
  const [scheme = '', token = ''] = value.split(' ', 3);
  if (scheme.toLowerCase() !== 'bearer' || token === '') return undefined;
  return token;
}
