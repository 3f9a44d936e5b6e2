/**
 * The path from an object's root to one of its fields, rendered as Kubernetes prints it in
 * validation errors: `spec.containers[0].image`, `metadata.labels[app.kubernetes.io/name]`.
 * Immutable: every step returns a new path.
 */
export class FieldPath {
  private constructor(private readonly rendered: string) {}

  /** A root path, with optional further children: `FieldPath.of('metadata', 'name')`. */
  static of(name: string, ...moreNames: string[]): FieldPath {
    return new FieldPath(name).child(...moreNames);
  }

  child(...names: string[]): FieldPath {
    let rendered = this.rendered;
    for (const name of names) rendered += `.${name}`;
    return rendered === this.rendered ? this : new FieldPath(rendered);
  }

  index(index: number): FieldPath {
    return new FieldPath(`${this.rendered}[${index}]`);
  }

  key(key: string): FieldPath {
    return new FieldPath(`${this.rendered}[${key}]`);
  }

  toString(): string {
    return this.rendered;
  }
}

/** Upstream's `field.NewPath`. */
export function newPath(name: string, ...moreNames: string[]): FieldPath {
  return FieldPath.of(name, ...moreNames);
}
