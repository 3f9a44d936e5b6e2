import type { ClusterRole, ClusterRoleBinding, PolicyRule, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../../api/index.js';
import type { UserInfo } from '../authn/index.js';
import type { WriteAttributes } from '../registry/resource-definition.js';
import type { Authorizer } from './authorizer.js';
import type { RbacAuthorizer } from './rbac-authorizer.js';
import { compactRules, compactString, covers } from './rule-coverage.js';
import { rule, urlRule } from './policy-rule.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const FULL_AUTHORITY: readonly PolicyRule[] = [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])];

/**
 * upstream's RBAC escalation prevention (pkg/registry/rbac): writing a Role or ClusterRole that grants more than the
 * writer holds needs the `escalate` verb on it; writing a binding needs either every permission of the role it
 * references or the `bind` verb on that role. system:masters is exempt, as upstream's EscalationAllowed.
 */
export class RbacEscalationCheck {
  constructor(
    private readonly rbac: RbacAuthorizer,
    private readonly authorizer: Authorizer,
  ) {}

  async check(attrs: WriteAttributes, user: UserInfo | undefined): Promise<void> {
    const def = attrs.def;
    if (!user || def.group !== RBAC_GROUP || attrs.operation === 'DELETE' || attrs.subresource !== '') return;
    if (user.groups.includes('system:masters')) return;
    const gr = { group: RBAC_GROUP, resource: def.resource };
    const namespace = def.namespaced ? attrs.namespace : '';
    if (def.resource === 'roles' || def.resource === 'clusterroles') {
      const role = attrs.object as ClusterRole;
      const old = attrs.oldObject as ClusterRole | undefined;
      if (old && isDeepStrictEqual(old.rules ?? [], role.rules ?? []) && isDeepStrictEqual(old.aggregationRule, role.aggregationRule)) return;
      if (await this.allowed(user, 'escalate', def.resource, namespace, attrs.name)) return;
      if (role.aggregationRule && !isDeepStrictEqual(old?.aggregationRule, role.aggregationRule)) {
        if (this.missing(user, namespace, FULL_AUTHORITY) !== undefined) throw ApiError.forbidden(gr, attrs.name, 'must have cluster-admin privileges to use the aggregationRule');
      }
      const message = this.missing(user, namespace, role.rules ?? []);
      if (message !== undefined) throw ApiError.forbidden(gr, attrs.name, message);
      return;
    }
    if (def.resource === 'rolebindings' || def.resource === 'clusterrolebindings') {
      const binding = attrs.object as unknown as RoleBinding | ClusterRoleBinding;
      const old = attrs.oldObject as unknown as RoleBinding | undefined;
      if (old && isDeepStrictEqual(old.roleRef, binding.roleRef) && isDeepStrictEqual(old.subjects ?? [], binding.subjects ?? [])) return;
      const ref = binding.roleRef as RoleBinding['roleRef'] | undefined;
      if (!ref) return;
      if (await this.allowed(user, 'bind', ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles', namespace, ref.name)) return;
      let rules: readonly PolicyRule[];
      try {
        rules = this.rbac.roleRefRules({ apiGroup: RBAC_GROUP, kind: ref.kind, name: ref.name }, namespace);
      } catch (err) {
        throw ApiError.forbidden(gr, attrs.name, (err as Error).message);
      }
      const message = this.missing(user, namespace, rules);
      if (message !== undefined) throw ApiError.forbidden(gr, attrs.name, message);
    }
  }

  private async allowed(user: UserInfo, verb: string, resource: string, namespace: string, name: string): Promise<boolean> {
    const { decision } = await this.authorizer.authorize({ user, verb, resourceRequest: true, apiGroup: RBAC_GROUP, apiVersion: '*', resource, namespace, name });
    return decision === 'Allow';
  }

  /** upstream's ConfirmNoEscalation: undefined when the user holds every rule, else the message naming what is missing. */
  private missing(user: UserInfo, namespace: string, rules: readonly PolicyRule[]): string | undefined {
    const owner = this.rbac.rulesFor(user, namespace);
    const { covered, missing } = covers(owner.rules, rules);
    if (covered) return undefined;
    const lines = [...new Set(compactRules(missing).map(compactString))].sort();
    const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]`;
    let msg = `user ${JSON.stringify(user.username)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
    if (owner.errors.length > 0) msg += `; resolution errors: [${owner.errors.join(' ')}]`;
    return msg;
  }
}
