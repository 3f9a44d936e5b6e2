// The storage layer: a revisioned key-value store with watch, whose revision is every object's
// resourceVersion. One interface (storage.ts), two backends: embedded SQLite (an append-only log, kine-style)
// and etcd v3. Nothing above this layer knows which one it talks to.
export type {
  Storage,
  KeyValue,
  ReadOptions,
  ListOptions,
  ListResult,
  WriteOptions,
  DeleteResult,
  StorageEvent,
  StorageEventType,
  WatchOptions,
  UpdateFunction,
} from './storage.js';
export { StorageError, isStorageError, type StorageErrorCode } from './storage-error.js';
export { guaranteedUpdate } from './guaranteed-update.js';
export { SqliteStorage, type SqliteStorageOptions } from './sqlite/sqlite-storage.js';
export { startCompactor, DEFAULT_COMPACTION_INTERVAL_MS, type Compactor, type CompactorOptions } from './compactor.js';
export type { EtcdStorage, EtcdStorageOptions, EtcdTlsOptions } from './etcd/etcd-storage.js';

/**
 * Opens etcd storage. The etcd client library is loaded only here, when etcd is asked for, so that a server on SQLite
 * starts without it.
 */
export async function openEtcdStorage(options: import('./etcd/etcd-storage.js').EtcdStorageOptions): Promise<import('./etcd/etcd-storage.js').EtcdStorage> {
  const { EtcdStorage } = await import('./etcd/etcd-storage.js');
  return EtcdStorage.open(options);
}
