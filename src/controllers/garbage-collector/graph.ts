/**
 * The garbage collector's dependency graph (upstream's pkg/controller/garbagecollector/graph.go): one node per uid,
 * for every object the informers observed and, as "virtual" nodes, for owners only known from ownerReferences.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';

/** Where an object is: its ownerReference coordinates plus a namespace ('' for cluster-scoped or unknown). */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly namespace: string;
}

/** upstream's objectReference.String(). */
export function formatIdentity(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.namespace === b.namespace;
}

/** The identity an ownerReference gives its owner, placed in `namespace`. */
export function ownerIdentity(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

/** Whether the reference names the owner at these coordinates (namespace aside). */
export function referenceMatches(ref: OwnerReference, id: ObjectIdentity): boolean {
  return ref.apiVersion === id.apiVersion && ref.kind === id.kind && ref.name === id.name && ref.uid === id.uid;
}

/** An object of the graph. Nodes are only changed by the GraphBuilder. */
export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerReference[] = [];
  /** The object has a deletionTimestamp and the foregroundDeletion finalizer. */
  deletingDependents = false;
  beingDeleted = false;
  /** Known only from its dependents' ownerReferences, until an informer reports it. */
  virtual: boolean;

  constructor(
    public identity: ObjectIdentity,
    options: { virtual?: boolean; owners?: OwnerReference[]; beingDeleted?: boolean; deletingDependents?: boolean } = {},
  ) {
    this.virtual = options.virtual ?? false;
    this.owners = options.owners ?? [];
    this.beingDeleted = options.beingDeleted ?? false;
    this.deletingDependents = options.deletingDependents ?? false;
  }

  get observed(): boolean {
    return !this.virtual;
  }

  /** A copy with the same dependents and owners (the dependents' sets are not changed). */
  clone(identity: ObjectIdentity): GraphNode {
    const n = new GraphNode(identity, { virtual: this.virtual, owners: this.owners, beingDeleted: this.beingDeleted, deletingDependents: this.deletingDependents });
    for (const d of this.dependents) n.dependents.add(d);
    return n;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion: true. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true));
  }
}

/** uid → node. */
export class UidGraph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  set(node: GraphNode): void {
    this.nodes.set(node.identity.uid, node);
  }

  delete(uid: string): void {
    this.nodes.delete(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  values(): IterableIterator<GraphNode> {
    return this.nodes.values();
  }
}

/** Owners confirmed absent (404 or another uid), remembered so that their other dependents need no GET (an LRU). */
export class AbsentOwnerCache {
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity = 500) {}

  private static key(id: ObjectIdentity): string {
    return JSON.stringify([id.apiVersion, id.kind, id.name, id.uid, id.namespace]);
  }

  add(id: ObjectIdentity): void {
    const key = AbsentOwnerCache.key(id);
    this.entries.delete(key);
    this.entries.set(key, true);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  has(id: ObjectIdentity): boolean {
    const key = AbsentOwnerCache.key(id);
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }
}

/** How two ownerReference lists differ, by uid (referencesDiffs). */
export function referencesDiffs(old: readonly OwnerReference[], cur: readonly OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: { old: OwnerReference; cur: OwnerReference }[] } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: { old: OwnerReference; cur: OwnerReference }[] = [];
  for (const r of cur) {
    const o = oldByUid.get(r.uid);
    if (!o) added.push(r);
    else {
      if (!sameReference(o, r)) changed.push({ old: o, cur: r });
      oldByUid.delete(r.uid);
    }
  }
  return { added, removed: [...oldByUid.values()], changed };
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.controller === b.controller && a.blockOwnerDeletion === b.blockOwnerDeletion;
}

/**
 * Dependents whose references to `owner.uid` match these coordinates, and those with one that does not (a dependent
 * outside a namespaced owner's namespace never matches); a dependent may be in both (partitionDependents).
 */
export function partitionDependents(dependents: Iterable<GraphNode>, owner: ObjectIdentity): { matching: GraphNode[]; nonMatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonMatching: GraphNode[] = [];
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (owner.namespace !== '' && owner.namespace !== dep.identity.namespace) mismatch = true;
    else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (referenceMatches(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonMatching.push(dep);
  }
  return { matching, nonMatching };
}
