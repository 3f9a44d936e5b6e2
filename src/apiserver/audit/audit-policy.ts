import { parse as parseYaml } from 'yaml';
import type { AuditLevel, AuditStage } from './audit-event.js';

/** audit.k8s.io/v1 GroupResources. */
export interface AuditGroupResources {
  /** '' is the core group. */
  readonly group: string;
  /** `pods`, `pods/status`, `pods/*` (pods and its subresources' requests with that resource), `*\/status`, `*`; empty: every resource of the group. */
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
}

/** audit.k8s.io/v1 PolicyRule: every matcher given must match (an empty list matches everything). */
export interface AuditPolicyRule {
  readonly level: AuditLevel;
  readonly users: readonly string[];
  readonly userGroups: readonly string[];
  readonly verbs: readonly string[];
  readonly resources: readonly AuditGroupResources[];
  /** '' selects cluster-scoped resources. */
  readonly namespaces: readonly string[];
  /** Paths, `*`, or a prefix ending in `*`. */
  readonly nonResourceURLs: readonly string[];
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields?: boolean;
}

/** audit.k8s.io/v1 Policy. */
export interface AuditPolicy {
  readonly rules: readonly AuditPolicyRule[];
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields: boolean;
}

/** A policy file that cannot be used; the message names the field at fault as upstream's validation does. */
export class AuditPolicyError extends Error {}

const LEVELS: readonly AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
const STAGES: readonly AuditStage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];
const API_VERSIONS = new Set(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1']);
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Reads an audit Policy (YAML or JSON, `audit.k8s.io/v1`; v1beta1 has the same shape and is accepted) and checks it as
 * upstream's LoadPolicyFromBytes does: known apiVersion and kind, valid levels, stages, groups and non-resource URLs,
 * no rule mixing resources with non-resource URLs, at least one rule. Throws AuditPolicyError naming every problem.
 */
export function parseAuditPolicy(text: string): AuditPolicy {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new AuditPolicyError(`failed decoding: ${(err as Error).message}`);
  }
  if (!isRecord(doc)) throw new AuditPolicyError('failed decoding: the policy is not an object');
  if (!API_VERSIONS.has(String(doc.apiVersion)) || doc.kind !== 'Policy') {
    throw new AuditPolicyError(`unknown group version field ${JSON.stringify(`${String(doc.apiVersion ?? '')}, Kind=${String(doc.kind ?? '')}`)} in policy (want apiVersion audit.k8s.io/v1, kind Policy)`);
  }
  const errors: string[] = [];
  const omitStages = stages(doc.omitStages, 'omitStages', errors);
  const rawRules = list(doc.rules, 'rules', errors);
  const rules = rawRules.map((r, i) => rule(r, `rules[${i}]`, errors));
  if (typeof doc.omitManagedFields !== 'boolean' && doc.omitManagedFields !== undefined) errors.push('omitManagedFields: must be a boolean');
  if (errors.length > 0) throw new AuditPolicyError(errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`);
  if (rules.length === 0) throw new AuditPolicyError('loaded illegal policy with 0 rules');
  return { rules, omitStages, omitManagedFields: doc.omitManagedFields === true };
}

function rule(raw: unknown, path: string, errors: string[]): AuditPolicyRule {
  if (!isRecord(raw)) {
    errors.push(`${path}: must be an object`);
    return { level: 'None', users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [] };
  }
  const level = raw.level;
  if (level === undefined || level === '') errors.push(`${path}.level: Required value`);
  else if (!LEVELS.includes(level as AuditLevel)) errors.push(`${path}.level: Unsupported value: ${JSON.stringify(level)}: supported values: ${LEVELS.map((l) => `"${l}"`).join(', ')}`);
  const resources = list(raw.resources, `${path}.resources`, errors).map((g, i) => groupResources(g, `${path}.resources[${i}]`, errors));
  const namespaces = strings(raw.namespaces, `${path}.namespaces`, errors);
  const nonResourceURLs = strings(raw.nonResourceURLs, `${path}.nonResourceURLs`, errors);
  for (const [i, url] of nonResourceURLs.entries()) {
    if (url === '*') continue;
    if (!url.startsWith('/')) errors.push(`${path}.nonResourceURLs[${i}]: Invalid value: ${JSON.stringify(url)}: non-resource URL rules must begin with a '/' character`);
    if (url.slice(0, -1).includes('*')) errors.push(`${path}.nonResourceURLs[${i}]: Invalid value: ${JSON.stringify(url)}: non-resource URL wildcards '*' must be the final character of the rule`);
  }
  if (nonResourceURLs.length > 0 && (resources.length > 0 || namespaces.length > 0)) {
    errors.push(`${path}.nonResourceURLs: Invalid value: ${JSON.stringify(nonResourceURLs)}: rules cannot apply to both regular resources and non-resource URLs`);
  }
  if (raw.omitManagedFields !== undefined && typeof raw.omitManagedFields !== 'boolean') errors.push(`${path}.omitManagedFields: must be a boolean`);
  return {
    level: level as AuditLevel,
    users: strings(raw.users, `${path}.users`, errors),
    userGroups: strings(raw.userGroups, `${path}.userGroups`, errors),
    verbs: strings(raw.verbs, `${path}.verbs`, errors),
    resources,
    namespaces,
    nonResourceURLs,
    omitStages: stages(raw.omitStages, `${path}.omitStages`, errors),
    omitManagedFields: typeof raw.omitManagedFields === 'boolean' ? raw.omitManagedFields : undefined,
  };
}

function groupResources(raw: unknown, path: string, errors: string[]): AuditGroupResources {
  if (!isRecord(raw)) {
    errors.push(`${path}: must be an object`);
    return { group: '', resources: [], resourceNames: [] };
  }
  const group = raw.group ?? '';
  if (typeof group !== 'string') errors.push(`${path}.group: must be a string`);
  else if (group !== '' && (group.length > 253 || !DNS_SUBDOMAIN.test(group))) {
    errors.push(`${path}.group: Invalid value: ${JSON.stringify(group)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`);
  }
  const resources = strings(raw.resources, `${path}.resources`, errors);
  const resourceNames = strings(raw.resourceNames, `${path}.resourceNames`, errors);
  if (resourceNames.length > 0 && resources.length === 0) errors.push(`${path}.resourceNames: Invalid value: ${JSON.stringify(resourceNames)}: using resourceNames requires at least one resource`);
  return { group: typeof group === 'string' ? group : '', resources, resourceNames };
}

function stages(raw: unknown, path: string, errors: string[]): AuditStage[] {
  const given = strings(raw, path, errors);
  for (const [i, s] of given.entries()) {
    if (!STAGES.includes(s as AuditStage)) errors.push(`${path}[${i}]: Invalid value: ${JSON.stringify(s)}: allowed stages are ${STAGES.join(',')}`);
  }
  return given as AuditStage[];
}

function strings(raw: unknown, path: string, errors: string[]): string[] {
  const items = list(raw, path, errors);
  if (items.some((s) => typeof s !== 'string')) {
    errors.push(`${path}: must be a list of strings`);
    return [];
  }
  return items as string[];
}

function list(raw: unknown, path: string, errors: string[]): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw as unknown[];
  errors.push(`${path}: must be a list`);
  return [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
