import type { Clock } from '../lib/index.js';
import { realClock } from '../lib/index.js';

export interface TokenBucketOptions {
  /** Tokens added per second; `qps <= 0` means unlimited (every take succeeds at once). */
  qps: number;
  /** Capacity of the bucket, which starts full. Must be at least 1 when `qps > 0`. */
  burst: number;
  clock?: Clock;
}

/**
 * A token bucket rate limiter with the semantics of golang.org/x/time/rate, as client-go's flowcontrol
 * uses it: the bucket starts full with `burst` tokens and refills continuously at `qps` tokens per second.
 *
 * Contract: `tryTake` never waits and takes a token only if one is available now. `reserve` always takes a
 * token, letting the bucket go into debt, and says how long the caller must wait before acting, so waiters
 * are served in the order they reserved. `take` is `reserve` plus the wait (on the injected clock); if its
 * signal aborts, the reserved token is given back and the promise rejects with the signal's reason.
 * Single-threaded like everything in Node: no locking is needed, and each call sees the previous ones.
 */
export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: TokenBucketOptions) {
    this.qps = options.qps;
    this.burst = options.burst;
    this.clock = options.clock ?? realClock;
    if (this.qps > 0 && !(this.burst >= 1)) throw new RangeError(`token bucket burst must be at least 1, got ${this.burst}`);
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  get unlimited(): boolean {
    return !(this.qps > 0);
  }

  /** Takes a token if one is available now; never waits. */
  tryTake(): boolean {
    if (this.unlimited) return true;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes a token now (possibly into debt) and returns how many milliseconds the caller must wait for it. */
  reserve(): number {
    if (this.unlimited) return 0;
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Waits on the clock until a token is available, then takes it. */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const wait = this.reserve();
    if (wait <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        cancel();
        this.tokens = Math.min(this.burst, this.tokens + 1);
        reject(signal?.reason);
      };
      const cancel = this.clock.setTimer(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
      this.last = now;
    }
  }
}
