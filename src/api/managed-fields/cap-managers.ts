import { managerIdentifier, type ManagedEntry } from './managed-fields-entry.js';

/** upstream's DefaultMaxUpdateManagers. */
export const MAX_UPDATE_MANAGERS = 10;
const BUCKET_MANAGER = 'ancient-changes';

const seconds = (time: string | undefined): number => (time === undefined ? 0 : Math.floor(Date.parse(time) / 1000));

/**
 * upstream's capManagersManager: while there are more Update entries than the cap, the oldest
 * ones are merged, per apiVersion, into an `ancient-changes` Update entry.
 */
export function capUpdateManagers(entries: readonly ManagedEntry[], max = MAX_UPDATE_MANAGERS): ManagedEntry[] {
  const byId = new Map(entries.map((entry) => [managerIdentifier(entry), entry]));
  const updaters = [...byId.keys()].filter((id) => byId.get(id)?.operation === 'Update');
  if (updaters.length <= max) return [...entries];
  updaters.sort((a, b) => seconds(byId.get(a)?.time) - seconds(byId.get(b)?.time) || (a < b ? -1 : a > b ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i] ?? '';
    const entry = byId.get(id);
    if (entry === undefined) continue;
    const bucket = { manager: BUCKET_MANAGER, operation: 'Update' as const, apiVersion: entry.apiVersion, subresource: '' };
    const bucketId = managerIdentifier(bucket);
    const first = firstOfVersion.get(entry.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(entry.apiVersion, id);
      continue;
    }
    let target = byId.get(bucketId);
    if (target === undefined) {
      const firstEntry = byId.get(first);
      byId.delete(first);
      target = { ...bucket, time: firstEntry?.time, set: firstEntry?.set ?? entry.set };
      byId.set(bucketId, target);
    }
    target.set = entry.set.union(target.set);
    target.time = entry.time;
    byId.delete(id);
    length--;
  }
  return [...byId.values()];
}
