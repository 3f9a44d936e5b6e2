/**
 * The errors the API serves, each carrying the `Status` body kube-apiserver would send. Messages,
 * codes and details follow apimachinery's `pkg/api/errors`, so clients (kubectl, client-go)
 * recognise them.
 */
import type { Status, StatusCause, StatusDetails } from 'kubernetes-types/meta/v1.js';
import { aggregateFieldErrors, fieldErrorBody, type FieldError } from './field-error.js';
import { goQuote } from './go-format.js';
import { groupKindString, groupResourceString, type GroupKind, type GroupResource } from './group-resource.js';

export type { GroupKind, GroupResource } from './group-resource.js';

const KNOWN_REASONS = [
  'Unauthorized', 'Forbidden', 'NotFound', 'AlreadyExists', 'Conflict', 'Gone', 'Invalid',
  'ServerTimeout', 'StoreReadError', 'Timeout', 'TooManyRequests', 'BadRequest', 'MethodNotAllowed',
  'NotAcceptable', 'RequestEntityTooLarge', 'UnsupportedMediaType', 'InternalError', 'Expired',
  'ServiceUnavailable',
] as const;

/** metav1.StatusReason; '' is StatusReasonUnknown. */
export type StatusReason = (typeof KNOWN_REASONS)[number] | '';

const KNOWN_REASON_SET: ReadonlySet<string> = new Set(KNOWN_REASONS);

/** What a conflicting update is told: upstream's `OptimisticLockErrorMsg`. */
export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

/** The media types a request body may have, in upstream's order (Skiff serves no protobuf). */
export const ACCEPTED_MEDIA_TYPES: readonly string[] = ['application/json', 'application/yaml'];

interface DetailsInput {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** Details as Go serializes them: empty fields left out. */
function details(input: DetailsInput): StatusDetails {
  const out: StatusDetails = {};
  if (input.name) out.name = input.name;
  if (input.group) out.group = input.group;
  if (input.kind) out.kind = input.kind;
  if (input.causes && input.causes.length > 0) out.causes = input.causes;
  if (input.retryAfterSeconds) out.retryAfterSeconds = input.retryAfterSeconds;
  return out;
}

function resourceDetails(resource: GroupResource, name: string, retryAfterSeconds?: number): StatusDetails {
  return details({ name, group: resource.group, kind: resource.resource, retryAfterSeconds });
}

function describe(err: Error | string): string {
  return typeof err === 'string' ? err : err.message;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: Status & { code: number; message: string; reason: StatusReason };

  constructor(options: { code: number; reason: StatusReason; message: string; details?: StatusDetails }) {
    super(options.message);
    const { code, reason, message } = options;
    // Key order follows Go's serialization of metav1.Status.
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(options.details ? { details: options.details } : {}),
      code,
    };
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason {
    return this.status.reason;
  }

  /** Rebuilds the error from a Status body a server sent. */
  static fromStatus(status: Status): ApiError {
    return new ApiError({
      code: status.code ?? 0,
      reason: (status.reason ?? '') as StatusReason,
      message: status.message ?? '',
      details: status.details,
    });
  }

  static notFound(resource: GroupResource, name: string): ApiError {
    return new ApiError({
      code: 404,
      reason: 'NotFound',
      message: `${groupResourceString(resource)} ${goQuote(name)} not found`,
      details: resourceDetails(resource, name),
    });
  }

  static alreadyExists(resource: GroupResource, name: string): ApiError {
    return new ApiError({
      code: 409,
      reason: 'AlreadyExists',
      message: `${groupResourceString(resource)} ${goQuote(name)} already exists`,
      details: resourceDetails(resource, name),
    });
  }

  /** Name generation ran out of attempts: 409 AlreadyExists with a retry hint. */
  static generateNameConflict(resource: GroupResource, name: string, retryAfterSeconds: number): ApiError {
    return new ApiError({
      code: 409,
      reason: 'AlreadyExists',
      message: `${groupResourceString(resource)} ${goQuote(name)} already exists, the server was not able to generate a unique name for the object`,
      details: resourceDetails(resource, name, retryAfterSeconds),
    });
  }

  /** `cause` is usually OPTIMISTIC_LOCK_MESSAGE. */
  static conflict(resource: GroupResource, name: string, cause: Error | string): ApiError {
    return new ApiError({
      code: 409,
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on ${groupResourceString(resource)} ${goQuote(name)}: ${describe(cause)}`,
      details: resourceDetails(resource, name),
    });
  }

  static invalid(kind: GroupKind, name: string, errors: readonly FieldError[]): ApiError {
    const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
    const prefix = `${groupKindString(kind)} ${goQuote(name)} is invalid`;
    return new ApiError({
      code: 422,
      reason: 'Invalid',
      message: errors.length === 0 ? prefix : `${prefix}: ${aggregateFieldErrors(errors)}`,
      details: details({ name, group: kind.group, kind: kind.kind, causes }),
    });
  }

  static badRequest(message: string): ApiError {
    return new ApiError({ code: 400, reason: 'BadRequest', message });
  }

  static unauthorized(message = ''): ApiError {
    return new ApiError({ code: 401, reason: 'Unauthorized', message: message || 'not authorized' });
  }

  /** An empty resource gives `forbidden: <err>`; an empty name `<resource> is forbidden: <err>`. */
  static forbidden(resource: GroupResource, name: string, err: Error | string): ApiError {
    const reason = describe(err);
    let message: string;
    if (resource.group === '' && resource.resource === '') message = `forbidden: ${reason}`;
    else if (name === '') message = `${groupResourceString(resource)} is forbidden: ${reason}`;
    else message = `${groupResourceString(resource)} ${goQuote(name)} is forbidden: ${reason}`;
    return new ApiError({
      code: 403,
      reason: 'Forbidden',
      message,
      details: resourceDetails(resource, name),
    });
  }

  static gone(message: string): ApiError {
    return new ApiError({ code: 410, reason: 'Gone', message });
  }

  /** A resourceVersion too old to serve (compacted): 410 Expired. */
  static resourceExpired(message: string): ApiError {
    return new ApiError({ code: 410, reason: 'Expired', message });
  }

  static methodNotSupported(resource: GroupResource, action: string): ApiError {
    return new ApiError({
      code: 405,
      reason: 'MethodNotAllowed',
      message: `${action} is not supported on resources of kind ${goQuote(groupResourceString(resource))}`,
      details: resourceDetails(resource, ''),
    });
  }

  /** A number is the byte limit: `Request entity too large: limit is 3145728`. */
  static requestEntityTooLarge(limitOrMessage: number | string): ApiError {
    const detail = typeof limitOrMessage === 'number' ? `limit is ${limitOrMessage}` : limitOrMessage;
    return new ApiError({ code: 413, reason: 'RequestEntityTooLarge', message: `Request entity too large: ${detail}` });
  }

  static unsupportedMediaType(accepted: readonly string[] = ACCEPTED_MEDIA_TYPES): ApiError {
    return new ApiError({
      code: 415,
      reason: 'UnsupportedMediaType',
      message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    });
  }

  static notAcceptable(accepted: readonly string[] = ACCEPTED_MEDIA_TYPES): ApiError {
    return new ApiError({
      code: 406,
      reason: 'NotAcceptable',
      message: `only the following media types are accepted: ${accepted.join(', ')}`,
    });
  }

  static tooManyRequests(retryAfterSeconds: number, message = 'Too many requests, please try again later.'): ApiError {
    return new ApiError({ code: 429, reason: 'TooManyRequests', message, details: details({ retryAfterSeconds }) });
  }

  /** 504 Timeout: the request may still complete. */
  static timeout(message: string, retryAfterSeconds = 0): ApiError {
    return new ApiError({
      code: 504,
      reason: 'Timeout',
      message: `Timeout: ${message}`,
      details: details({ retryAfterSeconds }),
    });
  }

  /** Upstream's NewServerTimeout: code 500 (not 504), reason ServerTimeout, the operation as name. */
  static serverTimeout(resource: GroupResource, operation: string, retryAfterSeconds: number): ApiError {
    return new ApiError({
      code: 500,
      reason: 'ServerTimeout',
      message: `The ${operation} operation against ${groupResourceString(resource)} could not be completed at this time, please try again.`,
      details: resourceDetails(resource, operation, retryAfterSeconds),
    });
  }

  /** A read asked for a resourceVersion newer than the store has: 504, retry after a second. */
  static tooLargeResourceVersion(requested: number, current: number, retryAfterSeconds = 1): ApiError {
    const err = ApiError.timeout(`Too large resource version: ${requested}, current: ${current}`, retryAfterSeconds);
    err.status.details = {
      ...err.status.details,
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    };
    return err;
  }

  static internal(err: Error | string): ApiError {
    const message = describe(err);
    return new ApiError({
      code: 500,
      reason: 'InternalError',
      message: `Internal error occurred: ${message}`,
      details: details({ causes: [{ message }] }),
    });
  }

  static serviceUnavailable(message: string): ApiError {
    return new ApiError({ code: 503, reason: 'ServiceUnavailable', message });
  }
}

function matches(err: unknown, reason: StatusReason, code?: number): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.reason === reason) return true;
  return code !== undefined && err.code === code && !KNOWN_REASON_SET.has(err.reason);
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;
export const isNotFound = (err: unknown): boolean => matches(err, 'NotFound', 404);
export const isAlreadyExists = (err: unknown): boolean => matches(err, 'AlreadyExists');
export const isConflict = (err: unknown): boolean => matches(err, 'Conflict', 409);
export const isInvalid = (err: unknown): boolean => matches(err, 'Invalid', 422);
export const isGone = (err: unknown): boolean => matches(err, 'Gone', 410);
export const isResourceExpired = (err: unknown): boolean => matches(err, 'Expired');
export const isNotAcceptable = (err: unknown): boolean => matches(err, 'NotAcceptable', 406);
export const isUnsupportedMediaType = (err: unknown): boolean => matches(err, 'UnsupportedMediaType', 415);
export const isMethodNotSupported = (err: unknown): boolean => matches(err, 'MethodNotAllowed', 405);
export const isServiceUnavailable = (err: unknown): boolean => matches(err, 'ServiceUnavailable', 503);
export const isBadRequest = (err: unknown): boolean => matches(err, 'BadRequest', 400);
export const isUnauthorized = (err: unknown): boolean => matches(err, 'Unauthorized', 401);
export const isForbidden = (err: unknown): boolean => matches(err, 'Forbidden', 403);
export const isTimeout = (err: unknown): boolean => matches(err, 'Timeout', 504);
export const isServerTimeout = (err: unknown): boolean => matches(err, 'ServerTimeout');
export const isInternalError = (err: unknown): boolean => matches(err, 'InternalError', 500);
/** Like upstream, 429 counts whatever the reason. */
export const isTooManyRequests = (err: unknown): boolean =>
  err instanceof ApiError && (err.reason === 'TooManyRequests' || err.code === 429);
export const isRequestEntityTooLarge = (err: unknown): boolean =>
  err instanceof ApiError && (err.reason === 'RequestEntityTooLarge' || err.code === 413);

/** Whether the error carries a cause of that type (upstream's HasStatusCause). */
export function hasStatusCause(err: unknown, causeType: string): boolean {
  return err instanceof ApiError && (err.status.details?.causes ?? []).some((c) => c.reason === causeType);
}

export function isTooLargeResourceVersion(err: unknown): boolean {
  return isTimeout(err) && hasStatusCause(err, 'ResourceVersionTooLarge');
}

/** Seconds the client should wait before retrying, if the error suggests one. */
export function suggestsClientDelay(err: unknown): number | undefined {
  if (!(err instanceof ApiError) || err.status.details === undefined) return undefined;
  const seconds = err.status.details.retryAfterSeconds ?? 0;
  if (err.reason === 'ServerTimeout' || seconds > 0) return seconds;
  return undefined;
}
