import { capUpdateManagers, MAX_UPDATE_MANAGERS } from './cap-managers.js';
import { FieldSet } from './field-set.js';
import { decodeEntries, encodeEntries, type ManagedEntry, type ManagedFieldsEntry } from './managed-fields-entry.js';

const REPLICAS = [{ field: 'spec' }, { field: 'replicas' }];
const SCALE_VERSION = 'autoscaling/v1';

function decodeOrEmpty(entries: unknown): ManagedEntry[] {
  try {
    return decodeEntries(entries);
  } catch {
    return [];
  }
}

const who = (entry: ManagedEntry): string => JSON.stringify([entry.manager, entry.operation, entry.subresource]);

/**
 * The managedFields of a workload as its autoscaling/v1 Scale shows them (upstream's ScaleHandler): every
 * entry owning `.spec.replicas` owns the Scale's `.spec.replicas`; the others are left out.
 */
export function scaleManagedFields(parentEntries: unknown): ManagedFieldsEntry[] {
  const out: ManagedEntry[] = [];
  for (const entry of decodeOrEmpty(parentEntries)) {
    if (entry.set.has(REPLICAS)) out.push({ ...entry, apiVersion: SCALE_VERSION, set: FieldSet.of(REPLICAS), source: undefined });
  }
  return encodeEntries(out);
}

/**
 * The workload's managedFields after a write to its Scale: an entry that no longer owns the Scale's
 * replicas loses `.spec.replicas`, and a manager that took them gets an entry owning the workload's
 * `.spec.replicas` at `parentApiVersion`.
 */
export function parentManagedFields(parentEntries: unknown, scaleEntries: unknown, parentApiVersion: string): ManagedFieldsEntry[] {
  const scale = new Map(decodeOrEmpty(scaleEntries).filter((e) => e.set.has(REPLICAS)).map((e) => [who(e), e]));
  const out: ManagedEntry[] = [];
  for (const entry of decodeOrEmpty(parentEntries)) {
    if (!entry.set.has(REPLICAS) || scale.delete(who(entry))) {
      out.push(entry);
      continue;
    }
    const rest = entry.set.difference(FieldSet.of(REPLICAS));
    if (!rest.empty()) out.push({ ...entry, set: rest, source: undefined });
  }
  for (const entry of scale.values()) out.push({ ...entry, apiVersion: parentApiVersion, set: FieldSet.of(REPLICAS), source: undefined });
  return encodeEntries(capUpdateManagers(out, MAX_UPDATE_MANAGERS));
}
