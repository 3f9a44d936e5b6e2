import { collectingUnknownFields, decodeMessage } from './decode-message.js';
import { kindMessage } from './message-registry.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { WIRE_LENGTH_DELIMITED, WireReader } from './wire-reader.js';

export const KUBERNETES_PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** `k8s\0`, the prefix of every Kubernetes protobuf body. */
export const KUBERNETES_PROTOBUF_MAGIC: readonly number[] = [0x6b, 0x38, 0x73, 0x00];

export interface DecodedKubernetesObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
  /** Field numbers our message tables do not know, as `<Message>.<number>`; their values are dropped. */
  unknownFields: string[];
}

interface UnknownEnvelope {
  apiVersion: string;
  kind: string;
  raw: WireReader;
  contentEncoding: string;
}

function readTypeMeta(reader: WireReader): { apiVersion: string; kind: string } {
  const typeMeta = { apiVersion: '', kind: '' };
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.readKey();
    if (fieldNumber === 1 && wireType === WIRE_LENGTH_DELIMITED) typeMeta.apiVersion = reader.readString();
    else if (fieldNumber === 2 && wireType === WIRE_LENGTH_DELIMITED) typeMeta.kind = reader.readString();
    else reader.skip(wireType);
  }
  return typeMeta;
}

function readUnknown(reader: WireReader): UnknownEnvelope {
  const envelope: UnknownEnvelope = {
    apiVersion: '',
    kind: '',
    raw: new WireReader(new Uint8Array(0)),
    contentEncoding: '',
  };
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.readKey();
    if (wireType !== WIRE_LENGTH_DELIMITED) reader.skip(wireType);
    else if (fieldNumber === 1) Object.assign(envelope, readTypeMeta(reader.readSubReader()));
    else if (fieldNumber === 2) envelope.raw = reader.readSubReader();
    else if (fieldNumber === 3) envelope.contentEncoding = reader.readString();
    else reader.skip(wireType);
  }
  return envelope;
}

/**
 * Decodes a `application/vnd.kubernetes.protobuf` request body into the JSON object the same
 * request would have carried as `application/json`. Throws ProtobufDecodeError.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): DecodedKubernetesObject {
  if (body.length < KUBERNETES_PROTOBUF_MAGIC.length || KUBERNETES_PROTOBUF_MAGIC.some((b, i) => body[i] !== b)) {
    throw new ProtobufDecodeError('body does not start with the Kubernetes protobuf magic "k8s\\0"');
  }
  const envelope = readUnknown(new WireReader(body, KUBERNETES_PROTOBUF_MAGIC.length));
  const { apiVersion, kind } = envelope;
  if (apiVersion === '' || kind === '') {
    throw new ProtobufDecodeError('protobuf envelope has no apiVersion or kind');
  }
  if (envelope.contentEncoding !== '') {
    throw new ProtobufDecodeError(`unsupported protobuf contentEncoding "${envelope.contentEncoding}"`, 'unsupported');
  }
  const message = kindMessage(apiVersion, kind);
  if (message === undefined) {
    throw new ProtobufDecodeError(`cannot decode ${kind} in ${apiVersion} from protobuf`, 'unsupported');
  }
  const { value, unknown } = collectingUnknownFields(() => decodeMessage(envelope.raw, message) as Record<string, unknown>);
  return { apiVersion, kind, object: { apiVersion, kind, ...value }, unknownFields: unknown };
}
