import { appendFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Which stream a log line came from. */
export type LogStream = 'stdout' | 'stderr';

/** One line of a CRI log file: `<RFC3339Nano> <stream> <F|P> <content>`. */
export interface CriLogLine {
  /** The timestamp as written (RFC3339Nano). */
  time: string;
  /** Milliseconds since the epoch. */
  ms: number;
  stream: LogStream;
  /** `P`: a partial line continued by the next one; `F`: the line is complete. */
  partial: boolean;
  content: string;
}

/** A line longer than this is split into partial lines (as containerd's 16 KiB). */
export const MAX_LOG_LINE = 16 * 1024;

const wallBaseNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** The current time as Go's time.RFC3339Nano writes it in UTC (trailing zeros of the fraction trimmed). */
export function rfc3339NanoNow(): string {
  return formatRfc3339Nano(wallBaseNs + process.hrtime.bigint());
}

export function formatRfc3339Nano(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, fraction ? `.${fraction}Z` : 'Z');
}

/** Parses one line of a CRI log; undefined when it is not one. */
export function parseCriLogLine(line: string): CriLogLine | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) ?(.*)$/s.exec(line);
  if (!m) return undefined;
  const ms = Date.parse(m[1]!);
  if (Number.isNaN(ms)) return undefined;
  return { time: m[1]!, ms, stream: m[2] as LogStream, partial: m[3] === 'P', content: m[4]! };
}

/**
 * Turns a stream's bytes into CRI log lines appended to `path`: every newline ends an `F` line, a line longer than
 * MAX_LOG_LINE is cut into `P` parts, and `flush` writes what is left when the stream ends.
 */
export class CriLogWriter {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly path: string,
    private readonly stream: LogStream,
  ) {}

  write(chunk: Buffer | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let out = '';
    for (let nl = this.pending.indexOf('\n'); nl >= 0; nl = this.pending.indexOf('\n')) {
      out += this.lines(this.pending.slice(0, nl), true);
      this.pending = this.pending.slice(nl + 1);
    }
    while (this.pending.length > MAX_LOG_LINE) {
      out += this.lines(this.pending.slice(0, MAX_LOG_LINE), false);
      this.pending = this.pending.slice(MAX_LOG_LINE);
    }
    if (out) appendFileSync(this.path, out);
  }

  flush(): void {
    if (this.pending === '') return;
    appendFileSync(this.path, this.lines(this.pending, true));
    this.pending = '';
  }

  private lines(text: string, complete: boolean): string {
    const time = rfc3339NanoNow();
    const parts: string[] = [];
    for (let i = 0; i < text.length; i += MAX_LOG_LINE) parts.push(text.slice(i, i + MAX_LOG_LINE));
    if (parts.length === 0) parts.push('');
    return parts.map((part, i) => `${time} ${this.stream} ${complete && i === parts.length - 1 ? 'F' : 'P'} ${part}\n`).join('');
  }
}

/** Appends one complete line to a CRI log (the simulated runtime's lines). */
export function appendCriLogLine(path: string, stream: LogStream, content: string): void {
  appendFileSync(path, criLogLine(stream, content));
}

/** One full line in CRI log format, stamped now. */
export function criLogLine(stream: LogStream, content: string): string {
  return `${rfc3339NanoNow()} ${stream} F ${content}\n`;
}
