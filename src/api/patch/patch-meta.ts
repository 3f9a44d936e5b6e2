/**
 * What a strategic merge patch needs to know about a type: for each field, its patch strategy
 * and merge key (Go's `patchStrategy` / `patchMergeKey` tags, OpenAPI's
 * `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`), and the type of its value.
 */

export interface PatchStrategy {
  /** Comma-separated strategies: `merge`, `replace`, `retainKeys`, `merge,retainKeys`. */
  readonly patchStrategy?: string;
  /** The key list items are matched by, for lists of objects merged by key. */
  readonly patchMergeKey?: string;
  /** `x-kubernetes-list-type`, for information: strategic merge patch goes by the two above. */
  readonly listType?: string;
}

/**
 * A node of a type: the value of a field (or a list's items) and how that field merges.
 * `strategy()` belongs to the field as declared in its enclosing object; `field()` and
 * `items()` describe the value's type.
 */
export interface PatchMeta {
  /**
   * A field of this object. A free-form map (additionalProperties, preserved unknown fields)
   * answers for any name; undefined means the object has no such field, which fails the patch
   * as upstream's lookup does.
   */
  field(name: string): PatchMeta | undefined;
  /** The items of this list; undefined when the value is not a list. */
  items(): PatchMeta | undefined;
  strategy(): PatchStrategy;
  /** The Go type name for messages (`PodSpec`); '' when unknown. */
  typeName(): string;
}

const NO_STRATEGY: PatchStrategy = {};

/** No metadata at all: every field is known, maps merge and lists are replaced. */
export const ANY_PATCH_META: PatchMeta = {
  field: () => ANY_PATCH_META,
  items: () => ANY_PATCH_META,
  strategy: () => NO_STRATEGY,
  typeName: () => '',
};

/** A hand-written description of a type, e.g. for tests; cycles are allowed. */
export interface PatchMetaLiteral extends PatchStrategy {
  readonly typeName?: string;
  /** Known fields; when absent (and `values` too) any field is accepted without metadata. */
  readonly fields?: Readonly<Record<string, PatchMetaLiteral>>;
  /** The value type of a free-form map. */
  readonly values?: PatchMetaLiteral;
  /** The item type of a list; without it, items have no metadata. */
  readonly items?: PatchMetaLiteral;
}

class LiteralPatchMeta implements PatchMeta {
  readonly #literal: PatchMetaLiteral;

  constructor(literal: PatchMetaLiteral) {
    this.#literal = literal;
  }

  field(name: string): PatchMeta | undefined {
    const { fields, values } = this.#literal;
    const found = fields !== undefined && Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (found !== undefined) return patchMetaFromLiteral(found);
    if (values !== undefined) return patchMetaFromLiteral(values);
    return fields === undefined ? ANY_PATCH_META : undefined;
  }

  items(): PatchMeta {
    const { items } = this.#literal;
    return items === undefined ? ANY_PATCH_META : patchMetaFromLiteral(items);
  }

  strategy(): PatchStrategy {
    return this.#literal;
  }

  typeName(): string {
    return this.#literal.typeName ?? '';
  }
}

export function patchMetaFromLiteral(literal: PatchMetaLiteral): PatchMeta {
  return new LiteralPatchMeta(literal);
}
