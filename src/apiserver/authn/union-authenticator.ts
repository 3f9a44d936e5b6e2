import { InvalidCredentialsError, type AuthenticatableRequest, type Authenticator } from './authenticator.js';
import { withAuthenticatedGroup, type UserInfo } from './user-info.js';

/**
 * Tries each authenticator in order, as upstream's union authenticator (without fail-fast): the first
 * user wins even if an earlier authenticator rejected its credentials; only when none finds a user do
 * the rejections surface, together. Authenticated users get `system:authenticated`.
 */
export class UnionAuthenticator implements Authenticator {
  constructor(private readonly authenticators: readonly Authenticator[]) {}

  authenticate(req: AuthenticatableRequest): UserInfo | undefined {
    const rejections: string[] = [];
    for (const authenticator of this.authenticators) {
      try {
        const user = authenticator.authenticate(req);
        if (user !== undefined) return withAuthenticatedGroup(user);
      } catch (err) {
        if (!(err instanceof InvalidCredentialsError)) throw err;
        rejections.push(err.message);
      }
    }
    if (rejections.length > 0) throw new InvalidCredentialsError(rejections.join('; '));
    return undefined;
  }
}
