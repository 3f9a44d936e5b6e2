import { GRPCDeadlineExceededError, GRPCUnavailableError, type IOptions } from 'etcd3';

/** The fault-handling policy type etcd3 takes (cockatiel's IPolicy), named without depending on cockatiel. */
export type Policy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

const neverAborted = new AbortController().signal;

function policy(execute: <T>(fn: () => PromiseLike<T> | T) => Promise<T>): Policy {
  return {
    _altReturn: undefined as never,
    onSuccess: () => ({ dispose: () => undefined }),
    onFailure: () => ({ dispose: () => undefined }),
    execute: <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T) => execute(() => fn({ signal: neverAborted })),
  };
}

/** Runs each call exactly once (etcd3's default would retry every call, writes included, up to three times). */
export const runOnce: Policy = policy((fn) => Promise.resolve().then(fn));

/**
 * Per-member circuit breakers for a multi-member cluster: a member whose call failed to connect or ran into the
 * deadline is skipped for `cooldownMs`, so etcd3's connection pool sends the next calls (and our read retries)
 * to the other members. When every member is cooling down, calls go through anyway rather than fail unattempted.
 */
export class MemberBreakers {
  private readonly openUntil = new Map<string, number>();

  constructor(private readonly cooldownMs = 1000) {}

  policyFor(member: string): Policy {
    this.openUntil.set(member, 0);
    return policy(async (fn) => {
      const now = Date.now();
      if ((this.openUntil.get(member) ?? 0) > now && !this.allOpen(now)) {
        throw new Error(`etcd member ${member} is skipped after a recent failure`);
      }
      try {
        const result = await fn();
        this.openUntil.set(member, 0);
        return result;
      } catch (err) {
        if (err instanceof GRPCUnavailableError || err instanceof GRPCDeadlineExceededError) {
          this.openUntil.set(member, Date.now() + this.cooldownMs);
        }
        throw err;
      }
    });
  }

  private allOpen(now: number): boolean {
    for (const until of this.openUntil.values()) if (until <= now) return false;
    return true;
  }
}
