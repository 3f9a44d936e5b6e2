import type { Clock } from '../../lib/index.js';
import { auditEventLine, type AuditEvent, type AuditObjectReference, type AuditObjects } from './audit-event.js';
import { AUDIT_METADATA_EVERYTHING, type AuditAttributes, type AuditPolicyChecker, type AuditPolicyUser, type RequestAuditConfig } from './audit-policy-checker.js';
import { RingBuffer } from './ring-buffer.js';
import { RotatingFileWriter } from './rotating-file-writer.js';

export interface AuditLogOptions {
  /** The log file, conventionally `DIR/audit.log`; `-` is standard output; undefined keeps events in memory only. */
  readonly path?: string;
  /** Which requests the file gets, at which level (--audit-policy-file); absent: every request at Metadata level. */
  readonly policy?: AuditPolicyChecker;
  readonly maxSizeBytes?: number;
  /** Rotated files kept (default 3; 0 keeps all). */
  readonly maxBackups?: number;
  /** Rotated files older than this are removed (0 or absent: kept). */
  readonly maxAgeMs?: number;
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
 * object per line, rotated by size, at the level the policy gives each request. The in-memory ring (what
 * `skiff trace` reads) keeps every event at Metadata level whatever the policy. `record` never waits for the
 * disk. Events are kept by reference and must not be mutated after recording.
 */
export class AuditLog {
  private readonly ring: RingBuffer<AuditEvent>;
  private readonly writer: RotatingFileWriter | undefined;
  private readonly policy: AuditPolicyChecker | undefined;

  constructor(opts: AuditLogOptions) {
    this.ring = new RingBuffer(opts.ringSize ?? 10_000);
    this.policy = opts.policy;
    const stdout = opts.path === '-';
    this.writer =
      opts.path === undefined
        ? undefined
        : new RotatingFileWriter({
            path: stdout ? '/dev/stdout' : opts.path,
            maxSizeBytes: stdout ? Infinity : (opts.maxSizeBytes ?? 100 * 1024 * 1024),
            maxBackups: opts.maxBackups ?? 3,
            maxAgeMs: opts.maxAgeMs,
            clock: opts.clock,
            flushDelayMs: opts.flushDelayMs,
            onError: opts.onError,
          });
  }

  /** Events that never reached the file (buffer full, write failed, or recorded after close). */
  get dropped(): number {
    return this.writer?.dropped ?? 0;
  }

  /** How the file audits a request (`user` absent when its credentials were refused). */
  configFor(user: AuditPolicyUser, request: AuditAttributes): RequestAuditConfig {
    return this.policy ? this.policy.configFor(user, request) : AUDIT_METADATA_EVERYTHING;
  }

  /**
   * Keeps `event` in the ring and writes it to the file at `config`'s level unless that is None or omits the stage;
   * `objects` (Request level and above) are added to the line.
   */
  record(event: AuditEvent, config: RequestAuditConfig = AUDIT_METADATA_EVERYTHING, objects?: AuditObjects): void {
    this.ring.push(event);
    if (!this.writer || config.level === 'None' || config.omitStages.has(event.stage)) return;
    this.writer.write(config.level === 'Metadata' ? auditEventLine(event) : auditEventLine(event, config.level, objects));
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
