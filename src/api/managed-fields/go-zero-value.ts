import type { FieldSchema } from './field-schema.js';

/**
 * The object upstream compares a create against: the kind's Go zero value as printed, e.g.
 * `{metadata: {creationTimestamp: null}, spec: {selector: null, template: {...}}, status: {...}}`.
 * Fields it prints are "present before", so a create does not give them a `.` entry.
 */
export function goZeroValue(schema: FieldSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (schema.kind !== 'object') return out;
  for (const [name, zero] of Object.entries(schema.goZero ?? {})) {
    const field = schema.fields[name];
    out[name] = zero.kind === 'value' ? zero.value : field === undefined ? {} : goZeroValue(field);
  }
  return out;
}
