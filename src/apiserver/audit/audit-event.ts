import type { StoredObject } from '../http/respond.js';

/**
 * The `audit.k8s.io/v1` Event as upstream writes it (k8s.io/apiserver/pkg/apis/audit/v1/types.go), at the
 * Metadata level: no requestObject or responseObject. Field names and order match upstream's JSON.
 */
export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';

/**
 * RequestReceived: as soon as the request arrives, before any handler runs.
 * ResponseStarted: once the response headers are sent; only for long-running requests (watch).
 * ResponseComplete: once the response body is finished (for a watch: when the watch ends).
 * Panic: when the handler crashed.
 */
export type AuditStage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

/** authentication.k8s.io/v1 UserInfo. */
export interface AuditUserInfo {
  readonly username: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

export interface AuditObjectReference {
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  readonly resourceVersion?: string;
  readonly subresource?: string;
}

/** meta/v1 Status: success carries only `metadata` and `code`; failures add status, message and reason. */
export interface AuditResponseStatus {
  readonly metadata: Record<string, never>;
  readonly status?: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: string;
  readonly code: number;
}

export interface AuditEvent {
  readonly kind: 'Event';
  readonly apiVersion: 'audit.k8s.io/v1';
  readonly level: AuditLevel;
  readonly auditID: string;
  readonly stage: AuditStage;
  readonly requestURI: string;
  /** The RequestInfo verb (get, list, watch, create, update, patch, delete, deletecollection); the lower-case HTTP method for non-resource requests. */
  readonly verb: string;
  readonly user: AuditUserInfo;
  readonly impersonatedUser?: AuditUserInfo;
  readonly sourceIPs?: readonly string[];
  readonly userAgent?: string;
  readonly objectRef?: AuditObjectReference;
  readonly responseStatus?: AuditResponseStatus;
  /** MicroTime: RFC 3339 in UTC with six fractional digits, e.g. 2024-05-01T10:00:00.123000Z. */
  readonly requestReceivedTimestamp: string;
  readonly stageTimestamp: string;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Not part of upstream's schema and never written to the file: what a write stored, for `skiff trace`. */
  readonly stored?: AuditStoredObject;
}

/** The object a successful write left in storage (noted by the response writer). */
export type AuditStoredObject = StoredObject;

/**
 * What a Request or RequestResponse level line adds: the request body and the response body as one-line JSON text,
 * spliced in as they are. `truncated` notes an object left out for its size (upstream's truncate annotation).
 */
export interface AuditObjects {
  readonly requestObject?: string;
  readonly responseObject?: string;
  readonly truncated?: boolean;
}

/**
 * One JSON line in upstream's field order, at `level` (the event's own by default); fields outside the Event schema
 * are not written. A line without objects costs one JSON.stringify, as it always has; requestObject and responseObject
 * go in just before requestReceivedTimestamp (after it come only the timestamps and our own annotations).
 */
export function auditEventLine(e: AuditEvent, level: AuditLevel = e.level, objects?: AuditObjects): string {
  if (objects === undefined) return `${JSON.stringify(fields(e, level, e.annotations))}\n`;
  const annotations = objects.truncated ? { ...e.annotations, 'audit.k8s.io/truncated': 'true' } : e.annotations;
  const line = JSON.stringify(fields(e, level, annotations));
  const at = line.lastIndexOf(',"requestReceivedTimestamp":');
  const requestObject = objects.requestObject === undefined ? '' : `,"requestObject":${objects.requestObject}`;
  const responseObject = objects.responseObject === undefined ? '' : `,"responseObject":${objects.responseObject}`;
  return `${line.slice(0, at)}${requestObject}${responseObject}${line.slice(at)}\n`;
}

function fields(e: AuditEvent, level: AuditLevel, annotations: AuditEvent['annotations']): object {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level,
    auditID: e.auditID,
    stage: e.stage,
    requestURI: e.requestURI,
    verb: e.verb,
    user: e.user,
    impersonatedUser: e.impersonatedUser,
    sourceIPs: e.sourceIPs,
    userAgent: e.userAgent,
    objectRef: e.objectRef,
    responseStatus: e.responseStatus,
    requestReceivedTimestamp: e.requestReceivedTimestamp,
    stageTimestamp: e.stageTimestamp,
    annotations,
  };
}
