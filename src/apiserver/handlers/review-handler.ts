import type { KindInfo } from '../../api/index.js';
import { ApiError } from '../../api/index.js';
import type { UserInfo } from '../authn/index.js';
import type { Attributes, Authorizer } from '../authz/index.js';
import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import type { RequestInfo } from '../http/request-info.js';
import { readBody } from '../http/read-body.js';
import { writeJson } from '../http/respond.js';
import { bodyFormat, decodeProtobufBody } from './decode-body.js';

type Obj = Record<string, unknown>;

function review(group: string, kind: string, resource: string, namespaced = false): KindInfo {
  return {
    group,
    version: 'v1',
    apiVersion: `${group}/v1`,
    kind,
    listKind: `${kind}List`,
    resource,
    singular: resource.slice(0, -1),
    namespaced,
    shortNames: [],
    categories: [],
    verbs: ['create'],
    subresources: [],
    storagePrefix: '',
    storageVersionHash: '',
  };
}

/** `bindings`: a create-only resource that binds the Pod its body names (served by the resource handler). */
export const BINDING_KIND: KindInfo = { ...review('', 'Binding', 'bindings', true), apiVersion: 'v1' };

/** Resources computed per request and never stored (upstream's review APIs). */
export const REVIEW_KINDS: readonly KindInfo[] = [
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews'),
  review('authentication.k8s.io', 'TokenReview', 'tokenreviews'),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
  review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews'),
  review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews'),
  review('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews'),
];

export interface ReviewContext {
  readonly user: UserInfo;
  readonly authorizer: Authorizer;
  /**
   * Who a bearer token belongs to and for which of `audiences` (the API server's when empty) it is valid (TokenReview);
   * undefined when it is not valid for any.
   */
  readonly reviewToken: (token: string, audiences: readonly string[]) => { user: UserInfo; audiences: string[] } | undefined;
}

function userInfoJson(user: UserInfo): Obj {
  const out: Obj = { username: user.username };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length > 0) out.groups = user.groups;
  if (user.extra && Object.keys(user.extra).length > 0) out.extra = user.extra;
  return out;
}

async function decisionFor(ctx: ReviewContext, user: UserInfo, spec: Obj): Promise<Obj> {
  const res = spec.resourceAttributes as Obj | undefined;
  const nonRes = spec.nonResourceAttributes as Obj | undefined;
  if (!res && !nonRes) {
    throw ApiError.invalid({ group: 'authorization.k8s.io', kind: 'SubjectAccessReview' }, '', [
      { type: 'FieldValueRequired', field: 'spec.resourceAttributes', badValue: '', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' },
    ]);
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const attributes: Attributes = res
    ? {
        user,
        verb: str(res.verb),
        resourceRequest: true,
        namespace: str(res.namespace),
        apiGroup: str(res.group),
        apiVersion: str(res.version),
        resource: str(res.resource),
        subresource: str(res.subresource),
        name: str(res.name),
      }
    : { user, verb: str(nonRes!.verb), resourceRequest: false, path: str(nonRes!.path) };
  const { decision, reason } = await ctx.authorizer.authorize(attributes);
  return { allowed: decision === 'Allow', ...(decision === 'Deny' ? { denied: true } : {}), ...(reason ? { reason } : {}) };
}

/** Serves POST of a review resource; false when the request is not for one. */
export async function handleReview(req: ServerRequest, res: ServerResponse, info: RequestInfo, ctx: ReviewContext): Promise<boolean> {
  const kind = REVIEW_KINDS.find((k) => k.group === info.apiGroup && k.version === info.apiVersion && k.resource === info.resource);
  if (!kind) return false;
  if (info.verb !== 'create' || info.name !== '') throw ApiError.methodNotSupported({ group: kind.group, resource: kind.resource }, info.verb);
  if (kind.namespaced !== (info.namespace !== '')) throw new ApiError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
  const format = bodyFormat(req.headers['content-type']);
  const bytes = await readBody(req);
  const raw = format === 'protobuf' ? '' : bytes.toString('utf8');
  let body: Obj = format === 'protobuf' && bytes.length > 0 ? (decodeProtobufBody(bytes, kind.kind, 'v1').object as Obj) : {};
  if (raw !== '') {
    try {
      body = JSON.parse(raw) as Obj;
    } catch (err) {
      throw ApiError.badRequest(`${kind.kind} in version "v1" cannot be handled as a ${kind.kind}: ${(err as Error).message}`);
    }
  }
  const spec = (body.spec ?? {}) as Obj;
  const answer = (status: Obj) =>
    writeJson(req, res, 201, { kind: kind.kind, apiVersion: kind.apiVersion, metadata: { creationTimestamp: null }, ...(kind.kind === 'SelfSubjectReview' ? {} : { spec }), status });
  switch (kind.kind) {
    case 'SelfSubjectReview':
      answer({ userInfo: userInfoJson(ctx.user) });
      break;
    case 'TokenReview': {
      const audiences = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
      const found = typeof spec.token === 'string' && spec.token !== '' ? ctx.reviewToken(spec.token, audiences) : undefined;
      answer(found ? { authenticated: true, user: userInfoJson(found.user), audiences: found.audiences } : { user: {}, error: 'invalid bearer token' });
      break;
    }
    case 'SelfSubjectAccessReview':
      answer(await decisionFor(ctx, ctx.user, spec));
      break;
    case 'SelfSubjectRulesReview':
      // Every authenticated user may do everything until RBAC is enforced.
      answer({ resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false });
      break;
    default: {
      const subject: UserInfo = {
        username: typeof spec.user === 'string' ? spec.user : '',
        uid: typeof spec.uid === 'string' ? spec.uid : undefined,
        groups: Array.isArray(spec.groups) ? (spec.groups as string[]) : [],
        extra: (spec.extra ?? undefined) as Record<string, string[]> | undefined,
      };
      if (kind.namespaced) spec.resourceAttributes = { ...((spec.resourceAttributes as Obj | undefined) ?? {}), namespace: info.namespace };
      answer(await decisionFor(ctx, subject, spec));
    }
  }
  return true;
}
