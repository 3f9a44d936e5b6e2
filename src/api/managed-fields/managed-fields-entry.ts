import { decodeFieldsV1, fieldsV1, type FieldsV1 } from './fields-v1.js';
import type { FieldSet } from './field-set.js';

/** metav1.ManagedFieldsEntry, keys in the order upstream prints them. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: FieldsV1;
  subresource?: string;
}

/** One manager's decoded entry: who it is (everything but time and fields), when, and what it owns. */
export interface ManagedEntry {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion: string;
  readonly subresource: string;
  time: string | undefined;
  set: FieldSet;
  /**
   * The stored fieldsV1 this entry was decoded from, when it is exactly what fieldsV1(set) writes;
   * encoding reuses it while `set` is that same, unmodified set (clear it when changing the set in place).
   */
  source?: { readonly set: FieldSet; readonly json: FieldsV1 } | undefined;
}

/** upstream's BuildManagerIdentifier: the entry without time and fields, apiVersion dropped for Apply. */
export function managerIdentifier(entry: Pick<ManagedEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: Record<string, string> = {};
  if (entry.manager !== '') id['manager'] = entry.manager;
  id['operation'] = entry.operation;
  if (entry.operation !== 'Apply' && entry.apiVersion !== '') id['apiVersion'] = entry.apiVersion;
  if (entry.subresource !== '') id['subresource'] = entry.subresource;
  return JSON.stringify(id);
}

/** Decodes stored entries; throws on a malformed one, as upstream's DecodeManagedFields fails. */
export function decodeEntries(entries: unknown): ManagedEntry[] {
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  return entries.map((raw: unknown) => {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as ManagedFieldsEntry;
    if (entry.fieldsType !== 'FieldsV1') throw new Error(`unsupported fieldsType ${String(entry.fieldsType)}`);
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') throw new Error(`invalid operation ${String(entry.operation)}`);
    const json = entry.fieldsV1 ?? {};
    const { set, canonical } = decodeFieldsV1(json);
    return {
      manager: entry.manager ?? '',
      operation: entry.operation,
      apiVersion: entry.apiVersion ?? '',
      subresource: entry.subresource ?? '',
      time: entry.time,
      set,
      source: canonical ? { set, json } : undefined,
    };
  });
}

const seconds = (time: string | undefined): number => (time === undefined ? 0 : Math.floor(Date.parse(time) / 1000));

function compareEntries(p: ManagedEntry, q: ManagedEntry): number {
  if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
  const byTime = seconds(p.time) - seconds(q.time);
  if (byTime !== 0) return byTime;
  for (const key of ['manager', 'apiVersion', 'subresource'] as const) {
    if (p[key] !== q[key]) return p[key] < q[key] ? -1 : 1;
  }
  return 0;
}

/** Encodes entries in upstream's order: operation (Apply first), time, manager, apiVersion, subresource. */
export function encodeEntries(entries: readonly ManagedEntry[]): ManagedFieldsEntry[] {
  return [...entries].sort(compareEntries).map((entry) => {
    const out: ManagedFieldsEntry = {};
    if (entry.manager !== '') out.manager = entry.manager;
    out.operation = entry.operation;
    if (entry.apiVersion !== '') out.apiVersion = entry.apiVersion;
    if (entry.time !== undefined) out.time = entry.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = entry.source !== undefined && entry.source.set === entry.set ? entry.source.json : fieldsV1(entry.set);
    if (entry.subresource !== '') out.subresource = entry.subresource;
    return out;
  });
}
