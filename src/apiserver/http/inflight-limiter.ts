/** Which of upstream's two in-flight pools a request counts against. */
export type RequestKind = 'readOnly' | 'mutating';

/**
 * upstream's max-in-flight filter: at most `maxReadOnly` read-only and `maxMutating` mutating requests at once
 * (0 = no limit); a request beyond that is refused (429). Long-running requests (watches) are not counted.
 * Also tells when nothing is in flight, for a graceful shutdown.
 */
export class InflightLimiter {
  private readonly current: Record<RequestKind, number> = { readOnly: 0, mutating: 0 };
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly limits: Record<RequestKind, number>) {}

  /**
   * Counts the request in; returns its release function, or undefined when the pool is full. An exempt request
   * (system:masters) is counted, for draining, but never refused.
   */
  admit(kind: RequestKind, exempt = false): (() => void) | undefined {
    const limit = this.limits[kind];
    if (!exempt && limit > 0 && this.current[kind] >= limit) return undefined;
    this.current[kind]++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.current[kind]--;
      if (this.total() === 0) for (const w of this.idleWaiters.splice(0)) w();
    };
  }

  inflight(kind: RequestKind): number {
    return this.current[kind];
  }

  total(): number {
    return this.current.readOnly + this.current.mutating;
  }

  /** Resolves once no counted request is in flight, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (this.total() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve();
      }, timeoutMs);
      timer.unref();
      this.idleWaiters.push(done);
    });
  }
}
