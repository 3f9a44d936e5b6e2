/**
 * Why a patch could not be applied, classified the way kube-apiserver's PATCH handler answers it
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go).
 */
import { ApiError } from '../api-error.js';

/**
 * - `BadRequest`: 400, the message as is (undecodable JSON patch, malformed SMP directives).
 * - `Invalid`: 422 from `NewGenericServerResponse`: reason Invalid and the fixed message
 *   `the server rejected our request due to an error in our request`; `message` here is the
 *   library's text, which upstream does not send (a failed JSON patch `test`, a missing path).
 * - `RequestEntityTooLarge`: 413, more than 10000 JSON patch operations.
 * - `Unknown`: a plain Go error that kube-apiserver serves as a 500 Status with no reason and
 *   the error text as message (most strategic merge patch failures, e.g. a missing merge key).
 * - `Panic`: inputs that dereference nil in upstream's code (a JSON patch `test` without
 *   `value`); kube-apiserver recovers and answers 500 with the text/plain body PANIC_MESSAGE.
 */
export type PatchErrorKind = 'BadRequest' | 'Invalid' | 'RequestEntityTooLarge' | 'Unknown' | 'Panic';

/** The body of kube-apiserver's 500 answer to a request whose handler panicked. */
export const PANIC_MESSAGE = 'This request caused apiserver to panic. Look in the logs for details.';

/** Upstream's `maxJSONPatchOperations`. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const GENERIC_INVALID_MESSAGE = 'the server rejected our request due to an error in our request';

export class PatchError extends Error {
  override readonly name = 'PatchError';
  readonly kind: PatchErrorKind;

  constructor(kind: PatchErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }

  static badRequest(message: string): PatchError {
    return new PatchError('BadRequest', message);
  }

  static invalid(message: string): PatchError {
    return new PatchError('Invalid', message);
  }

  static unknown(message: string): PatchError {
    return new PatchError('Unknown', message);
  }

  static panic(): PatchError {
    return new PatchError('Panic', PANIC_MESSAGE);
  }

  /** The Status kube-apiserver sends for this failure. */
  toApiError(): ApiError {
    switch (this.kind) {
      case 'BadRequest':
        return ApiError.badRequest(this.message);
      case 'Invalid':
        return new ApiError({ code: 422, reason: 'Invalid', message: GENERIC_INVALID_MESSAGE, details: {} });
      case 'RequestEntityTooLarge':
        return ApiError.requestEntityTooLarge(this.message);
      case 'Unknown':
        return new ApiError({ code: 500, reason: '', message: this.message });
      case 'Panic':
        return new ApiError({ code: 500, reason: 'InternalError', message: this.message });
    }
  }
}

export const isPatchError = (err: unknown): err is PatchError => err instanceof PatchError;
