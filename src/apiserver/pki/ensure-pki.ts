import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Clock, realClock } from '../../lib/index.js';
import {
  CertificateAuthority,
  normalizeHost,
  type IssueCertificateOptions,
  type IssuedCertificate,
  type MintClientCertificateOptions,
} from './certificate-authority.js';
import { KeyPair } from './key-pair.js';
import { PUBLIC_FILE_MODE, ensurePrivateDir, readFileIfExists, writeFileAtomic } from './private-files.js';

const DAY_MS = 86_400_000;
const SERVING_DAYS = 365;
const RENEW_BEFORE_DAYS = 90;

export const KUBELET_CLIENT_USER = 'kube-apiserver-kubelet-client';
export const SYSTEM_MASTERS = 'system:masters';

/** Where the PKI lives inside a data directory. */
export interface PkiFiles {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  kubeletClientCert: string;
  kubeletClientKey: string;
  /** The key that signs service account tokens, and its public half (upstream's sa.key and sa.pub). */
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

export function pkiFiles(dataDir: string): PkiFiles {
  const dir = join(dataDir, 'pki');
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    kubeletClientCert: join(dir, 'apiserver-kubelet-client.crt'),
    kubeletClientKey: join(dir, 'apiserver-kubelet-client.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPublicKey: join(dir, 'sa.pub'),
  };
}

export interface Pki {
  files: PkiFiles;
  ca: CertificateAuthority;
  caCertPem: string;
  caKeyPem: string;
  servingCertPem: string;
  servingKeyPem: string;
  kubeletClientCertPem: string;
  kubeletClientKeyPem: string;
  serviceAccountKeyPem: string;
  mintClientCertificate(options: MintClientCertificateOptions): Promise<IssuedCertificate>;
}

export interface EnsurePkiOptions {
  dataDir: string;
  /** Extra names or IP addresses the serving certificate must cover. */
  hosts: readonly string[];
  clock?: Clock;
}

/**
 * Creates the CA, the API server's serving certificate and its kubelet client certificate under
 * DIR/pki on first start; later starts reuse the CA and every key, and re-issue a certificate only
 * when it no longer fits (other CA, other key, missing SANs, or expiring within 90 days).
 */
export async function ensurePki(options: EnsurePkiOptions): Promise<Pki> {
  const clock = options.clock ?? realClock;
  const files = pkiFiles(options.dataDir);
  await ensurePrivateDir(files.dir);
  const ca = (await loadCertificateAuthority({ dataDir: options.dataDir, clock })) ?? (await createCa(files, clock));
  const servingHosts = ['127.0.0.1', '::1', 'localhost', hostname(), ...options.hosts].map(normalizeHost).filter((h) => h !== '');
  const serving = await ensureLeaf({
    ca,
    clock,
    certFile: files.servingCert,
    keyFile: files.servingKey,
    issue: { subject: { commonName: 'kube-apiserver' }, usage: 'serverAuth', sans: servingHosts, days: SERVING_DAYS },
    fits: (cert) => servingHosts.every((host) => covers(cert, host)),
  });
  const kubeletClient = await ensureLeaf({
    ca,
    clock,
    certFile: files.kubeletClientCert,
    keyFile: files.kubeletClientKey,
    issue: {
      subject: { commonName: KUBELET_CLIENT_USER, organizations: [SYSTEM_MASTERS] },
      usage: 'clientAuth',
      days: SERVING_DAYS,
    },
    fits: () => true,
  });
  const serviceAccountKeyPem = await ensureServiceAccountKey(files);
  return {
    files,
    ca,
    caCertPem: ca.certPem,
    caKeyPem: ca.keyPem,
    servingCertPem: serving.certPem,
    servingKeyPem: serving.keyPem,
    kubeletClientCertPem: kubeletClient.certPem,
    kubeletClientKeyPem: kubeletClient.keyPem,
    serviceAccountKeyPem,
    mintClientCertificate: (mint) => ca.mintClientCertificate(mint),
  };
}

export interface LoadCertificateAuthorityOptions {
  dataDir: string;
  clock?: Clock;
}

/** The CA under DIR/pki, or undefined when there is none yet; throws when only half of it is there. */
export async function loadCertificateAuthority(options: LoadCertificateAuthorityOptions): Promise<CertificateAuthority | undefined> {
  const files = pkiFiles(options.dataDir);
  const certPem = await readFileIfExists(files.caCert);
  const keyPem = await readFileIfExists(files.caKey);
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (certPem === undefined || keyPem === undefined) {
    const missing = certPem === undefined ? files.caCert : files.caKey;
    throw new Error(`incomplete CA in ${files.dir}: ${missing} is missing`);
  }
  return CertificateAuthority.fromPem({ certPem, keyPem, clock: options.clock });
}

async function createCa(files: PkiFiles, clock: Clock): Promise<CertificateAuthority> {
  const ca = await CertificateAuthority.create({ clock });
  await writeFileAtomic(files.caKey, ca.keyPem);
  await writeFileAtomic(files.caCert, ca.certPem, PUBLIC_FILE_MODE);
  return ca;
}

interface EnsureLeafOptions {
  ca: CertificateAuthority;
  clock: Clock;
  certFile: string;
  keyFile: string;
  issue: Omit<IssueCertificateOptions, 'keyPair'>;
  fits: (cert: X509Certificate) => boolean;
}

async function ensureLeaf(options: EnsureLeafOptions): Promise<IssuedCertificate> {
  const existingKeyPem = await readFileIfExists(options.keyFile);
  const keyPair = existingKeyPem === undefined ? await KeyPair.generate() : await KeyPair.fromPem(existingKeyPem);
  if (existingKeyPem === undefined) await writeFileAtomic(options.keyFile, keyPair.keyPem);
  const certPem = await readFileIfExists(options.certFile);
  if (certPem !== undefined && usable(certPem, keyPair, options)) return { certPem, keyPem: keyPair.keyPem };
  const issued = await options.ca.issue({ ...options.issue, keyPair });
  await writeFileAtomic(options.certFile, issued.certPem, PUBLIC_FILE_MODE);
  return issued;
}

function usable(certPem: string, keyPair: KeyPair, options: EnsureLeafOptions): boolean {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return false;
  }
  const renewAt = Date.parse(cert.validTo) - RENEW_BEFORE_DAYS * DAY_MS;
  return (
    options.ca.issued(certPem) &&
    cert.checkPrivateKey(createPrivateKey(keyPair.keyPem)) &&
    options.clock.now() < renewAt &&
    options.fits(cert)
  );
}

function covers(cert: X509Certificate, host: string): boolean {
  if (isIP(host) !== 0) return cert.checkIP(host) !== undefined;
  return cert.checkHost(host, { subject: 'never' }) !== undefined;
}

/** The service account signing key: created once (with its public half beside it for verifiers), then reused. */
async function ensureServiceAccountKey(files: PkiFiles): Promise<string> {
  const existing = await readFileIfExists(files.serviceAccountKey);
  if (existing !== undefined) return existing;
  const key = await KeyPair.generate();
  const publicPem = createPublicKey(key.keyPem).export({ type: 'spki', format: 'pem' }).toString();
  await writeFileAtomic(files.serviceAccountPublicKey, publicPem, PUBLIC_FILE_MODE);
  await writeFileAtomic(files.serviceAccountKey, key.keyPem);
  return key.keyPem;
}
