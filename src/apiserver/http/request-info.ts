/**
 * What a request addresses, parsed from its path and method as upstream's RequestInfoFactory does:
 * `/api/v1/namespaces/default/pods/web/status` → group "", version v1, namespace default, resource pods,
 * name web, subresource status.
 */
export interface RequestInfo {
  readonly isResourceRequest: boolean;
  readonly path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection (resource requests); the lower-case method otherwise. */
  readonly verb: string;
  readonly apiPrefix: 'api' | 'apis' | '';
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly namespace: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
  /** The path segments after the group/version (for discovery requests: empty). */
  readonly parts: readonly string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const METHOD_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', GET: 'get', HEAD: 'get', DELETE: 'delete' };

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const segments = pathname.split('/').filter((s) => s !== '');
  const nonResource: RequestInfo = {
    isResourceRequest: false,
    path: pathname,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const prefix = segments[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource;
  let rest = segments.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (rest.length < 1) return { ...nonResource, apiPrefix: prefix };
    apiGroup = rest[0]!;
    rest = rest.slice(1);
  }
  if (rest.length < 1) return { ...nonResource, apiPrefix: prefix, apiGroup };
  const apiVersion = rest[0]!;
  let parts = rest.slice(1);
  if (parts.length === 0) return { ...nonResource, apiPrefix: prefix, apiGroup, apiVersion };

  let verb = METHOD_VERBS[method] ?? method.toLowerCase();
  if (parts[0] === 'watch') {
    verb = 'watch';
    parts = parts.slice(1);
  }
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length >= 2) {
    namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  const resource = parts[0] ?? '';
  const name = parts[1] ?? '';
  const subresource = parts[2] ?? '';
  if (name === '') {
    if (verb === 'get') verb = 'list';
    else if (verb === 'delete') verb = 'deletecollection';
  }
  if ((verb === 'list' || verb === 'get') && (query.get('watch') === 'true' || query.get('watch') === '1')) verb = 'watch';
  return { isResourceRequest: true, path: pathname, verb, apiPrefix: prefix, apiGroup, apiVersion, namespace, resource, subresource, name, parts };
}

/**
 * The object name authorization sees: the name in the path, or for a list or watch, the name an exact
 * `metadata.name=` field selector requires (upstream's RequestInfoFactory does the same, so a kubelet may watch its own
 * Node).
 */
export function authorizationName(info: RequestInfo, query: URLSearchParams): string {
  if (info.name !== '' || (info.verb !== 'list' && info.verb !== 'watch')) return info.name;
  const selector = query.get('fieldSelector');
  if (!selector) return '';
  let name = '';
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (m) name = m[1]!;
  }
  return name.includes('/') || name === '.' || name === '..' || name.includes('%') ? '' : name;
}
