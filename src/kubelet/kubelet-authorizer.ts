import type { RestClient } from '../client/index.js';

/** The requester of a kubelet API call, as the kubelet's authenticator (x509 or TokenReview) found it. */
export interface KubeletRequester {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** What a SubjectAccessReview asks about one kubelet API call (upstream's kubelet authorizer attributes). */
export interface KubeletResourceAttributes {
  readonly verb: string;
  readonly resource: 'nodes';
  readonly subresource: string;
  readonly name: string;
}

const METHOD_VERBS: Readonly<Record<string, string>> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/**
 * upstream's kubelet authorization attributes (pkg/kubelet/server/auth.go): the verb from the HTTP method, the
 * resource `nodes` named after this node, and the subresource from the path — `/stats/…` is nodes/stats, `/metrics/…`
 * nodes/metrics, `/logs/…` nodes/log, `/spec/…` nodes/spec, `/checkpoint/…` nodes/checkpoint, everything else
 * (`/containerLogs`, `/exec`, `/attach`, `/portForward`, `/run`, `/pods`, …) nodes/proxy.
 */
export function kubeletRequestAttributes(method: string, path: string, nodeName: string): KubeletResourceAttributes {
  const verb = METHOD_VERBS[method.toUpperCase()] ?? method.toLowerCase();
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  let subresource = 'proxy';
  if (under('/stats')) subresource = 'stats';
  else if (under('/metrics')) subresource = 'metrics';
  else if (under('/logs')) subresource = 'log';
  else if (under('/spec')) subresource = 'spec';
  else if (under('/checkpoint')) subresource = 'checkpoint';
  return { verb, resource: 'nodes', subresource, name: nodeName };
}

/**
 * Asks the API server whether `requester` may make this kubelet API call (a SubjectAccessReview, as upstream's
 * webhook authorizer does); the API server's own client identity (`kube-apiserver-kubelet-client`) is granted
 * nodes/proxy, nodes/log and the rest through `system:kubelet-api-admin`. Resolves with the decision and the reason to
 * log; a failed review denies.
 */
export async function authorizeKubeletRequest(
  client: RestClient,
  requester: KubeletRequester,
  attributes: KubeletResourceAttributes,
  signal?: AbortSignal,
): Promise<{ allowed: boolean; reason: string }> {
  const review = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: requester.username,
      ...(requester.uid ? { uid: requester.uid } : {}),
      groups: requester.groups,
      ...(requester.extra ? { extra: requester.extra } : {}),
      resourceAttributes: { verb: attributes.verb, version: 'v1', resource: attributes.resource, subresource: attributes.subresource, name: attributes.name },
    },
  };
  try {
    const answer = await client.json<{ status?: { allowed?: boolean; reason?: string } }>({
      method: 'POST',
      url: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(review),
      signal,
    });
    return { allowed: answer.status?.allowed === true, reason: answer.status?.reason ?? '' };
  } catch (err) {
    return { allowed: false, reason: `subjectaccessreview failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** upstream's kubelet message for a refused call: `Forbidden (user=…, verb=…, resource=nodes, subresource=…)`. */
export function kubeletForbiddenMessage(requester: KubeletRequester, attributes: KubeletResourceAttributes): string {
  return `Forbidden (user=${requester.username}, verb=${attributes.verb}, resource=${attributes.resource}, subresource=${attributes.subresource})`;
}
