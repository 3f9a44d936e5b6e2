import { CompareResult, CompareTarget, type ICompare, type IKeyValue, type ITxnResponse } from 'etcd3';
import type { KeyValue } from '../storage.js';
import { StorageError } from '../storage-error.js';

/** The key range `[key, rangeEnd)` holding every key that starts with `prefix` (etcd's prefix semantics). */
export function prefixRange(prefix: string): { key: Buffer; rangeEnd: Buffer } {
  const key = Buffer.from(prefix);
  // An empty prefix is etcd's "\0" to "\0": every key.
  if (key.length === 0) return { key: Buffer.from([0]), rangeEnd: Buffer.from([0]) };
  return { key, rangeEnd: rangeEndOf(key) };
}

/** The smallest key greater than every key starting with `prefix`: its last byte below 0xff, incremented. */
function rangeEndOf(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i];
    if (byte !== undefined && byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return Buffer.from([0]);
}

export function toKeyValue(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString(),
    value: kv.value.toString(),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}

/** The key right after `key` in etcd's byte order: where the next page of a list starts. */
export function keyAfter(key: string): string {
  return `${key}\u0000`;
}

/** Compares the key's mod_revision (0 while absent) with `revision`. */
export function modRevisionIs(key: Buffer, result: 'Equal' | 'Greater', revision: number): ICompare {
  return { key, target: CompareTarget.Mod, result: CompareResult[result], mod_revision: revision };
}

/** The failure of a compare-and-swap transaction whose else branch read the key. */
export function casFailure(key: string, res: ITxnResponse): StorageError {
  const current = res.responses[0]?.response_range.kvs[0];
  if (current === undefined) return StorageError.notFound(key);
  return StorageError.conflict(key, { modRevision: Number(current.mod_revision), value: current.value.toString() });
}
