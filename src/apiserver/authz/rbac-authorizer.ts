import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef } from 'kubernetes-types/rbac/v1.js';
import type { UserInfo } from '../authn/index.js';
import type { Attributes, Authorizer, Decision } from './authorizer.js';
import { ruleAllows, subjectAppliesTo } from './rbac-rules.js';

/**
 * Read access to the RBAC objects, from memory (the API server's watch caches, kept current by their storage
 * watches, like upstream's informer listers). Every call reads the current state; nothing is copied.
 */
export interface RbacLister {
  clusterRole(name: string): ClusterRole | undefined;
  role(namespace: string, name: string): Role | undefined;
  clusterRoleBindings(): readonly ClusterRoleBinding[];
  roleBindings(namespace: string): readonly RoleBinding[];
}

/** The rules a user holds in a namespace ('' for cluster-wide only), and why some could not be resolved. */
export interface ResolvedRules {
  readonly rules: PolicyRule[];
  readonly errors: string[];
}

/**
 * upstream's RBACAuthorizer and DefaultRuleResolver: ClusterRoleBindings apply everywhere, RoleBindings in their
 * namespace; a binding grants the rules of the Role or ClusterRole it references. RBAC only allows: a request no rule
 * matches gets NoOpinion (with the resolution errors as reason, as upstream's "RBAC: …").
 */
export class RbacAuthorizer implements Authorizer {
  constructor(private readonly lister: RbacLister) {}

  async authorize(attrs: Attributes): Promise<{ decision: Decision; reason: string }> {
    const errors: string[] = [];
    let allowed = false;
    this.visitRules(attrs.user, attrs.namespace ?? '', (rule) => (allowed = ruleAllows(attrs, rule)), errors);
    if (allowed) return { decision: 'Allow', reason: '' };
    return { decision: 'NoOpinion', reason: errors.length > 0 ? `RBAC: ${errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`}` : '' };
  }

  /** Every rule `user` holds in `namespace` (upstream's RulesFor). */
  rulesFor(user: UserInfo, namespace: string): ResolvedRules {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRules(user, namespace, (rule) => {
      rules.push(rule);
      return false;
    }, errors);
    return { rules, errors };
  }

  /** The rules a role reference grants in `namespace` (a Role there, or a ClusterRole); throws a not-found message. */
  roleRefRules(ref: RoleRef, namespace: string): readonly PolicyRule[] {
    if (ref.kind === 'ClusterRole') {
      const role = this.lister.clusterRole(ref.name);
      if (!role) throw new Error(`clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`);
      return role.rules ?? [];
    }
    if (ref.kind === 'Role') {
      const role = namespace === '' ? undefined : this.lister.role(namespace, ref.name);
      if (!role) throw new Error(`role.rbac.authorization.k8s.io "${ref.name}" not found`);
      return role.rules ?? [];
    }
    throw new Error(`unsupported role reference kind: "${ref.kind}"`);
  }

  /** Calls `visit` on each rule the user holds until it returns true. */
  private visitRules(user: UserInfo, namespace: string, visit: (rule: PolicyRule) => boolean, errors: string[]): void {
    const visitRef = (ref: RoleRef, ns: string): boolean => {
      let rules: readonly PolicyRule[];
      try {
        rules = this.roleRefRules(ref, ns);
      } catch (err) {
        errors.push((err as Error).message);
        return false;
      }
      for (const rule of rules) if (visit(rule)) return true;
      return false;
    };
    for (const binding of this.lister.clusterRoleBindings()) {
      if (!(binding.subjects ?? []).some((s) => subjectAppliesTo(s, user, ''))) continue;
      if (visitRef(binding.roleRef, '')) return;
    }
    if (namespace === '') return;
    for (const binding of this.lister.roleBindings(namespace)) {
      if (!(binding.subjects ?? []).some((s) => subjectAppliesTo(s, user, namespace))) continue;
      if (visitRef(binding.roleRef, namespace)) return;
    }
  }
}
