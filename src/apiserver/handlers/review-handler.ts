import type { KindInfo } from '../../api/index.js';
import { ApiError } from '../../api/index.js';
import type { UserInfo } from '../authn/index.js';
import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import type { RequestInfo } from '../http/request-info.js';
import { readBody } from '../http/read-body.js';
import { writeJson } from '../http/respond.js';
import { bodyFormat } from './decode-body.js';

/** Resources that are computed per request and never stored (upstream's "virtual" review resources). */
export const REVIEW_KINDS: readonly KindInfo[] = [
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
    listKind: 'SelfSubjectReviewList',
    resource: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    namespaced: false,
    shortNames: [],
    categories: [],
    verbs: ['create'],
    subresources: [],
    storagePrefix: '',
    storageVersionHash: '',
  },
];

/** Serves POST of a review resource; undefined when the request is not for one. */
export async function handleReview(req: ServerRequest, res: ServerResponse, info: RequestInfo, user: UserInfo): Promise<boolean> {
  const kind = REVIEW_KINDS.find((k) => k.group === info.apiGroup && k.version === info.apiVersion && k.resource === info.resource);
  if (!kind) return false;
  if (info.verb !== 'create' || info.name !== '') throw ApiError.methodNotSupported({ group: kind.group, resource: kind.resource }, info.verb);
  bodyFormat(req.headers['content-type']);
  await readBody(req);
  const userInfo: Record<string, unknown> = { username: user.username };
  if (user.uid) userInfo.uid = user.uid;
  if (user.groups.length > 0) userInfo.groups = user.groups;
  if (user.extra && Object.keys(user.extra).length > 0) userInfo.extra = user.extra;
  writeJson(req, res, 201, { kind: kind.kind, apiVersion: kind.apiVersion, metadata: { creationTimestamp: null }, status: { userInfo } });
  return true;
}
