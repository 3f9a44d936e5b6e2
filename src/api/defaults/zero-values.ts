/**
 * Fields kube-apiserver always prints because Go serialises zero-valued non-pointer structs and
 * non-omitempty fields: `status: {replicas: 0}` on a new ReplicaSet, `status: {loadBalancer: {}}`
 * on a Service, `eventTime: null` on an Event. Applied after defaulting; safe to repeat right
 * before an object is written out (e.g. after a strategy has reset its status, or admission has
 * set a Pod's serviceAccountName, which the deprecated `serviceAccount` then echoes).
 */
import { isObject, objectAt, orderKeys, setDefault, type JsonObject } from './field-order.js';
import { syncDeprecatedServiceAccount } from './pod-defaults.js';

const SPEC_STATUS_ORDER = ['kind', 'apiVersion', 'metadata', 'spec', 'status'] as const;

const NODE_INFO_FIELDS = [
  'machineID',
  'systemUUID',
  'bootID',
  'kernelVersion',
  'osImage',
  'containerRuntimeVersion',
  'kubeletVersion',
  'kubeProxyVersion',
  'operatingSystem',
  'architecture',
] as const;

const CORE_EVENT_ORDER = [
  'kind',
  'apiVersion',
  'metadata',
  'involvedObject',
  'reason',
  'message',
  'source',
  'firstTimestamp',
  'lastTimestamp',
  'count',
  'type',
  'eventTime',
  'series',
  'action',
  'related',
  'reportingComponent',
  'reportingInstance',
] as const;

const EVENTS_V1_ORDER = [
  'kind',
  'apiVersion',
  'metadata',
  'eventTime',
  'series',
  'reportingController',
  'reportingInstance',
  'action',
  'reason',
  'regarding',
  'related',
  'note',
  'type',
  'deprecatedSource',
  'deprecatedFirstTimestamp',
  'deprecatedLastTimestamp',
  'deprecatedCount',
] as const;

function withSpecAndStatus(obj: JsonObject, status: JsonObject | undefined): void {
  objectAt(obj, 'spec');
  if (status !== undefined) {
    const current = objectAt(obj, 'status');
    for (const [key, value] of Object.entries(status)) setDefault(current, key, value);
  }
  orderKeys(obj, SPEC_STATUS_ORDER);
}

function nodeZeroValues(node: JsonObject): void {
  withSpecAndStatus(node, {});
  const status = objectAt(node, 'status');
  const endpoints = objectAt(status, 'daemonEndpoints');
  setDefault(objectAt(endpoints, 'kubeletEndpoint'), 'Port', 0);
  const nodeInfo = objectAt(status, 'nodeInfo');
  for (const field of NODE_INFO_FIELDS) setDefault(nodeInfo, field, '');
}

function coreEventZeroValues(event: JsonObject): void {
  objectAt(event, 'involvedObject');
  objectAt(event, 'source');
  for (const key of ['firstTimestamp', 'lastTimestamp', 'eventTime']) setDefault(event, key, null);
  setDefault(event, 'reportingComponent', '');
  setDefault(event, 'reportingInstance', '');
  orderKeys(event, CORE_EVENT_ORDER);
}

function eventsV1ZeroValues(event: JsonObject): void {
  objectAt(event, 'regarding');
  objectAt(event, 'deprecatedSource');
  for (const key of ['eventTime', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp']) setDefault(event, key, null);
  orderKeys(event, EVENTS_V1_ORDER);
}

type ZeroValues = (obj: JsonObject) => void;

const specAndStatus = (obj: JsonObject): void => withSpecAndStatus(obj, {});
const rbacRules = (obj: JsonObject): void => setDefault(obj, 'rules', null);

/** What each kind materialises, by group and then kind. */
const ZERO_VALUES: ReadonlyMap<string, ReadonlyMap<string, ZeroValues>> = new Map<string, ReadonlyMap<string, ZeroValues>>([
  [
    '',
    new Map<string, ZeroValues>([
      [
        'Pod',
        (pod) => {
          withSpecAndStatus(pod, {});
          syncDeprecatedServiceAccount(objectAt(pod, 'spec'));
        },
      ],
      ['Service', (service) => withSpecAndStatus(service, { loadBalancer: {} })],
      ['Namespace', (namespace) => withSpecAndStatus(namespace, { phase: 'Active' })],
      ['Node', nodeZeroValues],
      ['Event', coreEventZeroValues],
    ]),
  ],
  [
    'apps',
    new Map<string, ZeroValues>([
      ['ReplicaSet', (rs) => withSpecAndStatus(rs, { replicas: 0 })],
      ['Deployment', specAndStatus],
    ]),
  ],
  [
    'batch',
    new Map<string, ZeroValues>([
      ['Job', specAndStatus],
      ['CronJob', specAndStatus],
    ]),
  ],
  ['events.k8s.io', new Map<string, ZeroValues>([['Event', eventsV1ZeroValues]])],
  ['coordination.k8s.io', new Map<string, ZeroValues>([['Lease', (lease) => withSpecAndStatus(lease, undefined)]])],
  [
    'rbac.authorization.k8s.io',
    new Map<string, ZeroValues>([
      ['Role', rbacRules],
      ['ClusterRole', rbacRules],
    ]),
  ],
]);

export function materializeZeroValues(group: string, kind: string, obj: object): void {
  if (!isObject(obj)) return;
  ZERO_VALUES.get(group)?.get(kind)?.(obj);
}
