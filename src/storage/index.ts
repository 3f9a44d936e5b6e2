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
export { EtcdStorage, type EtcdStorageOptions, type EtcdTlsOptions } from './etcd/etcd-storage.js';
