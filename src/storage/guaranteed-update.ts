import type { KeyValue, Storage, UpdateFunction, WriteOptions } from './storage.js';
import { isStorageError } from './storage-error.js';

type CasStore = Pick<Storage, 'get' | 'create' | 'update'>;

/**
 * Storage.guaranteedUpdate in terms of get/create/update: read, compute, compare-and-swap, and on a lost race
 * start again from a fresh read. `fn` may run more than once; it must not have side effects of its own.
 */
export async function guaranteedUpdate(
  store: CasStore,
  key: string,
  fn: UpdateFunction,
  options?: WriteOptions,
): Promise<KeyValue | undefined> {
  let current = await store.get(key);
  for (;;) {
    const next = await fn(current);
    if (next === undefined) return current;
    try {
      return current === undefined
        ? await store.create(key, next, options)
        : await store.update(key, next, current.modRevision, options);
    } catch (err) {
      if (isStorageError(err, 'Conflict') || isStorageError(err, 'KeyExists') || isStorageError(err, 'NotFound')) {
        current = await store.get(key);
        continue;
      }
      throw err;
    }
  }
}
