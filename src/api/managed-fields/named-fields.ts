import type { FieldSchema } from './field-schema.js';
import { FieldSet } from './field-set.js';
import { childSchema } from './schema-walk.js';

/**
 * upstream's Set.EnsureNamedFieldsAreMembers: every struct field a path goes through becomes a member
 * too, so that removing by the set removes the field itself once nothing under it is left.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema: FieldSchema | undefined): FieldSet {
  const out = new FieldSet();
  for (const { name, element, member, set: child } of set.namedEntries()) {
    const isStructField = 'field' in element && schema?.kind === 'object' && Object.hasOwn(schema.fields, element.field);
    if (member || (child !== undefined && isStructField)) out.addMember(name, element);
    if (child === undefined) continue;
    const below = 'field' in element && schema !== undefined ? childSchema(schema, element.field) : 'key' in element && schema?.kind === 'list' ? schema.elements : undefined;
    const named = ensureNamedFieldsAreMembers(child, below);
    if (!named.empty()) out.child(name, element).merge(named);
  }
  return out;
}
