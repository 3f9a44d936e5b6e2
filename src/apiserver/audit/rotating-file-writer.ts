import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../../lib/index.js';

export interface RotatingFileWriterOptions {
  readonly path: string;
  readonly maxSizeBytes: number;
  /** Rotated files kept: `path.1` (newest) … `path.N`; 0 keeps them all (upstream's --audit-log-maxbackup 0). */
  readonly maxBackups: number;
  /** Rotated files last written longer ago than this are removed at each rotation (upstream's --audit-log-maxage); 0 or absent keeps them. */
  readonly maxAgeMs?: number;
  readonly clock: Clock;
  /** How long a line may wait for its batch. */
  readonly flushDelayMs?: number;
  /** Buffered characters that start a flush without waiting for the delay. */
  readonly batchChars?: number;
  /** Lines arriving while this many characters are already waiting are dropped and counted. */
  readonly maxBufferedChars?: number;
  readonly onError?: (err: unknown) => void;
}

/**
 * Appends lines to a file without blocking the caller: `write` only queues; batches go out with one
 * asynchronous write each, and the file rotates (`path` → `path.1` → … → `path.N`) before a line would
 * take it past `maxSizeBytes`. A single line larger than the limit gets a file of its own.
 */
export class RotatingFileWriter {
  private pending: string[] = [];
  private pendingChars = 0;
  private cancelTimer: (() => void) | undefined;
  private draining: Promise<void> | undefined;
  private handle: FileHandle | undefined;
  private size = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private droppedLines = 0;

  constructor(private readonly opts: RotatingFileWriterOptions) {}

  /** Lines dropped because the buffer was full, the writer was closed, or the file could not be written. */
  get dropped(): number {
    return this.droppedLines;
  }

  /** Queues `line` (which must end in a newline). */
  write(line: string): void {
    if (this.closed || this.pendingChars + line.length > (this.opts.maxBufferedChars ?? 64 * 1024 * 1024)) {
      this.droppedLines++;
      return;
    }
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= (this.opts.batchChars ?? 1024 * 1024)) {
      void this.flush();
    } else if (!this.cancelTimer) {
      this.cancelTimer = this.opts.clock.setTimer(() => {
        this.cancelTimer = undefined;
        void this.flush();
      }, this.opts.flushDelayMs ?? 20);
    }
  }

  /** Resolves once every line queued so far is in the file. */
  flush(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.flush().then(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
    return this.closing;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const lines = this.pending;
      this.pending = [];
      this.pendingChars = 0;
      try {
        await this.writeLines(lines);
      } catch (err) {
        this.droppedLines += lines.length;
        await this.handle?.close().catch(() => undefined);
        this.handle = undefined;
        this.opts.onError?.(err);
      }
    }
  }

  private async writeLines(lines: readonly string[]): Promise<void> {
    await this.ensureOpen();
    let chunk: string[] = [];
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (this.size + chunkBytes > 0 && this.size + chunkBytes + bytes > this.opts.maxSizeBytes) {
        if (chunk.length > 0) await this.append(chunk.join(''));
        chunk = [];
        chunkBytes = 0;
        await this.rotate();
      }
      chunk.push(line);
      chunkBytes += bytes;
    }
    if (chunk.length > 0) await this.append(chunk.join(''));
  }

  private async ensureOpen(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await mkdir(dirname(this.opts.path), { recursive: true });
    const handle = await open(this.opts.path, 'a');
    this.size = (await handle.stat()).size;
    this.handle = handle;
    return handle;
  }

  private async append(text: string): Promise<void> {
    const handle = await this.ensureOpen();
    const buf = Buffer.from(text);
    let offset = 0;
    while (offset < buf.length) {
      const { bytesWritten } = await handle.write(buf, offset, buf.length - offset);
      offset += bytesWritten;
    }
    this.size += buf.length;
  }

  private async rotate(): Promise<void> {
    const { path, maxBackups, maxAgeMs } = this.opts;
    await this.handle?.close();
    this.handle = undefined;
    const keep = maxBackups > 0 ? maxBackups : (await this.backups()) + 1;
    for (let i = keep - 1; i >= 1; i--) await ignoreMissing(rename(`${path}.${i}`, `${path}.${i + 1}`));
    await ignoreMissing(rename(path, `${path}.1`));
    if (maxAgeMs !== undefined && maxAgeMs > 0) {
      const oldest = this.opts.clock.now() - maxAgeMs;
      for (let i = 1; i <= keep; i++) {
        const backup = `${path}.${i}`;
        const written = await stat(backup).then((s) => s.mtimeMs, () => undefined);
        if (written !== undefined && written < oldest) await ignoreMissing(unlink(backup));
      }
    }
    await this.ensureOpen();
  }

  /** How many numbered backups (`path.1` …) exist in a row. */
  private async backups(): Promise<number> {
    let n = 0;
    while (n < MAX_BACKUPS_SCANNED && (await stat(`${this.opts.path}.${n + 1}`).then(() => true, () => false))) n++;
    return n;
  }
}

/** With maxBackups 0 (keep all), the most backups looked for. */
const MAX_BACKUPS_SCANNED = 100_000;

async function ignoreMissing(op: Promise<void>): Promise<void> {
  try {
    await op;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
