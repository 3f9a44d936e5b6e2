/**
 * Event validation (pkg/apis/core/validation/events.go). Core v1 Events only get the legacy
 * checks; events.k8s.io/v1 Events get the strict ones too. events.k8s.io field names are mapped
 * onto the internal ones first, so paths read as upstream's (`involvedObject.namespace`).
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { invalid, required, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain, nameIsPathSegment } from '../name-validation.js';
import { isDNS1123Subdomain, isQualifiedName } from '../names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import { asObject, isObject, num, semanticEqual, str, validateImmutableField, type JsonObject } from './validation-util.js';

interface InternalEvent {
  metadata: ObjectMeta;
  involvedObject: JsonObject;
  reason: string;
  message: string;
  source: JsonObject;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  count: number;
  type: string;
  eventTime: unknown;
  series: unknown;
  action: string;
  related: unknown;
  reportingController: string;
  reportingInstance: string;
}

function internal(event: JsonObject, eventsGroup: boolean): InternalEvent {
  const pick = (coreKey: string, eventsKey: string): unknown => event[eventsGroup ? eventsKey : coreKey];
  return {
    metadata: asObject(event['metadata']) as ObjectMeta,
    involvedObject: asObject(pick('involvedObject', 'regarding')),
    reason: str(event['reason']),
    message: str(pick('message', 'note')),
    source: asObject(pick('source', 'deprecatedSource')),
    firstTimestamp: pick('firstTimestamp', 'deprecatedFirstTimestamp') ?? null,
    lastTimestamp: pick('lastTimestamp', 'deprecatedLastTimestamp') ?? null,
    count: num(pick('count', 'deprecatedCount')) ?? 0,
    type: str(event['type']),
    eventTime: event['eventTime'] ?? null,
    series: event['series'] ?? null,
    action: str(event['action']),
    related: event['related'] ?? null,
    reportingController: str(pick('reportingComponent', 'reportingController')),
    reportingInstance: str(event['reportingInstance']),
  };
}

function legacyValidate(event: InternalEvent): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = str(event.metadata.namespace);
  const involvedNamespace = str(event.involvedObject['namespace']);
  const mismatch = (): FieldError => invalid(FieldPath.of('involvedObject', 'namespace'), involvedNamespace, 'does not match event.namespace');
  if (event.eventTime === null) {
    if (involvedNamespace === '') {
      if (namespace !== '' && namespace !== 'default') errs.push(mismatch());
    } else if (namespace !== involvedNamespace) errs.push(mismatch());
  } else {
    if (involvedNamespace === '' && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch());
    if (event.reportingController === '') errs.push(required(FieldPath.of('reportingController')));
    for (const msg of isQualifiedName(event.reportingController)) {
      errs.push(invalid(FieldPath.of('reportingController'), event.reportingController, msg));
    }
    const limited: ReadonlyArray<readonly [string, string, number]> = [
      ['reportingInstance', event.reportingInstance, 128],
      ['action', event.action, 128],
      ['reason', event.reason, 128],
    ];
    for (const [field, value, limit] of limited) {
      if (value === '') errs.push(required(FieldPath.of(field)));
      if (Buffer.byteLength(value, 'utf8') > limit) errs.push(invalid(FieldPath.of(field), '', `can have at most ${limit} characters`));
    }
    if (Buffer.byteLength(event.message, 'utf8') > 1024) errs.push(invalid(FieldPath.of('message'), '', 'can have at most 1024 characters'));
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(invalid(FieldPath.of('namespace'), namespace, msg));
  return errs;
}

function validateSeries(event: InternalEvent): FieldError[] {
  if (!isObject(event.series)) return [];
  const errs: FieldError[] = [];
  if ((num(event.series['count']) ?? 0) < 2) errs.push(invalid(FieldPath.of('series.count'), '', 'should be at least 2'));
  if (event.series['lastObservedTime'] === undefined || event.series['lastObservedTime'] === null) {
    errs.push(required(FieldPath.of('series.lastObservedTime')));
  }
  return errs;
}

function strictValidate(event: InternalEvent): FieldError[] {
  const errs = validateObjectMeta(event.metadata, { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  errs.push(...validateSeries(event));
  if (event.eventTime === null) errs.push(required(FieldPath.of('eventTime')));
  if (event.type !== 'Normal' && event.type !== 'Warning') errs.push(invalid(FieldPath.of('type'), '', `has invalid value: ${event.type}`));
  if (event.firstTimestamp !== null) errs.push(invalid(FieldPath.of('firstTimestamp'), '', 'needs to be unset'));
  if (event.lastTimestamp !== null) errs.push(invalid(FieldPath.of('lastTimestamp'), '', 'needs to be unset'));
  if (event.count !== 0) errs.push(invalid(FieldPath.of('count'), '', 'needs to be unset'));
  if (str(event.source['component']) !== '' || str(event.source['host']) !== '') {
    errs.push(invalid(FieldPath.of('source'), '', 'needs to be unset'));
  }
  return errs;
}

/** Create validation; `eventsGroup` is true for events.k8s.io/v1 requests. */
export function validateEvent(obj: JsonObject, eventsGroup: boolean): FieldError[] {
  const event = internal(obj, eventsGroup);
  const errs = legacyValidate(event);
  if (eventsGroup) return [...errs, ...strictValidate(event)];
  if (errs.length > 0) return errs;
  return validateObjectMeta(event.metadata, { requiresNamespace: true, nameValidator: nameIsPathSegment, kubeFinalizers: false });
}

export function validateEventUpdate(obj: JsonObject, oldObj: JsonObject, eventsGroup: boolean): FieldError[] {
  const event = internal(obj, eventsGroup);
  const old = internal(oldObj, eventsGroup);
  const errs = legacyValidate(event);
  if (!eventsGroup) {
    return errs.length > 0 ? errs : validateObjectMetaUpdate(event.metadata, old.metadata, { kubeFinalizers: false });
  }
  errs.push(...validateObjectMetaUpdate(event.metadata, old.metadata));
  if (!semanticEqual(event.series, old.series)) errs.push(...validateSeries(event));
  const fields: ReadonlyArray<keyof InternalEvent> = [
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'reason',
    'type',
    'eventTime',
    'action',
    'related',
    'reportingController',
    'reportingInstance',
  ];
  for (const field of fields) errs.push(...validateImmutableField(event[field], old[field], FieldPath.of(field)));
  return errs;
}
