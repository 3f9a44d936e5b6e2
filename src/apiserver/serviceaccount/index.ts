// Service account tokens: signing, the TokenRequest issuer and the bound-token authenticator.
export { JwtSigner, keyIdOf, looksLikeJwt, JWT_ALGORITHM, type JwtClaims } from './jwt.js';
export {
  ALL_SERVICE_ACCOUNTS_GROUP,
  buildClaims,
  parseClaims,
  serviceAccountUsername,
  WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
  type ObjectRef,
  type TokenSubject,
} from './token-claims.js';
export { TokenIssuer, type IssuedToken, type TokenIssuerOptions } from './token-issuer.js';
export {
  ServiceAccountTokenAuthenticator,
  type AuthenticatedToken,
  type BoundObjectLookup,
  type LiveObject,
  type ServiceAccountTokenAuthenticatorOptions,
} from './token-authenticator.js';
