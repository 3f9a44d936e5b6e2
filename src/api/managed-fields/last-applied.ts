import { compareValues } from './compare-values.js';
import type { FieldSchema } from './field-schema.js';
import type { FieldSet } from './field-set.js';
import { goJson } from './path-element.js';
import { asMap } from './schema-walk.js';
import { toFieldSet } from './to-field-set.js';
import { validateConfiguration } from './validate-configuration.js';

/** The annotation client-side `kubectl apply` keeps its last applied manifest in. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The fields the last-applied-configuration annotation of `live` still holds with the live values:
 * fields client-side apply owned, which `kubectl apply --server-side` may take without conflict
 * (upstream's lastAppliedManager). Undefined when there is no usable annotation.
 */
export function allowedByLastApplied(live: object, schema: FieldSchema, apiVersion: string): FieldSet | undefined {
  const text = asMap(asMap(asMap(live)?.['metadata'])?.['annotations'])?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== 'string' || text === '') return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  const map = asMap(lastApplied);
  if (map === undefined || map['apiVersion'] !== apiVersion || validateConfiguration(map, schema).length > 0) return undefined;
  const comparison = compareValues(map, live, schema);
  return toFieldSet(map, schema).difference(comparison.modified).difference(comparison.added).difference(comparison.removed);
}

/**
 * The annotation's new value after `kubectl apply --server-side`: the applied configuration without
 * the annotation itself, as Go's JSON encoder writes it (sorted keys, trailing newline).
 */
export function lastAppliedAnnotationOf(config: object): string {
  const copy = structuredClone(config) as Record<string, unknown>;
  const metadata = asMap(copy['metadata']) as Record<string, unknown> | undefined;
  const annotations = asMap(metadata?.['annotations']) as Record<string, unknown> | undefined;
  if (annotations !== undefined) delete annotations[LAST_APPLIED_ANNOTATION];
  return `${goJson(copy)}\n`;
}
