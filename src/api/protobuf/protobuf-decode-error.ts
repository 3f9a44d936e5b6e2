export type ProtobufDecodeErrorReason = 'malformed' | 'unsupported';

/**
 * A request body that could not be decoded as a Kubernetes protobuf object.
 * 'malformed' maps to 400 Bad Request, 'unsupported' to 415 Unsupported Media Type.
 */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';

  constructor(
    message: string,
    readonly reason: ProtobufDecodeErrorReason = 'malformed',
  ) {
    super(message);
  }
}
