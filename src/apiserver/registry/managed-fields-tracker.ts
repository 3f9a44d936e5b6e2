import { ApplyConflicts, applyManagedFields, FieldSet, UNTYPED_FIELD_SCHEMA, updateManagedFields, type FieldSchema } from '../../api/index.js';
import type { Clock } from '../../lib/index.js';
import type { KubeObject } from '../kube-object.js';
import { rfc3339 } from './object-codec.js';
import { apiVersionOf, type ResourceDefinition } from './resource-definition.js';

const STATUS = FieldSet.of([{ field: 'status' }]);

/** What an apply request asks of the tracker besides the live object and the configuration. */
export interface ApplyRequest {
  readonly manager: string;
  readonly force: boolean;
  readonly subresource?: string | undefined;
}

/**
 * Field ownership: each Update-operation write moves the fields it changed to its manager, each apply
 * merges its configuration by ownership; per kind schema (built once from the served OpenAPI definitions).
 */
export class ManagedFieldsTracker {
  private readonly schemas = new Map<string, FieldSchema>();

  constructor(
    private readonly schemaOf: (group: string, version: string, kind: string) => FieldSchema | undefined,
    private readonly clock: Clock,
  ) {}

  /** The schema managedFields are computed with for a kind (untyped when the kind has no definition). */
  schema(group: string, version: string, kind: string): FieldSchema {
    const key = `${group}/${version}/${kind}`;
    let schema = this.schemas.get(key);
    if (schema === undefined) {
      schema = this.schemaOf(group, version, kind) ?? UNTYPED_FIELD_SCHEMA;
      this.schemas.set(key, schema);
    }
    return schema;
  }

  update(def: ResourceDefinition, old: KubeObject | undefined, next: KubeObject, manager: string, subresource: string | undefined): unknown[] {
    return updateManagedFields({
      old,
      next,
      manager,
      apiVersion: apiVersionOf(def),
      time: rfc3339(this.clock.now()),
      subresource,
      schema: this.schema(def.group, def.version, def.kind),
      ignored: this.resetFields(def, subresource),
    });
  }

  /**
   * Server-side apply of `config` over `live` (undefined: the apply creates the object): the merged
   * object, carrying its new managedFields, before defaulting. Ownership conflicts are 409.
   */
  apply(def: ResourceDefinition, live: KubeObject | undefined, config: KubeObject, request: ApplyRequest): KubeObject {
    return this.applyWith(this.schema(def.group, def.version, def.kind), apiVersionOf(def), live, config, request, this.resetFields(def, request.subresource));
  }

  /** apply for a kind given by its schema (e.g. autoscaling/v1 Scale on the scale subresource). */
  applyWith(schema: FieldSchema, apiVersion: string, live: KubeObject | undefined, config: KubeObject, request: ApplyRequest, ignored?: FieldSet): KubeObject {
    try {
      const result = applyManagedFields({
        live,
        config,
        manager: request.manager,
        apiVersion,
        time: rfc3339(this.clock.now()),
        subresource: request.subresource,
        schema,
        ignored,
        force: request.force,
      });
      const object = result.object as KubeObject;
      const metadata = (object.metadata ??= {});
      if (result.managedFields.length > 0) metadata.managedFields = result.managedFields as typeof metadata.managedFields;
      else delete metadata.managedFields;
      return object;
    } catch (err) {
      if (err instanceof ApplyConflicts) throw err.toApiError();
      throw err;
    }
  }

  /**
   * The strategy's reset fields, which a write never takes ownership of: status for the main resource
   * of a kind with a status subresource, everything but status (and metadata) on the status subresource, status
   * on a namespace's finalize subresource.
   */
  private resetFields(def: ResourceDefinition, subresource: string | undefined): FieldSet | undefined {
    if (subresource === undefined) return def.subresources.includes('status') ? STATUS : undefined;
    if (subresource === 'finalize') return STATUS;
    if (subresource !== 'status') return undefined;
    const schema = this.schema(def.group, def.version, def.kind);
    const fields = schema.kind === 'object' ? Object.keys(schema.fields) : [];
    return FieldSet.of(...fields.filter((f) => !['status', 'metadata', 'apiVersion', 'kind'].includes(f)).map((field) => [{ field }]));
  }
}
