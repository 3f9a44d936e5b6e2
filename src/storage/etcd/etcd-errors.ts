import {
  ClientClosedError,
  ClientRuntimeError,
  EtcdError,
  EtcdLeaseInvalidError,
  EtcdPermissionDeniedError,
  GRPCDeadlineExceededError,
  GRPCGenericError,
  GRPCInvalidArgumentError,
  GRPCResourceExhastedError,
} from 'etcd3';
import { StorageError, type StorageErrorCode } from '../storage-error.js';

// The etcd server's error texts (etcd/etcdserver/api/v3rpc/rpctypes), matched as substrings because the gRPC layer
// prefixes them with the status code ("11 OUT_OF_RANGE: etcdserver: mvcc: ...").
const COMPACTED = 'mvcc: required revision has been compacted';
const FUTURE_REVISION = 'mvcc: required revision is a future revision';
const LEASE_NOT_FOUND = 'etcdserver: requested lease not found';
const REQUEST_TOO_LARGE = 'etcdserver: request is too large';
const GRPC_MESSAGE_TOO_LARGE = 'larger than max';
const SERVER_TIMEOUTS = ['etcdserver: request timed out', 'etcdserver: timed out waiting for read index response'];

// gRPC status codes, for errors that reach us uncast (watch streams bypass etcd3's error casting).
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;

function grpcCode(err: unknown): number | undefined {
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function isCompactedError(err: unknown): boolean {
  return messageOf(err).includes(COMPACTED);
}

export function isFutureRevisionError(err: unknown): boolean {
  return messageOf(err).includes(FUTURE_REVISION);
}

export function isLeaseNotFoundError(err: unknown): boolean {
  return err instanceof EtcdLeaseInvalidError || messageOf(err).includes(LEASE_NOT_FOUND);
}

/** Whether `err` came from the etcd client or the server (as opposed to a bug in our code). */
function isClientError(err: unknown): err is Error {
  return (
    err instanceof GRPCGenericError ||
    err instanceof EtcdError ||
    err instanceof ClientClosedError ||
    err instanceof ClientRuntimeError ||
    err instanceof EtcdPermissionDeniedError ||
    err instanceof EtcdLeaseInvalidError ||
    grpcCode(err) !== undefined
  );
}

/** The StorageErrorCode an etcd failure maps to; Compacted and FutureRevision need the caller's revision context. */
export function etcdErrorCode(err: unknown): StorageErrorCode {
  const message = messageOf(err);
  if (message.includes(COMPACTED)) return 'Compacted';
  if (message.includes(FUTURE_REVISION)) return 'FutureRevision';
  if (message.includes(REQUEST_TOO_LARGE)) return 'TooLarge';
  const code = grpcCode(err);
  const exhausted = err instanceof GRPCResourceExhastedError || code === GRPC_RESOURCE_EXHAUSTED;
  if (exhausted && message.includes(GRPC_MESSAGE_TOO_LARGE)) return 'TooLarge';
  if (err instanceof GRPCDeadlineExceededError || code === GRPC_DEADLINE_EXCEEDED) return 'Timeout';
  if (SERVER_TIMEOUTS.some((text) => message.includes(text))) return 'Timeout';
  if (err instanceof GRPCInvalidArgumentError || code === GRPC_INVALID_ARGUMENT) return 'InvalidArgument';
  return 'Unavailable';
}

/**
 * Maps a failed etcd call to a StorageError. Errors that did not come from the client or server (bugs) are rethrown
 * unchanged. Compacted/FutureRevision get no revision here: callers with revision context build those themselves.
 */
export function toStorageError(err: unknown, key: string): StorageError {
  if (err instanceof StorageError) return err;
  if (!isClientError(err)) throw err;
  const code = etcdErrorCode(err);
  return new StorageError(code, key, `etcd: ${err.message}`);
}
