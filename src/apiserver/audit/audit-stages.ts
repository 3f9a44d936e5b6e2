import type { RequestInfo } from '../http/request-info.js';
import type { AuditEvent, AuditLevel, AuditStoredObject, AuditObjectReference, AuditResponseStatus, AuditUserInfo } from './audit-event.js';

/**
 * Builds the events upstream's WithAudit filter emits for one request, all sharing its auditID:
 * - an ordinary request: `requestReceived` on arrival, `responseComplete` when the response is written;
 * - a long-running request (watch): `requestReceived`, `responseStarted` once the headers are sent, and
 *   `responseComplete` when the watch ends;
 * - a request that fails authentication (upstream's WithFailedAuthenticationAudit): one `responseStarted` with code 401.
 */
export interface AuditRequest {
  readonly auditID: string;
  readonly requestURI: string;
  readonly verb: string;
  readonly user: AuditUserInfo;
  readonly impersonatedUser?: AuditUserInfo;
  readonly sourceIPs?: readonly string[];
  readonly userAgent?: string;
  readonly objectRef?: AuditObjectReference;
  /** Milliseconds since the epoch (Clock.now()) when the request arrived. */
  readonly receivedAt: number;
  readonly level?: AuditLevel;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface AuditOutcome {
  readonly code: number;
  readonly message?: string;
  readonly reason?: string;
}

export function requestReceived(req: AuditRequest): AuditEvent {
  return event(req, 'RequestReceived', req.receivedAt, undefined);
}

export function responseStarted(req: AuditRequest, at: number, outcome: AuditOutcome = { code: 200 }): AuditEvent {
  return event(req, 'ResponseStarted', at, responseStatus(outcome));
}

export function responseComplete(req: AuditRequest, at: number, outcome: AuditOutcome, stored?: AuditStoredObject): AuditEvent {
  const e = event(req, 'ResponseComplete', at, responseStatus(outcome));
  return stored === undefined ? e : { ...e, stored };
}

/** Upstream fills objectRef from RequestInfo for resource requests only (lists included, with no name). */
export function objectRefFor(
  info: Pick<RequestInfo, 'isResourceRequest' | 'resource' | 'namespace' | 'name' | 'apiGroup' | 'apiVersion' | 'subresource'>,
): AuditObjectReference | undefined {
  if (!info.isResourceRequest) return undefined;
  return {
    resource: info.resource || undefined,
    namespace: info.namespace || undefined,
    name: info.name || undefined,
    apiGroup: info.apiGroup || undefined,
    apiVersion: info.apiVersion || undefined,
    subresource: info.subresource || undefined,
  };
}

/** metav1.MicroTime: RFC 3339 UTC with microseconds; sub-millisecond fractions of `ms` are kept. */
export function microTime(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.round((ms - whole) * 1000));
  const second = Math.floor(whole / 1000);
  // Requests arrive many per second: the date and time up to the second are formatted once per second.
  if (second !== lastSecond) {
    const iso = new Date(second * 1000).toISOString();
    lastSecond = second;
    lastPrefix = iso.length === 24 ? iso.slice(0, 20) : undefined;
  }
  if (lastPrefix === undefined) return `${new Date(whole).toISOString().slice(0, -1)}${pad3(micros)}Z`;
  return `${lastPrefix}${pad3(whole - second * 1000)}${pad3(micros)}Z`;
}

let lastSecond = NaN;
/** `YYYY-MM-DDTHH:MM:SS.` of lastSecond (undefined for years toISOString writes with six digits). */
let lastPrefix: string | undefined;

function pad3(n: number): string {
  return n >= 100 ? String(n) : n >= 10 ? `0${n}` : `00${n}`;
}

function responseStatus(o: AuditOutcome): AuditResponseStatus {
  if (o.code < 400) return { metadata: {}, code: o.code };
  return { metadata: {}, status: 'Failure', message: o.message, reason: o.reason, code: o.code };
}

function event(req: AuditRequest, stage: AuditEvent['stage'], at: number, status: AuditResponseStatus | undefined): AuditEvent {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: req.level ?? 'Metadata',
    auditID: req.auditID,
    stage,
    requestURI: req.requestURI,
    verb: req.verb,
    user: req.user,
    impersonatedUser: req.impersonatedUser,
    sourceIPs: req.sourceIPs,
    userAgent: req.userAgent,
    objectRef: req.objectRef,
    responseStatus: status,
    requestReceivedTimestamp: microTime(req.receivedAt),
    stageTimestamp: microTime(at),
    annotations: req.annotations,
  };
}
