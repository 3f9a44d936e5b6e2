import { ApiError } from '../../api/index.js';
import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import { writeJson } from '../http/respond.js';
import type { KubeObject } from '../kube-object.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ObjectRef, TokenIssuer, TokenSubject } from '../serviceaccount/index.js';
import { readJsonObject } from './subresource-handler.js';

type Obj = Record<string, unknown>;

/** The stores a TokenRequest reads: the service account, and the object the token is bound to. */
export interface TokenRequestStores {
  readonly serviceAccounts: ResourceStore;
  readonly pods: ResourceStore;
  readonly secrets: ResourceStore;
  readonly nodes: ResourceStore;
}

const TOKEN_REQUEST = { group: 'authentication.k8s.io', kind: 'TokenRequest' };
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

function refOf(obj: KubeObject): ObjectRef {
  return { name: obj.metadata?.name ?? '', uid: obj.metadata?.uid ?? '' };
}

function validate(name: string, spec: Obj): number {
  const raw = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const invalid = (detail: string) =>
    ApiError.invalid(TOKEN_REQUEST, name, [{ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', badValue: raw as number, detail }]);
  if (typeof raw !== 'number' || !Number.isInteger(raw)) throw invalid('must be an integer');
  if (raw < MIN_EXPIRATION_SECONDS) throw invalid('may not specify a duration less than 10 minutes');
  if (raw > MAX_EXPIRATION_SECONDS) throw invalid('may not specify a duration larger than 2^32 seconds');
  const audiences = spec.audiences ?? [];
  if (!Array.isArray(audiences) || !audiences.every((a) => typeof a === 'string')) throw ApiError.badRequest('spec.audiences must be a list of strings');
  return raw;
}

/**
 * POST serviceaccounts/<name>/token (upstream's TokenREST): issues a token for the service account, bound to the Pod,
 * Secret or Node the request names (a Pod also puts its Node in the token), with the API server's audiences unless
 * the request names others.
 */
export async function serveTokenRequest(
  req: ServerRequest,
  res: ServerResponse,
  stores: TokenRequestStores,
  issuer: TokenIssuer,
  namespace: string,
  name: string,
): Promise<void> {
  const request = await readJsonObject(req, 'TokenRequest');
  const meta = (request.metadata ?? {}) as Obj;
  if (typeof meta.name === 'string' && meta.name !== '' && meta.name !== name) {
    throw ApiError.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
  }
  const spec = { ...((request.spec ?? {}) as Obj) };
  const requestedSeconds = validate(name, spec);
  const sa = await stores.serviceAccounts.get(namespace, name);
  const subject: { -readonly [K in keyof TokenSubject]: TokenSubject[K] } = { namespace, serviceAccount: refOf(sa.object) };
  const boundRef = spec.boundObjectRef as Obj | undefined;
  if (boundRef) await bindTo(subject, boundRef, stores, namespace, name);
  const audiences = (spec.audiences as string[] | undefined)?.length ? (spec.audiences as string[]) : [...issuer.apiAudiences];
  const issued = issuer.issue(subject, audiences, requestedSeconds);
  const warning = issued.expirationSeconds !== requestedSeconds ? `requested expiration of ${requestedSeconds} seconds shortened to ${issued.expirationSeconds} seconds` : '';
  if (warning) res.setHeader('Warning', `299 - ${JSON.stringify(warning)}`);
  writeJson(req, res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z') },
    spec: { ...spec, audiences, expirationSeconds: issued.expirationSeconds },
    status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp },
  });
}

async function bindTo(
  subject: { pod?: ObjectRef; secret?: ObjectRef; node?: ObjectRef },
  ref: Obj,
  stores: TokenRequestStores,
  namespace: string,
  serviceAccount: string,
): Promise<void> {
  const kind = String(ref.kind ?? '');
  const apiVersion = String(ref.apiVersion ?? '');
  const refName = String(ref.name ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  let bound: KubeObject;
  if (group === '' && kind === 'Pod') {
    bound = (await stores.pods.get(namespace, refName)).object;
    const podServiceAccount = String(((bound.spec ?? {}) as Obj).serviceAccountName ?? '');
    if (podServiceAccount !== serviceAccount) {
      throw ApiError.badRequest(`cannot bind token for serviceaccount ${JSON.stringify(serviceAccount)} to pod running with serviceaccount ${JSON.stringify(podServiceAccount)}`);
    }
    subject.pod = refOf(bound);
    const nodeName = ((bound.spec ?? {}) as Obj).nodeName;
    if (typeof nodeName === 'string' && nodeName !== '') {
      const node = stores.nodes.cacher.get(stores.nodes.key('', nodeName));
      if (node) subject.node = refOf(node.object);
    }
  } else if (group === '' && kind === 'Secret') {
    bound = (await stores.secrets.get(namespace, refName)).object;
    subject.secret = refOf(bound);
  } else if (group === '' && kind === 'Node') {
    bound = (await stores.nodes.get('', refName)).object;
    subject.node = refOf(bound);
  } else {
    const gvk = `${group ? `${group}/` : '/'}${apiVersion.split('/').pop() ?? ''}, Kind=${kind}`;
    throw ApiError.badRequest(`cannot bind token to object of type ${gvk}`);
  }
  const uid = bound.metadata?.uid ?? '';
  if (typeof ref.uid === 'string' && ref.uid !== '' && ref.uid !== uid) {
    throw ApiError.conflict(
      { group, resource: kind },
      refName,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
}
