import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { ResourceClient } from '../client/index.js';
import type { Clock } from '../lib/index.js';

/** A token the kubelet needs for a projected serviceAccountToken source. */
export interface TokenSpec {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** '' means the API server's audiences. */
  readonly audience: string;
  readonly expirationSeconds: number;
  /** The Pod the token is bound to. */
  readonly pod: { readonly name: string; readonly uid: string };
}

export interface TokenManagerOptions {
  readonly serviceAccounts: ResourceClient<ServiceAccount>;
  readonly clock: Clock;
  /** Jitter source in [0, 1) (Math.random). */
  readonly random?: () => number;
}

/** A token is refreshed once it is older than this, whatever its expiry (upstream's maxTTL). */
const MAX_TTL_MS = 24 * 3600_000;
/** Up to this much earlier, so that many tokens do not refresh at once (upstream's maxJitter). */
const MAX_JITTER_MS = 10_000;

interface Cached {
  readonly token: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly podUid: string;
}

/**
 * The kubelet's service account token manager (upstream's pkg/kubelet/token): it asks the TokenRequest API for a
 * Pod-bound token per (service account, audience, lifetime, Pod) and hands out the cached one until 80 % of its
 * lifetime has passed or it is a day old (minus a jitter of up to 10 s); a refresh that fails while the cached token is
 * still valid hands out the cached one. Tokens of a Pod are forgotten when the Pod is.
 */
export class TokenManager {
  private readonly cache = new Map<string, Cached>();
  private readonly random: () => number;

  constructor(private readonly opts: TokenManagerOptions) {
    this.random = opts.random ?? Math.random;
  }

  async token(spec: TokenSpec, signal?: AbortSignal): Promise<string> {
    const key = JSON.stringify([spec.namespace, spec.serviceAccount, spec.audience, spec.expirationSeconds, spec.pod.name, spec.pod.uid]);
    const cached = this.cache.get(key);
    const now = this.opts.clock.now();
    if (cached && !this.needsRefresh(cached, spec.expirationSeconds, now)) return cached.token;
    try {
      const request: TokenRequest = {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {
          audiences: spec.audience ? [spec.audience] : [],
          expirationSeconds: spec.expirationSeconds,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: spec.pod.name, uid: spec.pod.uid },
        },
      } as TokenRequest;
      const answer = await this.opts.serviceAccounts.createSubresource<TokenRequest, TokenRequest>(spec.namespace, spec.serviceAccount, 'token', request, signal);
      const token = answer.status?.token ?? '';
      if (!token) throw new Error(`no token in the TokenRequest answer for ${spec.namespace}/${spec.serviceAccount}`);
      const expiresAt = Date.parse(answer.status?.expirationTimestamp ?? '') || now + spec.expirationSeconds * 1000;
      this.cache.set(key, { token, issuedAt: now, expiresAt, podUid: spec.pod.uid });
      return token;
    } catch (err) {
      if (cached && cached.expiresAt > now) return cached.token;
      throw err;
    }
  }

  /** upstream's requiresRefresh: a day old, or within 20 % of the requested lifetime of expiring (each less a jitter). */
  private needsRefresh(cached: Cached, expirationSeconds: number, now: number): boolean {
    const jitter = Math.floor(this.random() * MAX_JITTER_MS);
    if (now > cached.issuedAt + MAX_TTL_MS - jitter) return true;
    return now > cached.expiresAt - expirationSeconds * 200 - jitter;
  }

  /** Forgets the tokens of a Pod that is gone (upstream's DeleteServiceAccountToken). */
  forgetPod(podUid: string): void {
    for (const [key, c] of this.cache) if (c.podUid === podUid) this.cache.delete(key);
  }

  /** Tokens held (for tests and metrics). */
  get size(): number {
    return this.cache.size;
  }
}
