import type { AuditLevel, AuditStage } from './audit-event.js';
import type { AuditGroupResources, AuditPolicy, AuditPolicyRule } from './audit-policy.js';

/** Who made a request; absent when its credentials were refused (rules naming users or groups then do not match). */
export type AuditPolicyUser = { readonly username: string; readonly groups: readonly string[] } | undefined;

/** What a request is, for the policy (upstream's authorizer.Attributes, as far as audit rules read them; a RequestInfo is one). */
export interface AuditAttributes {
  readonly verb: string;
  readonly isResourceRequest: boolean;
  /** The request path (non-resource requests). */
  readonly path: string;
  readonly namespace: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
}

/** How one request is audited to the log (upstream's RequestAuditConfig). */
export interface RequestAuditConfig {
  readonly level: AuditLevel;
  /** Stages not written for this request. */
  readonly omitStages: ReadonlySet<AuditStage>;
  /** Drop metadata.managedFields from requestObject and responseObject. */
  readonly omitManagedFields: boolean;
}

/** Every request at Metadata level, every stage: the log when no policy file is given. */
export const AUDIT_METADATA_EVERYTHING: RequestAuditConfig = Object.freeze({ level: 'Metadata', omitStages: new Set<AuditStage>(), omitManagedFields: false });

/**
 * Evaluates a Policy as upstream's policy checker does: rules in order, the first that matches decides the level; its
 * omitStages are the union of the policy's and the rule's, its omitManagedFields the rule's when set, else the policy's.
 * No matching rule: level None. Each rule's config is built once, so a check allocates nothing.
 */
export class AuditPolicyChecker {
  private readonly configs: readonly RequestAuditConfig[];
  private readonly none: RequestAuditConfig;

  constructor(private readonly policy: AuditPolicy) {
    this.configs = policy.rules.map((r) =>
      Object.freeze({ level: r.level, omitStages: new Set([...policy.omitStages, ...r.omitStages]), omitManagedFields: r.omitManagedFields ?? policy.omitManagedFields }),
    );
    this.none = Object.freeze({ level: 'None', omitStages: new Set(policy.omitStages), omitManagedFields: policy.omitManagedFields });
  }

  /** The config of the first rule matching `attrs`; level None when none does. */
  configFor(user: AuditPolicyUser, attrs: AuditAttributes): RequestAuditConfig {
    const { rules } = this.policy;
    for (let i = 0; i < rules.length; i++) if (ruleMatches(rules[i]!, user, attrs)) return this.configs[i]!;
    return this.none;
  }
}

function ruleMatches(r: AuditPolicyRule, user: AuditPolicyUser, attrs: AuditAttributes): boolean {
  if (r.users.length > 0 && (!user || !r.users.includes(user.username))) return false;
  if (r.userGroups.length > 0 && (!user || !user.groups.some((g) => r.userGroups.includes(g)))) return false;
  if (r.verbs.length > 0 && !r.verbs.includes(attrs.verb)) return false;
  if (r.namespaces.length > 0 || r.resources.length > 0) return matchesResource(r, attrs);
  if (r.nonResourceURLs.length > 0) return !attrs.isResourceRequest && r.nonResourceURLs.some((spec) => pathMatches(attrs.path, spec));
  return true;
}

/** `*`, the exact path, or a prefix given with a trailing `*`. */
function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function matchesResource(r: AuditPolicyRule, attrs: AuditAttributes): boolean {
  if (!attrs.isResourceRequest) return false;
  if (r.namespaces.length > 0 && !r.namespaces.includes(attrs.namespace)) return false;
  if (r.resources.length === 0) return true;
  return r.resources.some((gr) => gr.group === attrs.apiGroup && groupResourceMatches(gr, attrs));
}

function groupResourceMatches(gr: AuditGroupResources, attrs: AuditAttributes): boolean {
  if (gr.resources.length === 0) return true;
  if (gr.resourceNames.length > 0 && !gr.resourceNames.includes(attrs.name)) return false;
  const { resource, subresource } = attrs;
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  return gr.resources.some(
    (res) => res === combined || res === '*' || (subresource !== '' && res.startsWith('*/') && res.slice(2) === subresource) || (res.endsWith('/*') && res.slice(0, -2) === resource),
  );
}
