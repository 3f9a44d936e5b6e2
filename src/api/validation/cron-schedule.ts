/**
 * robfig/cron/v3's ParseStandard, as CronJob validation and the CronJob controller use it: five fields or a
 * descriptor, with an optional `TZ=`/`CRON_TZ=` prefix. Parsing is pure; computing next times lives with the controller.
 */
interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DAYS_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DAYS_OF_WEEK: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };
const MAX_INT64 = 2n ** 63n - 1n;

class CronError extends Error {}

/** strconv.Atoi with its error text. */
function atoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new CronError(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = BigInt(text);
  if (value > MAX_INT64 || value < -MAX_INT64 - 1n) {
    throw new CronError(`strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
  }
  return Number(value);
}

function mustParseInt(expr: string): number {
  let num: number;
  try {
    num = atoi(expr);
  } catch (err) {
    throw new CronError(`failed to parse int from ${expr}: ${(err as Error).message}`);
  }
  if (num < 0) throw new CronError(`negative number (${num}) not allowed: ${expr}`);
  return num;
}

function parseIntOrName(expr: string, bounds: Bounds): number {
  const named = bounds.names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/** A parsed five-field schedule: the allowed values of each field; `*Star` when the field was `*` or `?` (robfig's starBit). */
export interface CronFields {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

/** What a schedule string parses to: fields, or a constant delay (`@every`), and the zone named by a `TZ=` prefix. */
export type ParsedCronSchedule = { readonly timeZone?: string } & ({ readonly kind: 'fields'; readonly fields: CronFields } | { readonly kind: 'every'; readonly delayMs: number });

/** Adds the values of one range expression to `into`; returns whether it was a bare `*`/`?` (robfig's starBit). */
function checkRange(expr: string, bounds: Bounds, into?: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0] ?? '', bounds);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] ?? '', bounds);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1] ?? '');
    if (lowAndHigh.length === 1) end = bounds.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < bounds.min) throw new CronError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max) throw new CronError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let v = start; into && v <= end; v += step) into.add(v);
  return star;
}

function parseField(field: string, bounds: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',')) star = checkRange(expr, bounds, values) || star;
  return { values, star };
}

/** time.ParseDuration's accepted syntax, for `@every`. */
function isGoDuration(text: string): boolean {
  return /^[+-]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/.test(text);
}

/** The five fields each descriptor stands for. */
const DESCRIPTOR_FIELDS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const GO_DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration in milliseconds (syntax already checked). */
function goDurationMs(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(m[1]) * (GO_DURATION_UNITS[m[2] ?? ''] ?? 0);
  return text.startsWith('-') ? -total : total;
}

function parseDescriptor(spec: string): ParsedCronSchedule {
  const fields = DESCRIPTOR_FIELDS[spec];
  if (fields !== undefined) return parseFields(fields);
  const every = '@every ';
  if (spec.startsWith(every)) {
    const duration = spec.slice(every.length);
    if (!isGoDuration(duration)) {
      throw new CronError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(duration)}`);
    }
    // robfig's Every: at least a second, whole seconds.
    return { kind: 'every', delayMs: Math.max(1000, Math.floor(goDurationMs(duration) / 1000) * 1000) };
  }
  throw new CronError(`unrecognized descriptor: ${spec}`);
}

function parseFields(spec: string): ParsedCronSchedule {
  const fields = spec.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) {
    throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  }
  const [minute, hour, dom, month, dow] = [MINUTES, HOURS, DAYS_OF_MONTH, MONTHS, DAYS_OF_WEEK].map((b, i) => parseField(fields[i] ?? '', b));
  return {
    kind: 'fields',
    fields: {
      minutes: minute!.values,
      hours: hour!.values,
      daysOfMonth: dom!.values,
      months: month!.values,
      daysOfWeek: dow!.values,
      domStar: dom!.star,
      dowStar: dow!.star,
    },
  };
}

/** Parses a schedule as robfig's ParseStandard does; throws an Error with its message when it does not parse. */
export function parseCronSchedule(schedule: string): ParsedCronSchedule {
  let spec = schedule;
  let timeZone: string | undefined;
  if (spec.length === 0) throw new CronError('empty spec string');
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    timeZone = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    spec = space < 0 ? '' : spec.slice(space).trim();
  }
  const parsed = spec.startsWith('@') ? parseDescriptor(spec) : parseFields(spec);
  return timeZone === undefined ? parsed : { ...parsed, timeZone };
}

export function cronScheduleError(schedule: string): string | undefined {
  try {
    parseCronSchedule(schedule);
    return undefined;
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}
