import type { JwtClaims } from './jwt.js';

/** upstream's ServiceAccountUsernamePrefix and groups. */
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

/** The expiry kubelets ask for in kube-api-access volumes; such Pod-bound tokens are extended (upstream's WarnOnlyBoundTokenExpirationSeconds). */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
/** How long an extended token really lives: one year (upstream's ExpirationExtensionSeconds). */
export const EXPIRATION_EXTENSION_SECONDS = 365 * 24 * 3600;
/** The private claims' key. */
const KUBERNETES_CLAIM = 'kubernetes.io';

export interface ObjectRef {
  readonly name: string;
  readonly uid: string;
}

/** What a token is issued for: a service account, optionally bound to a Pod (and its Node), a Secret or a Node. */
export interface TokenSubject {
  readonly namespace: string;
  readonly serviceAccount: ObjectRef;
  readonly pod?: ObjectRef;
  readonly secret?: ObjectRef;
  readonly node?: ObjectRef;
}

export interface IssueOptions {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly expirationSeconds: number;
  /** Issue Pod-bound 3607 s tokens for a year, with a warnafter claim at 3607 s (--service-account-extend-token-expiration). */
  readonly extendExpiration: boolean;
  readonly nowMs: number;
  /** The token's unique id (jti). */
  readonly id: string;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** The seconds a token really lives for: extended to a year for Pod-bound kube-api-access tokens. */
export function effectiveExpirationSeconds(subject: TokenSubject, options: Pick<IssueOptions, 'expirationSeconds' | 'extendExpiration'>): number {
  const extend = options.extendExpiration && subject.pod !== undefined && options.expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS;
  return extend ? EXPIRATION_EXTENSION_SECONDS : options.expirationSeconds;
}

/** The public and private claims of a bound service account token, shaped as upstream's (pkg/serviceaccount claims). */
export function buildClaims(subject: TokenSubject, options: IssueOptions): JwtClaims {
  const now = Math.floor(options.nowMs / 1000);
  const lifetime = effectiveExpirationSeconds(subject, options);
  const kubernetes: Record<string, unknown> = { namespace: subject.namespace };
  if (subject.node) kubernetes.node = { ...subject.node };
  if (subject.pod) kubernetes.pod = { ...subject.pod };
  if (subject.secret) kubernetes.secret = { ...subject.secret };
  kubernetes.serviceaccount = { ...subject.serviceAccount };
  if (lifetime !== options.expirationSeconds) kubernetes.warnafter = now + options.expirationSeconds;
  return {
    aud: [...options.audiences],
    exp: now + lifetime,
    iat: now,
    iss: options.issuer,
    jti: options.id,
    [KUBERNETES_CLAIM]: kubernetes,
    nbf: now,
    sub: serviceAccountUsername(subject.namespace, subject.serviceAccount.name),
  };
}

/** A token's claims once read back: what it was issued for, to whom, and for how long. */
export interface ParsedClaims extends TokenSubject {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly expiresAt: number;
  readonly notBefore: number;
  readonly id: string;
}

function ref(value: unknown): ObjectRef | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { name, uid } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof uid === 'string' ? { name, uid } : undefined;
}

/** Reads the claims of a bound token; undefined when they are not shaped as ours are. */
export function parseClaims(claims: JwtClaims): ParsedClaims | undefined {
  const kubernetes = claims[KUBERNETES_CLAIM] as Record<string, unknown> | undefined;
  if (!kubernetes || typeof kubernetes !== 'object') return undefined;
  const serviceAccount = ref(kubernetes.serviceaccount);
  const namespace = kubernetes.namespace;
  if (!serviceAccount || typeof namespace !== 'string') return undefined;
  if (claims.sub !== serviceAccountUsername(namespace, serviceAccount.name)) return undefined;
  const aud = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  if (!Array.isArray(aud) || !aud.every((a) => typeof a === 'string')) return undefined;
  if (typeof claims.exp !== 'number' || typeof claims.iss !== 'string') return undefined;
  return {
    namespace,
    serviceAccount,
    pod: ref(kubernetes.pod),
    secret: ref(kubernetes.secret),
    node: ref(kubernetes.node),
    issuer: claims.iss,
    audiences: aud as string[],
    expiresAt: claims.exp,
    notBefore: typeof claims.nbf === 'number' ? claims.nbf : 0,
    id: typeof claims.jti === 'string' ? claims.jti : '',
  };
}
