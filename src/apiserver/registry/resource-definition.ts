import type { FieldError } from '../../api/index.js';
import type { UserInfo } from '../authn/index.js';
import type { Clock } from '../../lib/index.js';
import type { Storage } from '../../storage/index.js';
import type { KubeObject } from '../kube-object.js';
import type { ResourceStrategy } from './resource-strategy.js';

/** One served resource as the generic store needs it. */
export interface ResourceDefinition {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural resource name (`pods`). */
  readonly resource: string;
  readonly namespaced: boolean;
  /** The storage prefix with its trailing slash (`/registry/pods/`, `/registry/minions/`). */
  readonly keyPrefix: string;
  readonly strategy: ResourceStrategy;
  /** The subresources served besides the main resource (`status`, `scale`, `binding`, `eviction`). */
  readonly subresources: readonly string[];
  /** For a resource stored in another version's shape (events.k8s.io/v1 Events are stored as core/v1 Events). */
  readonly conversion?: {
    fromStorage(obj: KubeObject): KubeObject;
    toStorage(obj: KubeObject): KubeObject;
  };
}

export type NamespacePhase = 'Active' | 'Terminating' | 'Missing';

/** What the generic store needs from the rest of the server. */
export interface StoreEnvironment {
  readonly storage: Storage;
  readonly clock: Clock;
  /** Defaulting for a kind (upstream's scheme defaulters); mutates the object. */
  defaults(group: string, version: string, kind: string, obj: KubeObject): void;
  /** The kind's validation, ObjectMeta included (upstream's ValidateX / ValidateXUpdate). */
  validate(group: string, version: string, kind: string, obj: KubeObject, old: KubeObject | undefined, subresource?: string): FieldError[];
  /**
   * The metadata.managedFields of `next` after `manager` wrote it over `old` (absent on create), as
   * structured-merge-diff records an Update operation.
   */
  managedFields(def: ResourceDefinition, old: KubeObject | undefined, next: KubeObject, manager: string, subresource: string | undefined): unknown[];
  /** NamespaceLifecycle: the phase of a namespace (Missing when it does not exist). */
  namespacePhase(namespace: string): Promise<NamespacePhase>;
  /** Mutating admission of a create (DefaultTolerationSeconds …): may change the object, or throw to refuse it. */
  admitCreate?(def: ResourceDefinition, namespace: string, obj: KubeObject): Promise<void>;
  /**
   * Validating admission of a write about to be stored (NodeRestriction, RBAC escalation checks): throws an ApiError to
   * refuse it. Called once per attempt with the request's object: on create after defaulting and mutating admission
   * (before validation, as upstream's mutating plugins run); on update and delete with the stored object at hand.
   */
  validateWrite?(attrs: WriteAttributes): Promise<void>;
}

/** A create, update or delete as validating admission sees it. */
export interface WriteAttributes {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly def: ResourceDefinition;
  /** '' for the main resource. */
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  /** The new object (the stored one on DELETE). */
  readonly object: KubeObject;
  /** The stored object (UPDATE). */
  readonly oldObject?: KubeObject;
  /** Who asked for the write (absent for the server's own writes). */
  readonly user?: UserInfo;
}

/**
 * The namespace and name a storage key of `def` stands for (`<prefix><namespace>/<name>`, or `<prefix><name>` for a
 * cluster-scoped resource), read from the key alone; undefined for a key of another shape.
 */
export function keyCoordinates(def: Pick<ResourceDefinition, 'keyPrefix' | 'namespaced'>, key: string): { namespace: string; name: string } | undefined {
  if (!key.startsWith(def.keyPrefix)) return undefined;
  const rest = key.slice(def.keyPrefix.length);
  const slash = rest.indexOf('/');
  if (!def.namespaced) return slash < 0 ? { namespace: '', name: rest } : undefined;
  if (slash > 0 && rest.indexOf('/', slash + 1) < 0) return { namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
  return undefined;
}

export function apiVersionOf(def: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}
