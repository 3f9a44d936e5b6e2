import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { UserInfo } from './user-info.js';

export type AuthenticatableRequest = IncomingMessage | Http2ServerRequest;

/**
 * Decides who sent a request. Returns undefined when the request offers no credentials of this kind;
 * throws InvalidCredentialsError when it offers credentials that do not hold (the server answers 401).
 */
export interface Authenticator {
  authenticate(req: AuthenticatableRequest): UserInfo | undefined;
}

/** Credentials were offered but are not valid; the message is for the server's log, not the client. */
export class InvalidCredentialsError extends Error {
  override readonly name = 'InvalidCredentialsError';
}
