/**
 * A CronJob's schedule and when it next fires: robfig/cron/v3's SpecSchedule.Next and ConstantDelaySchedule.Next, on
 * the wall clock of the schedule's zone (upstream's formatSchedule puts spec.timeZone in front as `TZ=<zone>`).
 */
import { parseCronSchedule, type CronFields, type ParsedCronSchedule } from '../../api/index.js';
import { fromWallTime, localTimeZone, wallTime, type WallTime } from './zoned-time.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface CronSchedule {
  /** The zone the schedule's fields are read in. */
  readonly timeZone: string;
  /** The first activation strictly after `ms` (epoch milliseconds), or undefined when none is within five years. */
  next(ms: number): number | undefined;
}

/**
 * Parses `schedule` (5 fields, a descriptor, `@every`, optionally `TZ=<zone> …`). The zone is `timeZone` when given,
 * else the prefix's, else this process's (upstream's controller-manager local time). Throws on a bad schedule; an
 * unknown zone throws a RangeError on the first `next`.
 */
export function parseSchedule(schedule: string, timeZone?: string): CronSchedule {
  const parsed: ParsedCronSchedule = parseCronSchedule(timeZone !== undefined ? `TZ=${timeZone} ${schedule}` : schedule);
  const zone = parsed.timeZone ?? localTimeZone();
  if (parsed.kind === 'every') {
    const delay = parsed.delayMs;
    return { timeZone: zone, next: (ms) => ms + delay - (((ms % SECOND) + SECOND) % SECOND) };
  }
  const fields = parsed.fields;
  return { timeZone: zone, next: (ms) => nextActivation(fields, zone, ms) };
}

/** robfig's dayMatches: with a `*` in either day field both must match, otherwise either. */
function dayMatches(f: CronFields, w: WallTime): boolean {
  const dom = f.daysOfMonth.has(w.day);
  const dow = f.daysOfWeek.has(w.weekday);
  return f.domStar || f.dowStar ? dom && dow : dom || dow;
}

function nextActivation(f: CronFields, zone: string, from: number): number | undefined {
  // The upcoming whole second.
  let t = Math.floor(from / SECOND) * SECOND + SECOND;
  let w = wallTime(t, zone);
  let added = false;
  const yearLimit = w.year + 5;
  const set = (ms: number) => {
    t = ms;
    w = wallTime(t, zone);
  };
  /**
   * One field of robfig's Next: until the field matches, truncate once (the first time any field moves), then step;
   * true when the step wrapped into the next larger unit (robfig's `goto WRAP`).
   */
  const seek = (matches: () => boolean, truncate: () => number, step: () => void, wrapped: () => boolean): boolean => {
    while (!matches()) {
      if (!added) {
        added = true;
        set(truncate());
      }
      step();
      if (wrapped()) return true;
    }
    return false;
  };
  const nextDay = () => {
    set(fromWallTime(zone, w.year, w.month, w.day + 1, w.hour, w.minute, w.second));
    // A DST change can move midnight: back to 00:00 (or on to the next day's).
    if (w.hour !== 0) set(w.hour > 12 ? t + (24 - w.hour) * HOUR : t - w.hour * HOUR);
  };
  // Each wrap moves on by at least a second within a bounded search; five years of months is far below the cap.
  for (let wraps = 0; wraps < 1000; wraps++) {
    if (w.year > yearLimit) return undefined;
    if (
      seek(() => f.months.has(w.month), () => fromWallTime(zone, w.year, w.month, 1), () => set(fromWallTime(zone, w.year, w.month + 1, w.day, w.hour, w.minute, w.second)), () => w.month === 1) ||
      seek(() => dayMatches(f, w), () => fromWallTime(zone, w.year, w.month, w.day), nextDay, () => w.day === 1) ||
      seek(() => f.hours.has(w.hour), () => fromWallTime(zone, w.year, w.month, w.day, w.hour), () => set(t + HOUR), () => w.hour === 0) ||
      seek(() => f.minutes.has(w.minute), () => Math.floor(t / MINUTE) * MINUTE, () => set(t + MINUTE), () => w.minute === 0) ||
      // The second field of a standard schedule is 0.
      seek(() => w.second === 0, () => Math.floor(t / SECOND) * SECOND, () => set(t + SECOND), () => w.second === 0)
    ) {
      continue;
    }
    return t;
  }
  return undefined;
}
