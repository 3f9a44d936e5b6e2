import { comparePathElements, serializePathElement, type PathElement } from './path-element.js';

/** A path from the object root, e.g. [{field: 'spec'}, {field: 'replicas'}]. */
export type FieldSetPath = readonly PathElement[];

interface Child {
  readonly element: PathElement;
  readonly set: FieldSet;
}

/** One element of a set, by its serialized name: a member (path ends here), a child set, or both. */
export interface FieldSetEntry {
  readonly name: string;
  readonly element: PathElement;
  readonly member: boolean;
  readonly set: FieldSet | undefined;
}

const byElement = (a: FieldSetEntry, b: FieldSetEntry): number => comparePathElements(a.element, b.element);

/**
 * A set of field paths as structured-merge-diff keeps it: `members` are paths ending at this
 * node, `children` lead further down. A node can be both (FieldsV1's `.` entry).
 *
 * The named methods (`addMember`, `child`, `merge`, `subtract`) work in place with elements whose
 * serialized names the caller already has; sets built with them never keep empty children.
 */
export class FieldSet {
  readonly #members = new Map<string, PathElement>();
  readonly #children = new Map<string, Child>();

  static of(...paths: FieldSetPath[]): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  insert(path: FieldSetPath): void {
    this.#insertFrom(path, 0);
  }

  #insertFrom(path: FieldSetPath, i: number): void {
    const head = path[i];
    if (head === undefined) return;
    if (i === path.length - 1) this.#members.set(serializePathElement(head), head);
    else this.descend(head).#insertFrom(path, i + 1);
  }

  /** The child set under an element, created when missing. */
  descend(element: PathElement): FieldSet {
    return this.child(serializePathElement(element), element);
  }

  /** Adds the one-element path `element`, whose serialized name is `name`. */
  addMember(name: string, element: PathElement): void {
    this.#members.set(name, element);
  }

  /** The child set under `element` (serialized `name`), created when missing. */
  child(name: string, element: PathElement): FieldSet {
    let child = this.#children.get(name);
    if (child === undefined) {
      child = { element, set: new FieldSet() };
      this.#children.set(name, child);
    }
    return child.set;
  }

  /** Drops the child set under `name` when it holds nothing. */
  pruneChild(name: string): void {
    if (this.#children.get(name)?.set.empty() === true) this.#children.delete(name);
  }

  has(path: FieldSetPath): boolean {
    return this.#hasFrom(path, 0);
  }

  #hasFrom(path: FieldSetPath, i: number): boolean {
    const head = path[i];
    if (head === undefined) return false;
    const name = serializePathElement(head);
    if (i === path.length - 1) return this.#members.has(name);
    const child = this.#children.get(name);
    return child !== undefined && child.set.#hasFrom(path, i + 1);
  }

  empty(): boolean {
    return this.#members.size === 0 && this.#children.size === 0;
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    out.merge(other);
    return out;
  }

  /** Adds every path of other to this set. */
  merge(other: FieldSet): void {
    for (const [name, element] of other.#members) this.#members.set(name, element);
    for (const [name, { element, set }] of other.#children) this.child(name, element).merge(set);
  }

  copy(): FieldSet {
    const out = new FieldSet();
    out.merge(this);
    return out;
  }

  /** Paths of this set that are not in other; a member of other does not remove paths below it. */
  difference(other: FieldSet): FieldSet {
    return this.#difference(other, false);
  }

  /** Like difference, but a member of other also removes every path below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    return this.#difference(other, true);
  }

  #difference(other: FieldSet, recursive: boolean): FieldSet {
    const out = new FieldSet();
    for (const [name, element] of this.#members) if (!other.#members.has(name)) out.#members.set(name, element);
    for (const [name, child] of this.#children) {
      if (recursive && other.#members.has(name)) continue;
      const theirs = other.#children.get(name);
      const rest = theirs === undefined ? child.set.copy() : child.set.#difference(theirs.set, recursive);
      if (!rest.empty()) out.#children.set(name, { element: child.element, set: rest });
    }
    return out;
  }

  /**
   * In place difference (recursiveDifference when `recursive`), walking other only; whether
   * anything was removed. Children it empties are dropped.
   */
  subtract(other: FieldSet, recursive: boolean): boolean {
    let removed = false;
    if (this.#members.size > 0 || recursive) {
      for (const name of other.#members.keys()) {
        if (this.#members.delete(name)) removed = true;
        if (recursive && this.#children.delete(name)) removed = true;
      }
    }
    for (const [name, theirs] of other.#children) {
      const mine = this.#children.get(name);
      if (mine === undefined || !mine.set.subtract(theirs.set, recursive)) continue;
      removed = true;
      if (mine.set.empty()) this.#children.delete(name);
    }
    return removed;
  }

  /** Paths in both sets. */
  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [name, element] of this.#members) if (other.#members.has(name)) out.#members.set(name, element);
    for (const [name, child] of this.#children) {
      const theirs = other.#children.get(name);
      if (theirs === undefined) continue;
      const both = child.set.intersection(theirs.set);
      if (!both.empty()) out.#children.set(name, { element: child.element, set: both });
    }
    return out;
  }

  /** The child set under `name`, if any. */
  childNamed(name: string): FieldSet | undefined {
    return this.#children.get(name)?.set;
  }

  /** Whether the one-element path `name` is a member. */
  hasMember(name: string): boolean {
    return this.#members.has(name);
  }

  /** Every path, as upstream iterates a set: this node's members in order, then each child's paths in order. */
  paths(): FieldSetPath[] {
    const out: FieldSetPath[] = [];
    this.#collect([], out);
    return out;
  }

  #collect(prefix: FieldSetPath, out: FieldSetPath[]): void {
    const entries = this.namedEntries();
    for (const entry of entries) if (entry.member) out.push([...prefix, entry.element]);
    for (const entry of entries) if (entry.set !== undefined) entry.set.#collect([...prefix, entry.element], out);
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).empty() && other.difference(this).empty();
  }

  /** Members and children in upstream's path element order; `member`/`set` tell which this element is. */
  entries(): { element: PathElement; member: boolean; set: FieldSet | undefined }[] {
    return this.namedEntries().map(({ element, member, set }) => ({ element, member, set }));
  }

  /** entries() with each element's serialized name. */
  namedEntries(): FieldSetEntry[] {
    const out: FieldSetEntry[] = [];
    for (const [name, element] of this.#members) {
      if (!this.#children.has(name)) out.push({ name, element, member: true, set: undefined });
    }
    for (const [name, { element, set }] of this.#children) out.push({ name, element, member: this.#members.has(name), set });
    for (let i = 1; i < out.length; i++) {
      if (byElement(out[i - 1] as FieldSetEntry, out[i] as FieldSetEntry) > 0) return out.sort(byElement);
    }
    return out;
  }
}
