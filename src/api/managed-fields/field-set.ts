import { comparePathElements, serializePathElement, type PathElement } from './path-element.js';

/** A path from the object root, e.g. [{field: 'spec'}, {field: 'replicas'}]. */
export type FieldSetPath = readonly PathElement[];

interface Child {
  readonly element: PathElement;
  readonly set: FieldSet;
}

/**
 * A set of field paths as structured-merge-diff keeps it: `members` are paths ending at this
 * node, `children` lead further down. A node can be both (FieldsV1's `.` entry).
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
    const [head, ...rest] = path;
    if (head === undefined) return;
    const name = serializePathElement(head);
    if (rest.length === 0) {
      this.#members.set(name, head);
      return;
    }
    this.descend(head).insert(rest);
  }

  /** The child set under an element, created when missing. */
  descend(element: PathElement): FieldSet {
    const name = serializePathElement(element);
    let child = this.#children.get(name);
    if (child === undefined) {
      child = { element, set: new FieldSet() };
      this.#children.set(name, child);
    }
    return child.set;
  }

  has(path: FieldSetPath): boolean {
    const [head, ...rest] = path;
    if (head === undefined) return false;
    const name = serializePathElement(head);
    if (rest.length === 0) return this.#members.has(name);
    return this.#children.get(name)?.set.has(rest) ?? false;
  }

  empty(): boolean {
    return this.#members.size === 0 && this.#children.size === 0;
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    out.#addAll(other);
    return out;
  }

  #addAll(other: FieldSet): void {
    for (const [name, element] of other.#members) this.#members.set(name, element);
    for (const { element, set } of other.#children.values()) this.descend(element).#addAll(set);
  }

  copy(): FieldSet {
    const out = new FieldSet();
    out.#addAll(this);
    return out;
  }

  /** Paths of this set that are not in other; a member of other does not remove paths below it. */
  difference(other: FieldSet): FieldSet {
    return this.#subtract(other, false);
  }

  /** Like difference, but a member of other also removes every path below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    return this.#subtract(other, true);
  }

  #subtract(other: FieldSet, recursive: boolean): FieldSet {
    const out = new FieldSet();
    for (const [name, element] of this.#members) if (!other.#members.has(name)) out.#members.set(name, element);
    for (const [name, child] of this.#children) {
      if (recursive && other.#members.has(name)) continue;
      const theirs = other.#children.get(name);
      const rest = theirs === undefined ? child.set.copy() : child.set.#subtract(theirs.set, recursive);
      if (!rest.empty()) out.#children.set(name, { element: child.element, set: rest });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).empty() && other.difference(this).empty();
  }

  /** Members and children in upstream's path element order; `member`/`set` tell which this element is. */
  entries(): { element: PathElement; member: boolean; set: FieldSet | undefined }[] {
    const names = new Set([...this.#members.keys(), ...this.#children.keys()]);
    const out = [...names].map((name) => {
      const child = this.#children.get(name);
      const element = child?.element ?? this.#members.get(name);
      if (element === undefined) throw new Error(`unreachable: ${name}`);
      return { element, member: this.#members.has(name), set: child?.set };
    });
    return out.sort((a, b) => comparePathElements(a.element, b.element));
  }
}
