// The API server: HTTPS with authentication, discovery, OpenAPI, the REST verbs of every served kind over a watch
// cache per resource, certificates and the kubeconfigs it writes for clients and components.
export {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS,
  BearerTokenAuthenticator,
  InvalidCredentialsError,
  TokenFileAuthenticator,
  UnionAuthenticator,
  X509Authenticator,
  withAuthenticatedGroup,
  type AuthenticatableRequest,
  type Authenticator,
  type TokenAuthenticator,
  type UserInfo,
  type X509AuthenticatorOptions,
} from './authn/index.js';
export {
  CertificateAuthority,
  ensurePki,
  loadCertificateAuthority,
  pkiFiles,
  writeComponentKubeconfigs,
  writeFileAtomic,
  KUBELET_CLIENT_USER,
  SYSTEM_MASTERS,
  type ComponentKubeconfigs,
  type EnsurePkiOptions,
  type IssuedCertificate,
  type MintClientCertificateOptions,
  type Pki,
  type PkiFiles,
  type WriteComponentKubeconfigsOptions,
} from './pki/index.js';
export { ApiServer, type ApiServerOptions } from './api-server.js';
export { SKIFF_GIT_VERSION } from './version-info.js';
export { alwaysAllow, parseAuthorizationModes, SIMULATED_NODES_GROUP, type Attributes, type AuthorizationMode, type Authorizer, type Decision } from './authz/index.js';
export type { InProcessRequest, InProcessResponse } from './http/in-process.js';
export { buildTrace, parseTraceName, recordTime, TRACE_GROUP, TRACE_VERSION, type Trace, type TraceRecord, type TraceRequestRecord, type TraceSubject, type TraceWatchRecord } from './trace/build-trace.js';
export { AuditPolicyError, parseAuditPolicy, responseComplete, type AuditEvent, type AuditPolicy, type AuditRequest, type WatchDelivery } from './audit/index.js';
export { enabledAdmissionPlugins, KUBE_API_ACCESS_PREFIX, ROOT_CA_CONFIG_MAP, SERVICE_ACCOUNT_MOUNT_PATH } from './admission/index.js';
