import { constants, type FileHandle, open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { parseCriLogLine } from '../runtime/index.js';

/** The options of `kubectl logs` as the kubelet receives them (PodLogOptions). */
export interface LogOptions {
  follow: boolean;
  /** Only the last N lines. */
  tailLines?: number;
  /** Only lines written at or after this time (ms since the epoch): sinceSeconds or sinceTime. */
  sinceMs?: number;
  /** Prefix each line with its RFC3339Nano timestamp. */
  timestamps: boolean;
  /** Stop after this many bytes. */
  limitBytes?: number;
}

export interface LogSink {
  write(text: string): void;
}

const POLL_MS = 200;
/** How much of the file is read at a time: memory stays bounded however long the log. */
const CHUNK = 1 << 20;

interface LogicalLine {
  time: string;
  ms: number;
  content: string;
}

/** Turns a CRI log's text, fed in pieces, into complete lines: partial (`P`) parts are joined to the `F` line that ends them. */
class LineJoiner {
  private carry = '';
  private pending: LogicalLine | undefined;

  push(text: string): LogicalLine[] {
    const all = this.carry + text;
    const cut = all.lastIndexOf('\n');
    this.carry = all.slice(cut + 1);
    const out: LogicalLine[] = [];
    for (const raw of all.slice(0, cut + 1).split('\n')) {
      const line = raw === '' ? undefined : parseCriLogLine(raw);
      if (!line) continue;
      this.pending = this.pending ? { ...this.pending, content: this.pending.content + line.content } : { time: line.time, ms: line.ms, content: line.content };
      if (!line.partial) {
        out.push(this.pending);
        this.pending = undefined;
      }
    }
    return out;
  }
}

/**
 * Writes a container's CRI log file to `sink` as `kubectl logs` shows it: lines since a time, the last N, with or
 * without timestamps, up to limitBytes; with `follow`, new lines as they are written until `stillRunning` says the
 * container ended (and what it wrote last was read) or `signal` aborts. The file is opened without following a
 * symlink; the caller has checked that its path lies in the log directory.
 */
export async function readContainerLog(path: string, opts: LogOptions, sink: LogSink, stillRunning: () => Promise<boolean>, signal: AbortSignal): Promise<void> {
  let file: FileHandle;
  try {
    file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  let remaining = opts.limitBytes ?? Infinity;
  const emit = (lines: Iterable<{ time: string; content: string }>): boolean => {
    for (const l of lines) {
      let out = `${opts.timestamps ? `${l.time} ` : ''}${l.content}\n`;
      if (Buffer.byteLength(out) > remaining) out = Buffer.from(out).subarray(0, remaining).toString();
      remaining -= Buffer.byteLength(out);
      sink.write(out);
      if (remaining <= 0) return false;
    }
    return true;
  };
  try {
    const joiner = new LineJoiner();
    const decoder = new StringDecoder('utf8');
    let offset = 0;
    /** Reads what the file holds beyond `offset` (at most CHUNK); '' at its end. */
    const readMore = async (): Promise<string> => {
      const { size } = await file.stat();
      if (size <= offset) return '';
      const buf = Buffer.alloc(Math.min(CHUNK, size - offset));
      const { bytesRead } = await file.read(buf, 0, buf.length, offset);
      offset += bytesRead;
      return decoder.write(buf.subarray(0, bytesRead));
    };
    // What is there now: lines since the time, then the last tailLines of them (a ring), or each as it is read.
    const tail: LogicalLine[] = [];
    for (let text = await readMore(); text !== ''; text = await readMore()) {
      for (const line of joiner.push(text)) {
        if (opts.sinceMs !== undefined && line.ms < opts.sinceMs) continue;
        if (opts.tailLines === undefined) {
          if (!emit([line])) return;
        } else if (opts.tailLines > 0) {
          tail.push(line);
          if (tail.length >= 2 * opts.tailLines) tail.splice(0, tail.length - opts.tailLines);
        }
      }
    }
    if (!emit(tail.slice(-(opts.tailLines ?? 0))) || !opts.follow) return;
    // Bounded by the container's life: follow ends once it is no longer running.
    for (let polls = 0; !signal.aborted && polls < Number.MAX_SAFE_INTEGER; polls++) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const running = await stillRunning();
      for (let text = await readMore(); text !== ''; text = await readMore()) if (!emit(joiner.push(text))) return;
      if (!running) return;
    }
  } finally {
    await file.close();
  }
}
