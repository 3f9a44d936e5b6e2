import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import {
  alwaysAllow,
  NODE_RULES,
  NodeAuthorizer,
  nodeIdentity,
  RbacAuthorizer,
  RbacEscalationCheck,
  UnionAuthorizer,
  type AuthorizationMode,
  type Authorizer,
  type NodeGraph,
  type RbacLister,
} from './authz/index.js';
import { EVERYTHING, splitRules, type RulesResolver } from './handlers/review-handler.js';
import { SYSTEM_MASTERS } from './pki/index.js';
import type { ResourceStore } from './registry/resource-store.js';

/** What --authorization-mode puts together: the authorizer chain, RBAC's escalation checks and the rules review. */
export interface Authorization {
  readonly authorizer: Authorizer;
  /** Present when RBAC is a mode. */
  readonly escalation: RbacEscalationCheck | undefined;
  /** What SelfSubjectRulesReview answers. */
  readonly rulesFor: RulesResolver;
}

/** The RBAC objects as the watch caches hold them (no copy, no decode beyond the cached one). */
function rbacLister(stores: ReadonlyMap<string, ResourceStore>): RbacLister {
  const cache = (resource: string) => stores.get(`rbac.authorization.k8s.io/v1/${resource}`)!;
  const one = <T>(resource: string, namespace: string, name: string) => {
    const store = cache(resource);
    return store.cacher.get(store.key(namespace, name))?.object as T | undefined;
  };
  const all = <T>(resource: string, namespace: string) => {
    const store = cache(resource);
    const prefix = namespace === '' ? store.def.keyPrefix : `${store.def.keyPrefix}${namespace}/`;
    return store.cacher.list({ keyPrefix: prefix }).map((o) => o.object as T);
  };
  return {
    clusterRole: (name) => one<ClusterRole>('clusterroles', '', name),
    role: (namespace, name) => one<Role>('roles', namespace, name),
    clusterRoleBindings: () => all<ClusterRoleBinding>('clusterrolebindings', ''),
    roleBindings: (namespace) => all<RoleBinding>('rolebindings', namespace),
  };
}

/** upstream's privileged-groups authorizer, put first: system:masters may do everything, whatever the RBAC objects say. */
const masters: Authorizer = { authorize: async (a) => ({ decision: a.user.groups.includes(SYSTEM_MASTERS) ? 'Allow' : 'NoOpinion', reason: '' }) };

/** The authorizers of `modes` over this server's own RBAC objects (watch caches) and the Node authorizer's graph. */
export function buildAuthorization(modes: readonly AuthorizationMode[], stores: ReadonlyMap<string, ResourceStore>, graph: NodeGraph): Authorization {
  const rbac = new RbacAuthorizer(rbacLister(stores));
  const chain = modes.map((mode): Authorizer => {
    switch (mode) {
      case 'AlwaysAllow':
        return alwaysAllow;
      case 'AlwaysDeny':
        return { authorize: async () => ({ decision: 'Deny', reason: '' }) };
      case 'Node':
        return new NodeAuthorizer(graph, NODE_RULES);
      case 'RBAC':
        return rbac;
    }
  });
  const authorizer = modes.length === 1 && modes[0] === 'AlwaysAllow' ? alwaysAllow : new UnionAuthorizer([masters, ...chain]);
  const rulesFor: RulesResolver = (user, namespace) => {
    if (modes[0] === 'AlwaysAllow') return { ...EVERYTHING, incomplete: false };
    const errors: string[] = [];
    if (modes.includes('Node') && nodeIdentity(user).isNode) errors.push('node authorizer does not support user rule resolution');
    const resolved = modes.includes('RBAC') ? rbac.rulesFor(user, namespace) : { rules: [], errors: [] };
    errors.push(...resolved.errors);
    return { ...splitRules(resolved.rules), incomplete: errors.length > 0, ...(errors.length > 0 ? { evaluationError: errors.join(', ') } : {}) };
  };
  return { authorizer, escalation: modes.includes('RBAC') ? new RbacEscalationCheck(rbac, authorizer) : undefined, rulesFor };
}
