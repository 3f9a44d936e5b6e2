// The API server's certificates and the kubeconfigs it hands to clients and control-plane components.
export {
  CertificateAuthority,
  type CertificateSubject,
  type IssueCertificateOptions,
  type IssuedCertificate,
  type MintClientCertificateOptions,
} from './certificate-authority.js';
export {
  ensurePki,
  loadCertificateAuthority,
  pkiFiles,
  KUBELET_CLIENT_USER,
  SYSTEM_MASTERS,
  type EnsurePkiOptions,
  type Pki,
  type PkiFiles,
} from './ensure-pki.js';
export { writeFileAtomic } from './private-files.js';
export { writeComponentKubeconfigs, type ComponentKubeconfigs, type WriteComponentKubeconfigsOptions } from './write-kubeconfigs.js';
