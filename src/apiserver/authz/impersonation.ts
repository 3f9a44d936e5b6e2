import { ApiError } from '../../api/index.js';
import type { UserInfo } from '../authn/index.js';
import type { Attributes, Authorizer } from './authorizer.js';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** The impersonation headers of a request (name → every value), from its raw header list. */
export function impersonationHeaders(rawHeaders: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!name.startsWith('impersonate-')) continue;
    const values = out.get(name) ?? [];
    values.push(rawHeaders[i + 1]!);
    out.set(name, values);
  }
  return out;
}

/** One permission impersonation needs: `impersonate` on this object. */
type Check = { resource: string; namespace?: string; name: string; subresource?: string; apiGroup: string };

/**
 * upstream's WithImpersonation: `Impersonate-User` (with `Impersonate-Group`, `Impersonate-Uid` and
 * `Impersonate-Extra-<key>`) makes the request run as that user, once the requester may `impersonate` each of them
 * (users, serviceaccounts, groups, uids and userextras/<key> in the `authentication.k8s.io` group for the last two).
 * Without impersonation headers the user is returned as is; headers without Impersonate-User are a 400.
 */
export async function impersonate(requester: UserInfo, headers: Map<string, string[]>, authorizer: Authorizer): Promise<UserInfo> {
  if (headers.size === 0) return requester;
  const username = headers.get('impersonate-user')?.[0];
  if (username === undefined) {
    throw ApiError.badRequest(`requested [${[...headers.keys()].join(' ')}] without impersonating a user`);
  }
  const checks: Check[] = [];
  if (username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace, name] = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    checks.push({ resource: 'serviceaccounts', namespace, name: name ?? '', apiGroup: '' });
  } else {
    checks.push({ resource: 'users', name: username, apiGroup: '' });
  }
  const groups = headers.get('impersonate-group') ?? [];
  for (const g of groups) checks.push({ resource: 'groups', name: g, apiGroup: '' });
  const uid = headers.get('impersonate-uid')?.[0];
  if (uid !== undefined) checks.push({ resource: 'uids', name: uid, apiGroup: 'authentication.k8s.io' });
  const extra: Record<string, string[]> = {};
  for (const [header, values] of headers) {
    if (!header.startsWith('impersonate-extra-')) continue;
    const key = decodeURIComponent(header.slice('impersonate-extra-'.length));
    extra[key] = values;
    for (const v of values) checks.push({ resource: 'userextras', subresource: key, name: v, apiGroup: 'authentication.k8s.io' });
  }
  for (const c of checks) {
    const attrs: Attributes = { user: requester, verb: 'impersonate', resourceRequest: true, apiGroup: c.apiGroup, resource: c.resource, subresource: c.subresource ?? '', namespace: c.namespace ?? '', name: c.name };
    const { decision, reason } = await authorizer.authorize(attrs);
    if (decision === 'Allow') continue;
    const scope = c.namespace ? ` in the namespace "${c.namespace}"` : ' at the cluster scope';
    const suffix = reason ? `: ${reason}` : '';
    throw ApiError.forbidden({ group: c.apiGroup, resource: c.resource }, c.name, `User "${requester.username}" cannot impersonate resource "${c.subresource ? `${c.resource}/${c.subresource}` : c.resource}" in API group "${c.apiGroup}"${scope}${suffix}`);
  }
  const impersonatedGroups = [...groups];
  if (username.startsWith(SERVICE_ACCOUNT_PREFIX) && groups.length === 0) {
    const namespace = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':')[0] ?? '';
    impersonatedGroups.push('system:serviceaccounts', `system:serviceaccounts:${namespace}`);
  }
  if (username !== 'system:anonymous' && !impersonatedGroups.some((g) => g === 'system:authenticated' || g === 'system:unauthenticated')) {
    impersonatedGroups.push('system:authenticated');
  }
  return { username, groups: impersonatedGroups, ...(uid !== undefined ? { uid } : {}), ...(Object.keys(extra).length > 0 ? { extra } : {}) };
}
