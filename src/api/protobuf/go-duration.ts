const NANOS_PER_SECOND = 1_000_000_000n;

function withFraction(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  const whole = (value / scale).toString();
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** Formats nanoseconds the way Go's time.Duration.String does (metav1.Duration's JSON form). */
export function formatGoDuration(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  if (abs === 0n) return '0s';
  if (abs < 1_000n) return `${sign}${abs}ns`;
  if (abs < 1_000_000n) return `${sign}${withFraction(abs, 3)}µs`;
  if (abs < NANOS_PER_SECOND) return `${sign}${withFraction(abs, 6)}ms`;
  const totalSeconds = abs / NANOS_PER_SECOND;
  const hours = totalSeconds / 3600n;
  const minutes = (totalSeconds / 60n) % 60n;
  const seconds = withFraction(abs % (60n * NANOS_PER_SECOND), 9);
  const h = hours > 0n ? `${hours}h` : '';
  const m = hours > 0n || minutes > 0n ? `${minutes}m` : '';
  return `${sign}${h}${m}${seconds}s`;
}
