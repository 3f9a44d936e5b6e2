import type { AuditEvent, WatchDelivery } from '../audit/index.js';
import { microTime } from '../audit/index.js';

export const TRACE_GROUP = 'trace.skiff.dev';
export const TRACE_VERSION = 'v1alpha1';

/** What a Trace is about: `<resource>.<name>` in a namespace (or cluster-scoped with namespace ''). */
export interface TraceSubject {
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
}

/** A write the API server answered (from the audit ring's ResponseComplete events). */
export interface TraceRequestRecord {
  readonly type: 'Request';
  readonly auditID: string;
  /** When the request arrived and when its answer was complete (MicroTime). */
  readonly received: string;
  /** When storage answered the write (MicroTime), for writes that stored an object. */
  readonly stored?: string;
  readonly completed: string;
  readonly verb: string;
  readonly requestURI: string;
  readonly user: string;
  readonly userAgent?: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly code: number;
  readonly name: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly controllerUid?: string;
  readonly nodeName?: string;
  readonly phase?: string;
}

/** A watch event sent to one watcher (from the watch-delivery ring). */
export interface TraceWatchRecord {
  readonly type: 'WatchDelivery';
  readonly time: string;
  readonly user: string;
  readonly userAgent: string;
  readonly resource: string;
  readonly name: string;
  readonly eventType: string;
  readonly resourceVersion: string;
}

export type TraceRecord = TraceRequestRecord | TraceWatchRecord;

export interface Trace {
  readonly kind: 'Trace';
  readonly apiVersion: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly subject: TraceSubject & { readonly uid?: string };
  /** Objects whose create named this one as their controller (e.g. a ReplicaSet's Pods), by the audit ring. */
  readonly dependents: readonly { readonly resource: string; readonly name: string; readonly uid?: string }[];
  /** Oldest first: writes of the subject (and its subresources) and watch events sent about it. */
  readonly records: readonly TraceRecord[];
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete']);

/** Parses a Trace's name, `<resource>.<object name>`; undefined when it has no dot. */
export function parseTraceName(name: string): { resource: string; name: string } | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return { resource: name.slice(0, dot), name: name.slice(dot + 1) };
}

/**
 * Builds the Trace of one object from the rings: the completed writes whose objectRef (or stored object, for a
 * create with generateName) is the subject, the watch events delivered about it, and the objects it controls.
 */
export function buildTrace(subject: TraceSubject, audit: readonly AuditEvent[], deliveries: readonly WatchDelivery[]): Trace {
  const requests: TraceRequestRecord[] = [];
  let uid: string | undefined;
  for (const e of audit) {
    const ref = e.objectRef;
    if (e.stage !== 'ResponseComplete' || !ref || ref.resource !== subject.resource || !WRITE_VERBS.has(e.verb)) continue;
    if ((ref.namespace ?? '') !== subject.namespace) continue;
    const name = ref.name ?? e.stored?.name;
    if (name !== subject.name) continue;
    if (e.stored?.uid !== undefined && ref.subresource === undefined) uid = e.stored.uid;
    requests.push(requestRecord(e, name));
  }
  const dependents: Trace['dependents'][number][] = [];
  if (uid !== undefined) {
    for (const e of audit) {
      if (e.stage === 'ResponseComplete' && e.verb === 'create' && e.stored?.controllerUid === uid && e.objectRef?.resource !== undefined && e.objectRef.subresource === undefined) {
        dependents.push({ resource: e.objectRef.resource, name: e.stored.name, uid: e.stored.uid });
      }
    }
  }
  const watches: TraceWatchRecord[] = [];
  for (const d of deliveries) {
    if (d.type === 'BOOKMARK' || d.name !== subject.name || (d.namespace ?? '') !== subject.namespace) continue;
    if (d.resource !== subject.resource && !d.resource.endsWith(`/${subject.resource}`)) continue;
    watches.push({
      type: 'WatchDelivery',
      time: microTime(d.time),
      user: d.user,
      userAgent: d.userAgent,
      resource: d.resource,
      name: d.name,
      eventType: d.type,
      resourceVersion: d.resourceVersion,
    });
  }
  const records = [...requests, ...watches].sort((a, b) => recordTime(a).localeCompare(recordTime(b)));
  return {
    kind: 'Trace',
    apiVersion: `${TRACE_GROUP}/${TRACE_VERSION}`,
    metadata: { name: `${subject.resource}.${subject.name}`, ...(subject.namespace === '' ? {} : { namespace: subject.namespace }) },
    subject: { ...subject, ...(uid === undefined ? {} : { uid }) },
    dependents,
    records,
  };
}

/** When a record happened: a request's arrival, a watch event's sending. */
export function recordTime(r: TraceRecord): string {
  return r.type === 'Request' ? r.received : r.time;
}

function requestRecord(e: AuditEvent, name: string): TraceRequestRecord {
  const s = e.stored;
  return {
    type: 'Request',
    auditID: e.auditID,
    received: e.requestReceivedTimestamp,
    stored: s?.storedAt === undefined ? undefined : microTime(s.storedAt),
    completed: e.stageTimestamp,
    verb: e.verb,
    requestURI: e.requestURI,
    user: e.user.username,
    userAgent: e.userAgent,
    resource: e.objectRef?.resource ?? '',
    subresource: e.objectRef?.subresource,
    code: e.responseStatus?.code ?? 0,
    name,
    uid: s?.uid,
    resourceVersion: s?.resourceVersion,
    controllerUid: s?.controllerUid,
    nodeName: s?.nodeName,
    phase: s?.phase,
  };
}
