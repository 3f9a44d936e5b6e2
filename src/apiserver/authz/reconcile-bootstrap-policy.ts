import type { ClusterRole, ClusterRoleBinding, PolicyRule, Subject } from 'kubernetes-types/rbac/v1.js';
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../../api/index.js';
import type { KubeObject } from '../kube-object.js';
import { bootstrapPolicy } from './bootstrap-policy.js';

/** The part of a resource store reconciliation needs. */
export interface PolicyStore {
  create(namespace: string, obj: KubeObject): Promise<unknown>;
  guaranteedUpdate(namespace: string, name: string, fn: (current: KubeObject) => KubeObject): Promise<unknown>;
}

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

const ruleKey = (r: PolicyRule) => JSON.stringify([r.verbs, r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);
const subjectKey = (s: Subject) => `${s.kind}/${s.apiGroup ?? ''}/${s.namespace ?? ''}/${s.name}`;

/**
 * upstream's ensure-bootstrap reconciliation (`kubectl auth reconcile` semantics), run on every start: a missing
 * bootstrap ClusterRole or ClusterRoleBinding is created; an existing one whose autoupdate annotation is not "false"
 * gets the missing rules, subjects, labels and annotations added (nothing is removed). An aggregated role's rules are
 * left to the aggregation controller.
 */
export async function reconcileBootstrapPolicy(roles: PolicyStore, bindings: PolicyStore, log?: (m: string) => void): Promise<void> {
  const policy = bootstrapPolicy();
  // All at once: the writes share the storage's group commits instead of waiting for one sync each.
  await Promise.all([
    ...policy.roles.map((role) => ensure(roles, role as KubeObject, (current) => mergeRole(current as ClusterRole, role), log)),
    ...policy.bindings.map((binding) => ensure(bindings, binding as unknown as KubeObject, (current) => mergeBinding(current as unknown as ClusterRoleBinding, binding), log)),
  ]);
}

async function ensure(store: PolicyStore, wanted: KubeObject, merge: (current: KubeObject) => KubeObject, log?: (m: string) => void): Promise<void> {
  const name = wanted.metadata!.name!;
  try {
    await store.guaranteedUpdate('', name, (current) => (current.metadata?.annotations?.[AUTOUPDATE] === 'false' ? current : merge(current)));
    return;
  } catch (err) {
    if (!(err instanceof ApiError && err.status.code === 404)) throw err;
  }
  try {
    await store.create('', structuredClone(wanted));
    log?.(`created bootstrap ${wanted.kind} ${name}`);
  } catch (err) {
    if (!(err instanceof ApiError && err.status.code === 409)) throw err;
  }
}

function mergeMeta(current: KubeObject, wanted: KubeObject): KubeObject['metadata'] {
  const meta = { ...current.metadata };
  meta.labels = { ...wanted.metadata?.labels, ...meta.labels };
  meta.annotations = { ...wanted.metadata?.annotations, ...meta.annotations };
  return meta;
}

function mergeRole(current: ClusterRole, wanted: ClusterRole): KubeObject {
  const out = { ...current, metadata: mergeMeta(current as KubeObject, wanted as KubeObject) } as ClusterRole;
  if (wanted.aggregationRule) {
    const selectors = [...(current.aggregationRule?.clusterRoleSelectors ?? [])];
    for (const s of wanted.aggregationRule.clusterRoleSelectors ?? []) if (!selectors.some((c) => isDeepStrictEqual(c, s))) selectors.push(s);
    out.aggregationRule = { clusterRoleSelectors: selectors };
    return out as KubeObject;
  }
  const have = new Set((current.rules ?? []).map(ruleKey));
  out.rules = [...(current.rules ?? []), ...(wanted.rules ?? []).filter((r) => !have.has(ruleKey(r)))];
  return out as KubeObject;
}

function mergeBinding(current: ClusterRoleBinding, wanted: ClusterRoleBinding): KubeObject {
  const have = new Set((current.subjects ?? []).map(subjectKey));
  const subjects = [...(current.subjects ?? []), ...(wanted.subjects ?? []).filter((s) => !have.has(subjectKey(s)))];
  const out = { ...current, metadata: mergeMeta(current as unknown as KubeObject, wanted as unknown as KubeObject) } as ClusterRoleBinding;
  if (subjects.length > 0) out.subjects = subjects;
  return out as unknown as KubeObject;
}
