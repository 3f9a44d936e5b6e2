import type { TableColumnDefinition } from './table-types.js';

/** ObjectMeta's swagger doc for `name` (k8s.io/apimachinery v0.32). */
export const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** ObjectMeta's swagger doc for `creationTimestamp` (k8s.io/apimachinery v0.32). */
export const CREATION_TIMESTAMP_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function column(name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

export const nameColumn = (priority = 0): TableColumnDefinition => column('Name', 'string', NAME_DOC, priority, 'name');
export const ageColumn = (): TableColumnDefinition => column('Age', 'string', CREATION_TIMESTAMP_DOC);

/** The wide Containers and Images columns of every pod-template kind. */
export const containerColumns = (): TableColumnDefinition[] => [
  column('Containers', 'string', 'Names of each container in the template.', 1),
  column('Images', 'string', 'Images referenced by each container in the template.', 1),
];
