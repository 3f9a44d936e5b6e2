import type { Clock } from '../../lib/index.js';
import type { TokenAuthenticator, UserInfo } from '../authn/index.js';
import { looksLikeJwt, type JwtSigner } from './jwt.js';
import { ALL_SERVICE_ACCOUNTS_GROUP, parseClaims, serviceAccountUsername, type ObjectRef, type ParsedClaims } from './token-claims.js';

/** What the authenticator needs to know of an object a token names: its uid, and when its deletion began. */
export interface LiveObject {
  readonly uid: string;
  /** metadata.deletionTimestamp, when set. */
  readonly deletionTimestamp?: string;
}

/** Reads the objects a token is bound to, from the API server's watch caches (synchronously). */
export interface BoundObjectLookup {
  serviceAccount(namespace: string, name: string): LiveObject | undefined;
  pod(namespace: string, name: string): LiveObject | undefined;
  secret(namespace: string, name: string): LiveObject | undefined;
  node(name: string): LiveObject | undefined;
}

export interface ServiceAccountTokenAuthenticatorOptions {
  readonly signer: JwtSigner;
  /** The issuers whose tokens are accepted (--service-account-issuer); the first one issues new tokens. */
  readonly issuers: readonly string[];
  /** The audiences the API server identifies as (--api-audiences). */
  readonly apiAudiences: readonly string[];
  readonly lookup: BoundObjectLookup;
  readonly clock: Clock;
  /** Why a token was refused, for the server's log. */
  readonly log?: (message: string) => void;
}

/** The leeway upstream's JWT validation allows on exp and nbf (go-jose's DefaultLeeway). */
const LEEWAY_SECONDS = 60;
/** A bound object whose deletion began longer ago than this no longer vouches for its tokens. */
const DELETION_GRACE_MS = 60_000;

/** Who a token authenticates and for which of the requested audiences. */
export interface AuthenticatedToken {
  readonly user: UserInfo;
  readonly audiences: string[];
}

/**
 * Authenticates the bound service account tokens this API server issues (upstream's serviceaccount JWT
 * authenticator): the signature, issuer, audience and lifetime must hold, and the service account and the object
 * the token is bound to must still exist with the uids the token names.
 */
export class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  constructor(private readonly opts: ServiceAccountTokenAuthenticatorOptions) {}

  authenticateToken(token: string): UserInfo | undefined {
    return this.authenticate(token)?.user;
  }

  /** The user a token stands for, when it is valid for one of `audiences` (default: the API server's). */
  authenticate(token: string, audiences: readonly string[] = this.opts.apiAudiences): AuthenticatedToken | undefined {
    if (!looksLikeJwt(token)) return undefined;
    const raw = this.opts.signer.verify(token);
    const claims = raw ? parseClaims(raw) : undefined;
    if (!claims) return this.refuse('not a service account token signed by this server');
    const problem = this.problemWith(claims, audiences);
    if (problem) return this.refuse(problem);
    return { user: userOf(claims), audiences: audiences.filter((a) => claims.audiences.includes(a)) };
  }

  private problemWith(claims: ParsedClaims, audiences: readonly string[]): string | undefined {
    const now = this.opts.clock.now();
    const nowSeconds = Math.floor(now / 1000);
    if (!this.opts.issuers.includes(claims.issuer)) return `token issuer ${JSON.stringify(claims.issuer)} is not accepted`;
    if (nowSeconds > claims.expiresAt + LEEWAY_SECONDS) return 'service account token has expired';
    if (nowSeconds + LEEWAY_SECONDS < claims.notBefore) return 'service account token is not valid yet';
    if (!audiences.some((a) => claims.audiences.includes(a))) {
      return `token audiences ${JSON.stringify(claims.audiences)} is invalid for the target audiences ${JSON.stringify(audiences)}`;
    }
    const lookup = this.opts.lookup;
    const sa = lookup.serviceAccount(claims.namespace, claims.serviceAccount.name);
    const saProblem = boundProblem('service account', sa, claims.serviceAccount, now);
    if (saProblem) return saProblem;
    if (claims.pod) return boundProblem('pod', lookup.pod(claims.namespace, claims.pod.name), claims.pod, now);
    if (claims.secret) return boundProblem('secret', lookup.secret(claims.namespace, claims.secret.name), claims.secret, now);
    if (claims.node) return boundProblem('node', lookup.node(claims.node.name), claims.node, now);
    return undefined;
  }

  private refuse(reason: string): undefined {
    this.opts.log?.(`service account token refused: ${reason}`);
    return undefined;
  }
}

function boundProblem(what: string, live: LiveObject | undefined, claimed: ObjectRef, now: number): string | undefined {
  if (!live) return `${what} ${claimed.name} no longer exists`;
  if (live.uid !== claimed.uid) return `${what} UID (${live.uid}) does not match claim (${claimed.uid})`;
  if (live.deletionTimestamp !== undefined) {
    const deletedAt = Date.parse(live.deletionTimestamp);
    if (deletedAt < now - DELETION_GRACE_MS) return `${what} ${claimed.name} is being deleted`;
  }
  return undefined;
}

function userOf(claims: ParsedClaims): UserInfo {
  const extra: Record<string, string[]> = {};
  if (claims.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [claims.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [claims.pod.uid];
  }
  if (claims.node) {
    extra['authentication.kubernetes.io/node-name'] = [claims.node.name];
    extra['authentication.kubernetes.io/node-uid'] = [claims.node.uid];
  }
  if (claims.id) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.id}`];
  return {
    username: serviceAccountUsername(claims.namespace, claims.serviceAccount.name),
    uid: claims.serviceAccount.uid,
    groups: [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${claims.namespace}`],
    extra,
  };
}
