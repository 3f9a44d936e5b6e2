/**
 * The path from an object's root to one of its fields, rendered as Kubernetes prints it in
 * validation errors: `spec.containers[0].image`, `metadata.labels[app.kubernetes.io/name]`.
 * Immutable: every step returns a new path. Validators build far more paths than they report
 * errors on, so a step only links to its parent; the text is rendered (once) when asked for.
 */
const ROOT = 0;
const CHILD = 1;
const SUBSCRIPT = 2;
type Step = typeof ROOT | typeof CHILD | typeof SUBSCRIPT;

export class FieldPath {
  private rendered: string | undefined;

  private constructor(
    private readonly parent: FieldPath | undefined,
    private readonly step: Step,
    private readonly segment: string | number,
  ) {}

  /** A root path, with optional further children: `FieldPath.of('metadata', 'name')`. */
  static of(name: string, ...moreNames: string[]): FieldPath {
    const root = new FieldPath(undefined, ROOT, name);
    return moreNames.length === 0 ? root : root.child(...moreNames);
  }

  child(...names: string[]): FieldPath {
    if (names.length === 0) return this;
    let path = new FieldPath(this, CHILD, names[0] as string);
    for (let i = 1; i < names.length; i++) path = new FieldPath(path, CHILD, names[i] as string);
    return path;
  }

  index(index: number): FieldPath {
    return new FieldPath(this, SUBSCRIPT, index);
  }

  key(key: string): FieldPath {
    return new FieldPath(this, SUBSCRIPT, key);
  }

  toString(): string {
    if (this.rendered === undefined) {
      const head = this.parent === undefined ? '' : this.parent.toString();
      if (this.step === ROOT) this.rendered = String(this.segment);
      else if (this.step === CHILD) this.rendered = `${head}.${this.segment}`;
      else this.rendered = `${head}[${this.segment}]`;
    }
    return this.rendered;
  }
}

/** Upstream's `field.NewPath`. */
export function newPath(name: string, ...moreNames: string[]): FieldPath {
  return FieldPath.of(name, ...moreNames);
}
