/**
 * Turns informer events into changes of the dependency graph and decides which nodes the collector must look at
 * (upstream's GraphBuilder.processGraphChanges). Synchronous and free of I/O: the collector wires it to informers
 * and queues.
 */
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { AbsentOwnerCache, formatIdentity, GraphNode, ownerIdentity, partitionDependents, referenceMatches, referencesDiffs, sameIdentity, UidGraph, type ObjectIdentity } from './graph.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** An object as the graph sees it. */
export interface GraphObject {
  metadata?: ObjectMeta;
}

/** What happened to an object: observed by an informer, or (virtual delete) confirmed absent by a live read. */
export type GraphEvent =
  | { readonly type: 'add' | 'update'; readonly apiVersion: string; readonly kind: string; readonly object: GraphObject; readonly old?: GraphObject }
  | { readonly type: 'delete'; readonly apiVersion: string; readonly kind: string; readonly object: GraphObject }
  | { readonly type: 'virtual-delete'; readonly identity: ObjectIdentity };

export interface GraphBuilderSink {
  /** Look at this uid in the attemptToDelete queue (rate limited when asked). */
  attemptToDelete(uid: string, rateLimited?: boolean): void;
  /** Orphan the dependents of this uid (attemptToOrphan queue). */
  attemptToOrphan(uid: string): void;
  /** A namespaced dependent names an owner observed in another namespace (the OwnerRefInvalidNamespace warning). */
  invalidNamespaceOwnerRef(dependent: ObjectIdentity, message: string): void;
  log?(message: string): void;
}

export const beingDeleted = (obj: GraphObject): boolean => !!obj.metadata?.deletionTimestamp;
export const hasFinalizer = (obj: GraphObject, f: string): boolean => (obj.metadata?.finalizers ?? []).includes(f);

/** The object is (now) being deleted with `finalizer`, and was not before (deletionStartsWithFinalizer). */
function deletionStartsWithFinalizer(old: GraphObject | undefined, cur: GraphObject, finalizer: string): boolean {
  if (!beingDeleted(cur) || !hasFinalizer(cur, finalizer)) return false;
  return old === undefined || !beingDeleted(old) || !hasFinalizer(old, finalizer);
}

export class GraphBuilder {
  readonly graph = new UidGraph();

  constructor(
    private readonly sink: GraphBuilderSink,
    readonly absentOwners = new AbsentOwnerCache(),
  ) {}

  process(event: GraphEvent): void {
    if (event.type === 'virtual-delete') return this.virtualDelete(event.identity);
    const meta = event.object.metadata ?? {};
    const identity: ObjectIdentity = { apiVersion: event.apiVersion, kind: event.kind, name: meta.name ?? '', uid: meta.uid ?? '', namespace: meta.namespace ?? '' };
    if (identity.uid === '') return;
    let existing = this.graph.get(identity.uid);
    if (existing && existing.virtual) {
      // The first informer event for an owner known so far only from references.
      if (!sameIdentity(existing.identity, identity)) {
        const { nonMatching } = partitionDependents(existing.dependents, identity);
        for (const dep of nonMatching) {
          if (identity.namespace !== '' && dep.identity.namespace !== identity.namespace) this.reportInvalidNamespaceOwnerRef(dep, identity.uid);
          this.sink.attemptToDelete(dep.identity.uid);
        }
        existing = existing.clone(identity);
        this.graph.set(existing);
      }
      existing.virtual = false;
    }
    if (event.type === 'delete') return this.observedDelete(identity, existing);
    const owners = meta.ownerReferences ?? [];
    if (!existing) {
      const node = new GraphNode(identity, {
        owners,
        beingDeleted: beingDeleted(event.object),
        deletingDependents: beingDeleted(event.object) && hasFinalizer(event.object, FINALIZER_FOREGROUND),
      });
      this.graph.set(node);
      this.addDependentToOwners(node, owners);
      this.processTransitions(event.old, event.object, node);
      return;
    }
    const { added, removed, changed } = referencesDiffs(existing.owners, owners);
    if (added.length > 0 || removed.length > 0 || changed.length > 0) {
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      existing.owners = owners;
      this.addDependentToOwners(existing, added);
      for (const ref of removed) this.graph.get(ref.uid)?.dependents.delete(existing);
    }
    if (beingDeleted(event.object)) existing.beingDeleted = true;
    this.processTransitions(event.old, event.object, existing);
  }

  private processTransitions(old: GraphObject | undefined, cur: GraphObject, node: GraphNode): void {
    if (deletionStartsWithFinalizer(old, cur, FINALIZER_ORPHAN)) {
      this.sink.attemptToOrphan(node.identity.uid);
      return;
    }
    if (deletionStartsWithFinalizer(old, cur, FINALIZER_FOREGROUND)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.sink.attemptToDelete(dep.identity.uid);
      this.sink.attemptToDelete(node.identity.uid);
    }
  }

  /** Adds `node` to each owner's dependents, creating virtual owners for those never observed. */
  private addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const ref of owners) {
      let owner = this.graph.get(ref.uid);
      if (!owner) {
        owner = new GraphNode(ownerIdentity(ref, node.identity.namespace), { virtual: true });
        this.graph.set(owner);
        owner.dependents.add(node);
        // Verified by a live read; absent, it becomes a virtual delete event.
        this.sink.attemptToDelete(owner.identity.uid);
        continue;
      }
      owner.dependents.add(node);
      if (potentiallyInvalid) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== node.identity.namespace) {
        if (owner.observed) this.reportInvalidNamespaceOwnerRef(node, ref.uid);
        potentiallyInvalid = true;
      } else if (!referenceMatches(ref, owner.identity)) {
        potentiallyInvalid = true;
      } else if (!ownerNamespaced && owner.identity.namespace !== node.identity.namespace && !owner.observed) {
        potentiallyInvalid = true;
      }
    }
    if (potentiallyInvalid) this.sink.attemptToDelete(node.identity.uid);
  }

  /** Owners that lost a blocking dependent may now finish their foreground deletion. */
  private addUnblockedOwnersToDeleteQueue(removed: readonly OwnerReference[], changed: readonly { old: OwnerReference; cur: OwnerReference }[]): void {
    for (const ref of removed) if (ref.blockOwnerDeletion === true && this.graph.get(ref.uid)) this.sink.attemptToDelete(ref.uid);
    for (const c of changed) if (c.old.blockOwnerDeletion === true && c.cur.blockOwnerDeletion !== true && this.graph.get(c.cur.uid)) this.sink.attemptToDelete(c.cur.uid);
  }

  private observedDelete(identity: ObjectIdentity, existing: GraphNode | undefined): void {
    if (!existing) return;
    this.removeNode(existing, identity);
  }

  private removeNode(node: GraphNode, identity: ObjectIdentity): void {
    this.graph.delete(node.identity.uid);
    for (const ref of node.owners) this.graph.get(ref.uid)?.dependents.delete(node);
    if (node.dependents.size > 0) this.absentOwners.add(identity);
    for (const dep of node.dependents) this.sink.attemptToDelete(dep.identity.uid);
    for (const ref of node.owners) {
      const owner = this.graph.get(ref.uid);
      if (owner?.deletingDependents) this.sink.attemptToDelete(owner.identity.uid);
    }
  }

  /** A live read found no object with this identity. */
  private virtualDelete(deleted: ObjectIdentity): void {
    const existing = this.graph.get(deleted.uid);
    if (!existing) return;
    if (existing.virtual) {
      const { matching, nonMatching } = partitionDependents(existing.dependents, deleted);
      if (nonMatching.length > 0) {
        // Some dependents name this uid with other coordinates: keep the node, collect those that agree.
        if (matching.length > 0) {
          this.absentOwners.add(deleted);
          for (const dep of matching) this.sink.attemptToDelete(dep.identity.uid);
        }
        if (sameIdentity(existing.identity, deleted)) {
          const replacement = alternateOwnerIdentity(nonMatching, deleted);
          if (replacement) {
            this.graph.set(existing.clone(replacement));
            this.sink.attemptToDelete(replacement.uid, true);
          }
        }
        return;
      }
    } else if (!sameIdentity(existing.identity, deleted)) {
      // An observed object is not removed on a read of other coordinates.
      const { matching } = partitionDependents(existing.dependents, deleted);
      if (matching.length > 0) {
        this.absentOwners.add(deleted);
        for (const dep of matching) this.sink.attemptToDelete(dep.identity.uid);
      }
      return;
    }
    this.removeNode(existing, deleted);
  }

  private reportInvalidNamespaceOwnerRef(dep: GraphNode, ownerUid: string): void {
    const ref = dep.owners.find((o) => o.uid === ownerUid);
    if (!ref) return;
    const invalid = formatIdentity(ownerIdentity(ref, dep.identity.namespace));
    this.sink.invalidNamespaceOwnerRef(dep.identity, `ownerRef ${invalid} does not exist in namespace "${dep.identity.namespace}"`);
  }
}

/** Another identity the dependents give the absent uid, preferring the first that sorts after it (getAlternateOwnerIdentity). */
export function alternateOwnerIdentity(deps: readonly GraphNode[], absent: ObjectIdentity): ObjectIdentity | undefined {
  const clusterScoped = absent.namespace === '';
  const seen = new Set<string>([JSON.stringify(absent)]);
  let first: ObjectIdentity | undefined;
  let firstFollowing: ObjectIdentity | undefined;
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (referenceMatches(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      let id = ownerIdentity(ref, dep.identity.namespace);
      if (clusterScoped && id.apiVersion === absent.apiVersion && id.kind === absent.kind) id = { ...id, namespace: '' };
      const key = JSON.stringify(id);
      if (seen.has(key)) continue;
      seen.add(key);
      first ??= id;
      if (!firstFollowing && identityLess(absent, id)) firstFollowing = id;
    }
  }
  return firstFollowing ?? first;
}

function identityLess(a: ObjectIdentity, b: ObjectIdentity): boolean {
  if (a.kind !== b.kind) return a.kind < b.kind;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace;
  if (a.name !== b.name) return a.name < b.name;
  if (a.apiVersion !== b.apiVersion) return a.apiVersion < b.apiVersion;
  return a.uid < b.uid;
}
