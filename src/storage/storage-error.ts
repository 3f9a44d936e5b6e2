/**
 * The failures a Storage reports. The API server's registry maps them to Kubernetes Status errors
 * (NotFound → 404, KeyExists → 409 AlreadyExists, Conflict → 409 Conflict, Compacted → 410 Expired,
 * FutureRevision → 504 with Retry-After, TooLarge → 413, Unavailable/Timeout → 503/504).
 */
export type StorageErrorCode =
  | 'NotFound'
  | 'KeyExists'
  | 'Conflict'
  | 'Compacted'
  | 'FutureRevision'
  | 'TooLarge'
  | 'InvalidArgument'
  | 'Unavailable'
  | 'Timeout';

export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    /** Conflict: the key's current state. Compacted: unused. */
    readonly current?: { readonly modRevision: number; readonly value: string },
    /** Compacted: the compacted revision. FutureRevision: the current revision. */
    readonly revision?: number,
  ) {
    super(message);
  }

  static notFound(key: string): StorageError {
    return new StorageError('NotFound', key, `key not found: ${key}`);
  }

  static keyExists(key: string): StorageError {
    return new StorageError('KeyExists', key, `key exists: ${key}`);
  }

  static conflict(key: string, current?: { modRevision: number; value: string }): StorageError {
    return new StorageError('Conflict', key, `revision mismatch for ${key}`, current);
  }

  static compacted(key: string, requested: number, compactedRevision: number): StorageError {
    return new StorageError(
      'Compacted',
      key,
      `required revision ${requested} has been compacted (compacted revision ${compactedRevision})`,
      undefined,
      compactedRevision,
    );
  }

  static futureRevision(key: string, requested: number, current: number): StorageError {
    return new StorageError('FutureRevision', key, `revision ${requested} is newer than the current revision ${current}`, undefined, current);
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
