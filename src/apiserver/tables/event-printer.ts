import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1.js';
import type { KubeObject } from '../kube-object.js';
import { column, nameColumn } from './columns.js';
import { parseTime, timeSince } from './human-duration.js';
import type { PrintedRow, TablePrinter } from './table-types.js';

const COLUMNS = [
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column(
    'Reason',
    'string',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column('Object', 'string', 'The object that this event is about.'),
  column(
    'Subobject',
    'string',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
    1,
  ),
  column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
  column('Count', 'string', 'The number of times this event has occurred.', 1),
  nameColumn(1),
];

/** The internal Event fields the printer reads, whichever API version the object is in. */
interface EventView {
  readonly name: string;
  readonly kind: string;
  readonly objectName: string;
  readonly fieldPath: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly component: string;
  readonly host: string;
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly firstTimestamp: unknown;
  readonly lastTimestamp: unknown;
  readonly eventTime: unknown;
  readonly count: number;
  readonly series: { readonly count?: number; readonly lastObservedTime?: unknown } | undefined;
}

function viewOf(obj: KubeObject): EventView {
  const common = { name: obj.metadata?.name ?? '', type: String(obj.type ?? ''), reason: String(obj.reason ?? '') };
  if (obj.apiVersion?.startsWith('events.k8s.io/')) {
    const ev = obj as Partial<EventsV1Event>;
    return {
      ...common,
      kind: ev.regarding?.kind ?? '',
      objectName: ev.regarding?.name ?? '',
      fieldPath: ev.regarding?.fieldPath ?? '',
      message: ev.note ?? '',
      component: ev.deprecatedSource?.component ?? '',
      host: ev.deprecatedSource?.host ?? '',
      reportingController: ev.reportingController ?? '',
      reportingInstance: ev.reportingInstance ?? '',
      firstTimestamp: ev.deprecatedFirstTimestamp,
      lastTimestamp: ev.deprecatedLastTimestamp,
      eventTime: ev.eventTime,
      count: ev.deprecatedCount ?? 0,
      series: ev.series ?? undefined,
    };
  }
  const ev = obj as Partial<CoreEvent>;
  return {
    ...common,
    kind: ev.involvedObject?.kind ?? '',
    objectName: ev.involvedObject?.name ?? '',
    fieldPath: ev.involvedObject?.fieldPath ?? '',
    message: ev.message ?? '',
    component: ev.source?.component ?? '',
    host: ev.source?.host ?? '',
    reportingController: ev.reportingComponent ?? '',
    reportingInstance: ev.reportingInstance ?? '',
    firstTimestamp: ev.firstTimestamp,
    lastTimestamp: ev.lastTimestamp,
    eventTime: ev.eventTime,
    count: ev.count ?? 0,
    series: ev.series ?? undefined,
  };
}

/** formatEventSource: component (or reporting controller), then `, host` (or reporting instance) when there is one. */
function source(ev: EventView): string {
  const component = ev.component || ev.reportingController;
  const instance = ev.host || ev.reportingInstance;
  return instance === '' ? component : `${component}, ${instance}`;
}

/** Upstream's Event printer; reads core/v1 and events.k8s.io/v1 Events alike, as both print from the internal type. */
export const eventPrinter: TablePrinter = {
  columns: COLUMNS,
  print(obj: KubeObject, now: number): PrintedRow {
    const ev = viewOf(obj);
    const firstSeen = timeSince(parseTime(ev.firstTimestamp) === undefined ? ev.eventTime : ev.firstTimestamp, now);
    let lastSeen = parseTime(ev.lastTimestamp) === undefined ? firstSeen : timeSince(ev.lastTimestamp, now);
    let count = ev.count;
    if (ev.series !== undefined) {
      lastSeen = timeSince(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      count = 1;
    }
    const kind = ev.kind.toLowerCase();
    return {
      cells: [
        lastSeen,
        ev.type,
        ev.reason,
        ev.objectName === '' ? kind : `${kind}/${ev.objectName}`,
        ev.fieldPath,
        source(ev),
        ev.message.trim(),
        firstSeen,
        count,
        ev.name,
      ],
    };
  },
};
