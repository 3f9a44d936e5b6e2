import { constants, type FileHandle, open } from 'node:fs/promises';
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

/** A CRI log's complete lines: partial (`P`) parts are joined to the `F` line that completes them. */
function* logicalLines(text: string): Generator<{ time: string; ms: number; content: string }> {
  let pending: { time: string; ms: number; content: string } | undefined;
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const line = parseCriLogLine(raw);
    if (!line) continue;
    pending = pending ? { ...pending, content: pending.content + line.content } : { time: line.time, ms: line.ms, content: line.content };
    if (!line.partial) {
      yield pending;
      pending = undefined;
    }
  }
  if (pending) yield pending;
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
    let offset = 0;
    let carry = '';
    const readMore = async (): Promise<string> => {
      const { size } = await file.stat();
      if (size <= offset) return '';
      const buf = Buffer.alloc(size - offset);
      const { bytesRead } = await file.read(buf, 0, buf.length, offset);
      offset += bytesRead;
      const text = carry + buf.subarray(0, bytesRead).toString('utf8');
      const lastNewline = text.lastIndexOf('\n');
      carry = text.slice(lastNewline + 1);
      return text.slice(0, lastNewline + 1);
    };
    let lines = [...logicalLines(await readMore())];
    if (opts.sinceMs !== undefined) lines = lines.filter((l) => l.ms >= opts.sinceMs!);
    if (opts.tailLines !== undefined) lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);
    if (!emit(lines) || !opts.follow) return;
    // Bounded by the container's life: follow ends once it is no longer running.
    for (let polls = 0; !signal.aborted && polls < Number.MAX_SAFE_INTEGER; polls++) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const running = await stillRunning();
      if (!emit(logicalLines(await readMore()))) return;
      if (!running) return;
    }
  } finally {
    await file.close();
  }
}
