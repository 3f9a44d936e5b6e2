// Request authentication: x509 client certificates and bearer tokens, tried in order.
export { InvalidCredentialsError, type AuthenticatableRequest, type Authenticator } from './authenticator.js';
export { BearerTokenAuthenticator } from './bearer-token-authenticator.js';
export { TokenFileAuthenticator, UnionTokenAuthenticator, type TokenAuthenticator } from './token-file-authenticator.js';
export { UnionAuthenticator } from './union-authenticator.js';
export { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS, withAuthenticatedGroup, type UserInfo } from './user-info.js';
export { X509Authenticator, type X509AuthenticatorOptions } from './x509-authenticator.js';
