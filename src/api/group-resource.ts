/** A resource or kind qualified by its API group, printed as apimachinery's schema package does. */
export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** `resource.group`, or just `resource` for the core group (schema.GroupResource.String()). */
export function groupResourceString(resource: GroupResource): string {
  return resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
}

/** `Kind.group`, or just `Kind` for the core group. */
export function groupKindString(kind: GroupKind): string {
  return kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
}
