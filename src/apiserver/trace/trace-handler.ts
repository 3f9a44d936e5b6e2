import { ApiError, type KindInfo } from '../../api/index.js';
import type { AuditLog, WatchDeliveryRing } from '../audit/index.js';
import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import type { RequestInfo } from '../http/request-info.js';
import { writeJson } from '../http/respond.js';
import { buildTrace, parseTraceName, TRACE_GROUP, TRACE_VERSION } from './build-trace.js';

/** `traces.trace.skiff.dev`: read-only, computed per request from the audit and watch-delivery rings. */
export const TRACE_KIND: KindInfo = {
  group: TRACE_GROUP,
  version: TRACE_VERSION,
  apiVersion: `${TRACE_GROUP}/${TRACE_VERSION}`,
  kind: 'Trace',
  listKind: 'TraceList',
  resource: 'traces',
  singular: 'trace',
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: ['get'],
  subresources: [],
  storagePrefix: '',
  storageVersionHash: '',
};

const GROUP_RESOURCE = { group: TRACE_GROUP, resource: 'traces' };

/**
 * GET /apis/trace.skiff.dev/v1alpha1/namespaces/{ns}/traces/{resource}.{name} (cluster-scoped objects:
 * /apis/trace.skiff.dev/v1alpha1/traces/{resource}.{name}). Every other verb is 405.
 */
export function serveTrace(req: ServerRequest, res: ServerResponse, info: RequestInfo, audit: AuditLog, deliveries: WatchDeliveryRing): void {
  if (info.apiVersion !== TRACE_VERSION || info.resource !== 'traces' || info.subresource !== '') {
    throw new ApiError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
  }
  if (info.verb !== 'get') throw ApiError.methodNotSupported(GROUP_RESOURCE, info.verb);
  const subject = parseTraceName(info.name);
  if (!subject) throw ApiError.badRequest(`a trace's name is <resource>.<name>, e.g. replicasets.my-replicaset; got ${JSON.stringify(info.name)}`);
  const trace = buildTrace({ ...subject, namespace: info.namespace }, audit.recent(), deliveries.query({ name: subject.name, namespace: info.namespace }));
  if (trace.records.length === 0) throw ApiError.notFound(GROUP_RESOURCE, info.name);
  writeJson(req, res, 200, trace);
}
