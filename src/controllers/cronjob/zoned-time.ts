/**
 * Wall-clock arithmetic in an IANA time zone through Intl, with Go's time.Date rules: a wall time in a DST gap
 * resolves with the offset in effect before the gap (so it moves forward), and month and day overflow normalises.
 */

/** The wall clock of an instant in a zone. `month` 1–12, `weekday` 0 (Sunday) – 6. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for a zone Intl does not know. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The time zone of this process (Go's time.Local), UTC when Intl cannot tell. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether Intl knows the zone (time.LoadLocation succeeds); `''` is UTC, as in Go. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone || 'UTC');
    return true;
  } catch {
    return false;
  }
}

export function wallTime(ms: number, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone || 'UTC').formatToParts(ms)) parts[p.type] = p.value;
  const year = Number(parts['year']);
  return {
    year: parts['era'] === 'BC' ? 1 - year : year,
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
    weekday: WEEKDAYS[parts['weekday'] ?? ''] ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (whole seconds). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** time.Date(year, month, day, hour, minute, second, 0, zone) as epoch milliseconds; fields may overflow. */
export function fromWallTime(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = zoneOffsetMs(wall, timeZone);
  const candidate = wall - first;
  const second_ = zoneOffsetMs(candidate, timeZone);
  return second_ === first ? candidate : wall - second_;
}

/** RFC 3339 in the zone, seconds precision, `Z` for a zero offset (Go's time.RFC3339 after In(zone)). */
export function formatRFC3339(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const offsetMin = Math.round(zoneOffsetMs(ms, timeZone) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const zone = offsetMin === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
}
