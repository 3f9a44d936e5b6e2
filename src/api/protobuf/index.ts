export {
  decodeKubernetesProtobuf,
  KUBERNETES_PROTOBUF_CONTENT_TYPE,
  KUBERNETES_PROTOBUF_MAGIC,
  type DecodedKubernetesObject,
} from './decode-kubernetes-protobuf.js';
export { decodableKinds } from './message-registry.js';
export { ProtobufDecodeError, type ProtobufDecodeErrorReason } from './protobuf-decode-error.js';
