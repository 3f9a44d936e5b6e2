import type { Clock } from '../../lib/index.js';
import { auditEventLine, type AuditEvent, type AuditObjectReference } from './audit-event.js';
import { RingBuffer } from './ring-buffer.js';
import { RotatingFileWriter } from './rotating-file-writer.js';

export interface AuditLogOptions {
  /** The log file, conventionally `DIR/audit.log`; undefined keeps events in memory only. */
  readonly path?: string;
  readonly maxSizeBytes?: number;
  readonly maxBackups?: number;
  /** How many of the latest events `recent` can return. */
  readonly ringSize?: number;
  readonly clock: Clock;
  /** How long an event may wait before its batch is written. */
  readonly flushDelayMs?: number;
  /** File errors; the events of a failed batch are dropped and counted. */
  readonly onError?: (err: unknown) => void;
}

export interface AuditEventFilter {
  readonly auditID?: string;
  /** Milliseconds since the epoch; keeps events whose stageTimestamp is at or after it. */
  readonly since?: number;
  /** Every field given must equal the event's objectRef field. */
  readonly objectRef?: AuditObjectReference;
}

/**
 * The audit log backend: like upstream's `--audit-log-path` backend, one `audit.k8s.io/v1` Event JSON
 * object per line, rotated by size. `record` never waits for the disk. Events are kept by reference and
 * must not be mutated after recording.
 */
export class AuditLog {
  private readonly ring: RingBuffer<AuditEvent>;
  private readonly writer: RotatingFileWriter | undefined;

  constructor(opts: AuditLogOptions) {
    this.ring = new RingBuffer(opts.ringSize ?? 10_000);
    this.writer =
      opts.path === undefined
        ? undefined
        : new RotatingFileWriter({
            path: opts.path,
            maxSizeBytes: opts.maxSizeBytes ?? 100 * 1024 * 1024,
            maxBackups: opts.maxBackups ?? 3,
            clock: opts.clock,
            flushDelayMs: opts.flushDelayMs,
            onError: opts.onError,
          });
  }

  /** Events that never reached the file (buffer full, write failed, or recorded after close). */
  get dropped(): number {
    return this.writer?.dropped ?? 0;
  }

  record(event: AuditEvent): void {
    this.ring.push(event);
    this.writer?.write(auditEventLine(event));
  }

  /** The retained events that match `filter`, oldest first. */
  recent(filter: AuditEventFilter = {}): AuditEvent[] {
    const { auditID, since, objectRef } = filter;
    const refKeys = objectRef ? (Object.keys(objectRef) as (keyof AuditObjectReference)[]).filter((k) => objectRef[k] !== undefined) : [];
    return this.ring.filter(
      (e) =>
        (auditID === undefined || e.auditID === auditID) &&
        (since === undefined || Date.parse(e.stageTimestamp) >= since) &&
        refKeys.every((k) => e.objectRef?.[k] === objectRef?.[k]),
    );
  }

  /** Resolves once every event recorded so far is in the file. */
  flush(): Promise<void> {
    return this.writer?.flush() ?? Promise.resolve();
  }

  /** Flushes and closes the file; later events are kept in memory only. */
  close(): Promise<void> {
    return this.writer?.close() ?? Promise.resolve();
  }
}
