import { ApiError, FieldSelector, LabelSelector } from '../../api/index.js';

/** The ListOptions of a list or watch request, parsed and checked as upstream's ValidateListOptions does. */
export interface ListQuery {
  readonly labelSelector: LabelSelector;
  readonly fieldSelector: FieldSelector;
  readonly limit: number;
  readonly continueToken: string | undefined;
  /** undefined: not given (a consistent read); otherwise the parsed number (0 = any). */
  readonly resourceVersion: number | undefined;
  readonly resourceVersionMatch: 'Exact' | 'NotOlderThan' | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly allowWatchBookmarks: boolean;
  readonly sendInitialEvents: boolean | undefined;
}

function parseSelector<T>(value: string | null, parse: (s: string) => T, everything: T): T {
  if (value === null || value === '') return everything;
  try {
    return parse(value);
  } catch (err) {
    throw ApiError.badRequest((err as Error).message);
  }
}

function parseInteger(name: string, value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw ApiError.badRequest(`invalid value for ${name}: ${JSON.stringify(value)}`);
  return Number(value);
}

export function parseListQuery(q: URLSearchParams, isWatch: boolean): ListQuery {
  const rvText = q.get('resourceVersion');
  let resourceVersion: number | undefined;
  if (rvText !== null && rvText !== '') {
    if (!/^\d+$/.test(rvText)) {
      throw invalidListOptions(`resourceVersion: Invalid value: ${JSON.stringify(rvText)}: must be a non-negative integer`);
    }
    // upstream parses resourceVersion as an unsigned 64-bit integer.
    if (BigInt(rvText) > 18446744073709551615n) {
      throw invalidListOptions(`resourceVersion: Invalid value: ${JSON.stringify(rvText)}: must be a non-negative integer`);
    }
    resourceVersion = Number(rvText);
  }
  const match = q.get('resourceVersionMatch') ?? '';
  const continueToken = q.get('continue') ?? undefined;
  const sendInitialEvents = q.has('sendInitialEvents') ? q.get('sendInitialEvents') === 'true' : undefined;
  const problems: string[] = [];
  if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    problems.push(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (match !== '' && isWatch && sendInitialEvents === undefined) problems.push('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch');
  if (match !== '' && resourceVersion === undefined) problems.push('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match !== '' && continueToken) problems.push('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided');
  if (match === 'Exact' && resourceVersion === 0) problems.push('resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  if (sendInitialEvents !== undefined && !isWatch) problems.push('sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list');
  if (sendInitialEvents !== undefined && isWatch && match !== 'NotOlderThan') {
    problems.push("resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
  }
  if (problems.length > 0) throw invalidListOptions(problems.join(', '));
  if (continueToken && resourceVersion !== undefined && resourceVersion !== 0) {
    throw ApiError.badRequest('specifying resource version is not allowed when using continue');
  }
  const limit = parseInteger('limit', q.get('limit')) ?? 0;
  return {
    labelSelector: parseSelector(q.get('labelSelector'), (s) => LabelSelector.parse(s), LabelSelector.everything()),
    fieldSelector: parseSelector(q.get('fieldSelector'), (s) => FieldSelector.parse(s), FieldSelector.everything()),
    limit: limit > 0 ? limit : 0,
    continueToken: continueToken === '' ? undefined : continueToken,
    resourceVersion,
    resourceVersionMatch: match === '' ? undefined : (match as 'Exact' | 'NotOlderThan'),
    timeoutSeconds: parseInteger('timeoutSeconds', q.get('timeoutSeconds')),
    allowWatchBookmarks: q.get('allowWatchBookmarks') === 'true',
    sendInitialEvents,
  };
}

/** upstream: errors.NewInvalid(ListOptions.meta.k8s.io, "", errs) → 422. */
function invalidListOptions(message: string): ApiError {
  return new ApiError({ code: 422, reason: 'Invalid', message: `ListOptions.meta.k8s.io "" is invalid: ${message}`, details: { group: 'meta.k8s.io', kind: 'ListOptions' } });
}
