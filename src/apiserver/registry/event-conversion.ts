import type { KubeObject } from '../kube-object.js';

/**
 * events.k8s.io/v1 Events share storage with core/v1 Events (upstream stores both at /registry/events in the
 * core shape); these convert between the two field sets as upstream's conversion functions do.
 */
const RENAMES: readonly [events: string, core: string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];
const SHARED = ['reason', 'type', 'eventTime', 'series', 'action', 'related', 'reportingInstance'];

function convert(obj: KubeObject, apiVersion: string, pairs: readonly [from: string, to: string][]): KubeObject {
  const out: KubeObject = { kind: 'Event', apiVersion, metadata: obj.metadata };
  for (const [from, to] of pairs) if (obj[from] !== undefined) out[to] = obj[from];
  for (const k of SHARED) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

export const eventsV1Conversion = {
  fromStorage: (core: KubeObject): KubeObject => convert(core, 'events.k8s.io/v1', RENAMES.map(([e, c]) => [c, e])),
  toStorage: (ev: KubeObject): KubeObject => convert(ev, 'v1', RENAMES),
};
