import type { Clock } from './clock.js';

/**
 * A clock that runs `speed` times faster than `base` from the moment it is made (now = start + elapsed × speed);
 * timers wait `ms / speed` on the base clock. For tests that need minutes of schedule time in seconds.
 */
export function scaledClock(base: Clock, speed: number): Clock {
  if (!(speed > 0)) throw new Error(`clock speed must be positive, got ${speed}`);
  const start = base.now();
  return {
    now: () => start + (base.now() - start) * speed,
    setTimer: (fn, ms) => base.setTimer(fn, ms / speed),
  };
}
