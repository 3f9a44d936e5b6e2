import { FieldSet, UNTYPED_FIELD_SCHEMA, updateManagedFields, type FieldSchema } from '../../api/index.js';
import type { Clock } from '../../lib/index.js';
import type { KubeObject } from '../kube-object.js';
import { rfc3339 } from './object-codec.js';
import { apiVersionOf, type ResourceDefinition } from './resource-definition.js';

const STATUS = FieldSet.of([{ field: 'status' }]);

/**
 * Field ownership for Update operations: each write moves the fields it changed to its manager, per kind
 * schema (built once from the served OpenAPI definitions).
 */
export class ManagedFieldsTracker {
  private readonly schemas = new Map<string, FieldSchema>();

  constructor(
    private readonly schemaOf: (group: string, version: string, kind: string) => FieldSchema | undefined,
    private readonly clock: Clock,
  ) {}

  update(def: ResourceDefinition, old: KubeObject | undefined, next: KubeObject, manager: string, subresource: string | undefined): unknown[] {
    const key = `${def.group}/${def.version}/${def.kind}`;
    let schema = this.schemas.get(key);
    if (schema === undefined) {
      schema = this.schemaOf(def.group, def.version, def.kind) ?? UNTYPED_FIELD_SCHEMA;
      this.schemas.set(key, schema);
    }
    // A write to the main resource of a kind with a status subresource never changes status (its reset fields).
    const ignored = subresource === undefined && def.subresources.includes('status') ? STATUS : undefined;
    return updateManagedFields({
      old,
      next,
      manager,
      apiVersion: apiVersionOf(def),
      time: rfc3339(this.clock.now()),
      subresource,
      schema,
      ignored,
    });
  }
}
