/** An OpenAPI v3 parameter object. */
export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly description: string;
  readonly required?: true;
  readonly schema: { readonly type: 'string' | 'boolean' | 'integer'; readonly uniqueItems: true };
}

type ParamType = OpenApiParameter['schema']['type'];

const QUERY: Readonly<Record<string, readonly [ParamType, string]>> = {
  allowWatchBookmarks: ['boolean', 'Ask for BOOKMARK watch events. Servers may send them at any interval, or never; ignored unless watching.'],
  container: ['string', 'The container to stream logs of; defaults to the only container when the pod has one.'],
  continue: ['string', 'The continue token of a previous limited list, to fetch its next chunk. Tokens expire; an expired one answers 410 Gone.'],
  dryRun: ['string', 'When present, the request is processed but nothing is persisted. The only valid value is All.'],
  fieldManager: ['string', 'The name of the actor making this change, recorded in managedFields. At most 128 printable characters; required for apply patches.'],
  fieldSelector: ['string', 'Restrict the returned objects by their fields. Defaults to everything.'],
  fieldValidation: ['string', 'How to treat unknown or duplicate fields in the request object: Ignore drops them, Warn answers with a warning for each, Strict fails the request.'],
  follow: ['boolean', 'Keep streaming the log as it grows. Defaults to false.'],
  force: ['boolean', 'Force an apply request to take over fields managed by others. Must be unset for other patch types.'],
  gracePeriodSeconds: ['integer', 'Seconds before the object is deleted; zero deletes immediately, unset uses the default of the kind.'],
  ignoreStoreReadErrorWithClusterBreakingPotential: ['boolean', 'Delete an object even though it cannot be read from storage (corrupt or undecryptable). Dangerous; needs its own authorization.'],
  labelSelector: ['string', 'Restrict the returned objects by their labels. Defaults to everything.'],
  limitBytes: ['integer', 'The most bytes of log to return before stopping.'],
  limit: ['integer', 'The most objects a list returns; when more exist, the list metadata carries a continue token for the rest.'],
  orphanDependents: ['boolean', 'Deprecated in favour of propagationPolicy: whether dependents are orphaned.'],
  previous: ['boolean', 'Return the log of the previous, terminated instance of the container. Defaults to false.'],
  pretty: ['string', "If 'true', the output is pretty printed."],
  propagationPolicy: ['string', 'How garbage collection treats dependents: Orphan, Background or Foreground.'],
  resourceVersion: ['string', 'Constrains which resource versions the request may be served from. Defaults to unset.'],
  resourceVersionMatch: ['string', 'How resourceVersion applies to a list: NotOlderThan or Exact. Defaults to unset.'],
  sendInitialEvents: ['boolean', 'With watch=true, start the watch with synthetic ADDED events for the current state, then a bookmark marking its end.'],
  sinceSeconds: ['integer', 'Only return log lines newer than this many seconds.'],
  tailLines: ['integer', 'How many lines from the end of the log to return; unset returns the whole log.'],
  timestamps: ['boolean', 'Prefix every log line with an RFC3339 timestamp. Defaults to false.'],
  timeoutSeconds: ['integer', 'Limit the duration of the list or watch call, whatever its activity.'],
  watch: ['boolean', 'Watch for changes to the described resources, streaming add, update and remove notifications.'],
};

function query(name: string): OpenApiParameter {
  const entry = QUERY[name];
  if (entry === undefined) throw new Error(`unknown query parameter ${name}`);
  return { name, in: 'query', description: entry[1], schema: { type: entry[0], uniqueItems: true } };
}

const queries = (...names: string[]): OpenApiParameter[] => names.map(query);

/** The path parameters of a path (namespace and name as it has them), plus `pretty`. */
export function pathParameters(kind: string, namespaced: boolean, named: boolean): OpenApiParameter[] {
  const out: OpenApiParameter[] = [];
  if (named) out.push(pathParameter('name', `name of the ${kind}`));
  if (namespaced) out.push(pathParameter('namespace', 'object name and auth scope, such as for teams and projects'));
  out.push(query('pretty'));
  return out;
}

function pathParameter(name: string, description: string): OpenApiParameter {
  return { name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } };
}

const LIST = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
const DELETE = ['dryRun', 'gracePeriodSeconds', 'ignoreStoreReadErrorWithClusterBreakingPotential', 'orphanDependents', 'propagationPolicy'];

/** The operation-level parameters of each OpenAPI action, as kube-apiserver documents them. */
export const operationParameters = {
  get: (): OpenApiParameter[] => [],
  list: (): OpenApiParameter[] => queries(...LIST),
  post: (): OpenApiParameter[] => queries('dryRun', 'fieldManager', 'fieldValidation'),
  put: (): OpenApiParameter[] => queries('dryRun', 'fieldManager', 'fieldValidation'),
  patch: (): OpenApiParameter[] => queries('dryRun', 'fieldManager', 'fieldValidation', 'force'),
  delete: (): OpenApiParameter[] => queries(...DELETE),
  deletecollection: (): OpenApiParameter[] =>
    queries(...[...DELETE, ...LIST.filter((p) => p !== 'watch' && p !== 'allowWatchBookmarks')].sort()),
  watch: (): OpenApiParameter[] => queries(...LIST),
  log: (): OpenApiParameter[] =>
    queries('container', 'follow', 'limitBytes', 'previous', 'sinceSeconds', 'tailLines', 'timestamps'),
};
