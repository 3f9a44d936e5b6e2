/**
 * The kinds Skiff serves, with what discovery says of them (kube-apiserver v1.32's short names,
 * categories, verbs and subresources) and where storage keeps them (upstream's etcd layout,
 * `/registry/<prefix>/[<namespace>/]<name>`).
 */
import { ApiError } from './api-error.js';
import { goQuote } from './go-format.js';
import { isValidPathSegmentName } from './names.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface SubresourceInfo {
  /** e.g. `status`; the discovery name is `<resource>/<name>`. */
  readonly name: string;
  /** The kind the subresource speaks, e.g. Scale; group and version when not the parent's. */
  readonly kind: string;
  readonly group?: string;
  readonly version?: string;
  readonly verbs: readonly Verb[];
}

export interface KindInfo {
  readonly group: string;
  readonly version: string;
  /** `v1` or `apps/v1`. */
  readonly apiVersion: string;
  readonly kind: string;
  readonly listKind: string;
  /** The plural resource name, e.g. `pods`. */
  readonly resource: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly Verb[];
  readonly subresources: readonly SubresourceInfo[];
  /** The storage key prefix, without trailing slash, e.g. `/registry/minions`. */
  readonly storagePrefix: string;
  readonly storageVersionHash: string;
}

const REGISTRY_ROOT = '/registry';

/** Upstream's SpecialDefaultResourcePrefixes: resources stored under another name. */
const RESOURCE_PREFIX_OVERRIDES: Readonly<Record<string, string>> = {
  '/replicationcontrollers': 'controllers',
  '/endpoints': 'services/endpoints',
  '/nodes': 'minions',
  '/services': 'services/specs',
  'extensions/ingresses': 'ingress',
  'networking.k8s.io/ingresses': 'ingress',
};

/** The storage prefix of a group's resource; core and events.k8s.io events share one. */
export function resourceStoragePrefix(group: string, resource: string): string {
  return `${REGISTRY_ROOT}/${RESOURCE_PREFIX_OVERRIDES[`${group}/${resource}`] ?? resource}`;
}

const ALL_VERBS: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ_WRITE: readonly Verb[] = ['get', 'patch', 'update'];

interface KindSpec {
  group?: string;
  version?: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: readonly Verb[];
  subresources?: SubresourceInfo[];
  storageVersionHash: string;
}

function define(spec: KindSpec): KindInfo {
  const group = spec.group ?? '';
  const version = spec.version ?? 'v1';
  return Object.freeze({
    group,
    version,
    apiVersion: group === '' ? version : `${group}/${version}`,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    resource: spec.resource,
    singular: spec.kind.toLowerCase(),
    namespaced: spec.namespaced,
    shortNames: Object.freeze(spec.shortNames ?? []),
    categories: Object.freeze(spec.categories ?? []),
    verbs: spec.verbs ?? ALL_VERBS,
    subresources: Object.freeze(spec.subresources ?? []),
    storagePrefix: resourceStoragePrefix(group, spec.resource),
    storageVersionHash: spec.storageVersionHash,
  });
}

const status = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: READ_WRITE });
const scale: SubresourceInfo = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: READ_WRITE };

const KINDS: readonly KindInfo[] = [
  define({ kind: 'ConfigMap', resource: 'configmaps', namespaced: true, shortNames: ['cm'], storageVersionHash: 'qFsyl6wFWjQ=' }),
  define({ kind: 'Endpoints', resource: 'endpoints', namespaced: true, shortNames: ['ep'], storageVersionHash: 'fWeeMqaN/OA=' }),
  define({ kind: 'Event', resource: 'events', namespaced: true, shortNames: ['ev'], storageVersionHash: 'r2yiGXH7wu8=' }),
  define({
    kind: 'Namespace',
    resource: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, status('Namespace')],
    storageVersionHash: 'Q3oi5N2YM8M=',
  }),
  define({
    kind: 'Node',
    resource: 'nodes',
    namespaced: false,
    shortNames: ['no'],
    subresources: [status('Node')],
    storageVersionHash: 'XwShjMxG9Fs=',
  }),
  define({
    kind: 'Pod',
    resource: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'ephemeralcontainers', kind: 'Pod', verbs: READ_WRITE },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      status('Pod'),
    ],
    storageVersionHash: 'xPOwRZ+Yhw8=',
  }),
  define({ kind: 'Secret', resource: 'secrets', namespaced: true, storageVersionHash: 'S6u1pOWzb84=' }),
  define({
    kind: 'ServiceAccount',
    resource: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
    subresources: [
      { name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
    ],
    storageVersionHash: 'pbx9ZvyFpBE=',
  }),
  define({
    kind: 'Service',
    resource: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [status('Service')],
    storageVersionHash: '0/CO1lhkEBI=',
  }),
  define({
    group: 'apps',
    kind: 'Deployment',
    resource: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [scale, status('Deployment')],
    storageVersionHash: '8aSe+NMegvE=',
  }),
  define({
    group: 'apps',
    kind: 'ReplicaSet',
    resource: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [scale, status('ReplicaSet')],
    storageVersionHash: 'P1RzHs8/mWQ=',
  }),
  define({
    group: 'batch',
    kind: 'CronJob',
    resource: 'cronjobs',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    subresources: [status('CronJob')],
    storageVersionHash: 'sd5LIXh4Fjs=',
  }),
  define({
    group: 'batch',
    kind: 'Job',
    resource: 'jobs',
    namespaced: true,
    categories: ['all'],
    subresources: [status('Job')],
    storageVersionHash: 'mudhfqk/qZY=',
  }),
  define({ group: 'scheduling.k8s.io', kind: 'PriorityClass', resource: 'priorityclasses', namespaced: false, shortNames: ['pc'], storageVersionHash: '1QwjyaZjj3Y=' }),
  define({ group: 'coordination.k8s.io', kind: 'Lease', resource: 'leases', namespaced: true, storageVersionHash: 'gqkMMb/YqFM=' }),
  define({
    group: 'events.k8s.io',
    kind: 'Event',
    resource: 'events',
    namespaced: true,
    shortNames: ['ev'],
    storageVersionHash: 'r2yiGXH7wu8=',
  }),
  ...(
    [
      ['ClusterRoleBinding', 'clusterrolebindings', false, '48tpQ8gZHFc='],
      ['ClusterRole', 'clusterroles', false, 'bYE5ZWDrJ44='],
      ['RoleBinding', 'rolebindings', true, 'eGsCzGH6b1g='],
      ['Role', 'roles', true, '7FuwZcIIItM='],
    ] as const
  ).map(([kind, resource, namespaced, storageVersionHash]) =>
    define({ group: 'rbac.authorization.k8s.io', kind, resource, namespaced, storageVersionHash }),
  ),
];

const BY_RESOURCE = new Map(KINDS.map((k) => [`${k.group}/${k.version}/${k.resource}`, k]));
const BY_KIND = new Map(KINDS.map((k) => [`${k.group}/${k.version}/${k.kind}`, k]));

export function allKinds(): readonly KindInfo[] {
  return KINDS;
}

/** By plural resource name, e.g. ('apps', 'v1', 'deployments'). */
export function findKind(group: string, version: string, resource: string): KindInfo | undefined {
  return BY_RESOURCE.get(`${group}/${version}/${resource}`);
}

export function findKindByGVK(group: string, version: string, kind: string): KindInfo | undefined {
  return BY_KIND.get(`${group}/${version}/${kind}`);
}

export function findSubresource(info: KindInfo, name: string): SubresourceInfo | undefined {
  return info.subresources.find((s) => s.name === name);
}

/** The prefix every key of the kind (in a namespace, if given) starts with, with a trailing `/`. */
export function storagePrefix(info: KindInfo, namespace?: string): string {
  return info.namespaced && namespace ? `${info.storagePrefix}/${namespace}/` : `${info.storagePrefix}/`;
}

/**
 * The storage key of one object, with upstream's key-function checks: a namespaced kind needs a
 * namespace, and the name must be a valid path segment (400 BadRequest otherwise).
 */
export function storageKey(info: KindInfo, namespace: string | undefined, name: string): string {
  if (info.namespaced && !namespace) throw ApiError.badRequest('Namespace parameter required.');
  if (name === '') throw ApiError.badRequest('Name parameter required.');
  const problems = isValidPathSegmentName(name);
  if (problems.length > 0) {
    throw ApiError.badRequest(`Name parameter invalid: ${goQuote(name)}: ${problems.join(';')}`);
  }
  return `${storagePrefix(info, namespace)}${name}`;
}
