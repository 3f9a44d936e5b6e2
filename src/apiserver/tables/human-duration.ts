const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Go's zero time.Time, 0001-01-01T00:00:00Z, which metav1.Time treats as unset. */
const ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/**
 * apimachinery's duration.HumanDuration for a span in milliseconds: ~2-3 significant figures (`45s`, `5m2s`, `10h`,
 * `3d4h`, `2y30d`); `0s` for up to two seconds in the future (clock skew), `<invalid>` beyond that.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds <= 0) return '0s';
  if (seconds < 2 * 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Milliseconds since the epoch of a metav1.Time / MicroTime JSON value, or undefined for Go's zero time. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || ms === ZERO_TIME ? undefined : ms;
}

/** The printers' translateTimestampSince: HumanDuration of now − timestamp, `<unknown>` when unset. */
export function timeSince(value: unknown, now: number): string {
  const ms = parseTime(value);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}
