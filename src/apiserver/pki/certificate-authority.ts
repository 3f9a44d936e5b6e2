import { X509Certificate as NodeX509Certificate, randomBytes, type webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { type Clock, realClock } from '../../lib/index.js';
import { KeyPair } from './key-pair.js';

const DAY_MS = 86_400_000;
/** Certificates start a little in the past so that peers with a slow clock accept them at once. */
const BACKDATE_MS = 5 * 60_000;
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DEFAULT_CLIENT_DAYS = 365;

export interface CertificateSubject {
  commonName: string;
  organizations?: readonly string[];
}

export interface IssueCertificateOptions {
  subject: CertificateSubject;
  usage: 'serverAuth' | 'clientAuth';
  /** Subject alternative names: IP addresses become IP SANs, everything else DNS SANs. */
  sans?: readonly string[];
  days: number;
  /** The key to certify; a new one is generated when absent. */
  keyPair?: KeyPair;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface MintClientCertificateOptions {
  user: string;
  groups?: readonly string[];
  days?: number;
}

export interface CreateCertificateAuthorityOptions {
  commonName?: string;
  days?: number;
  clock?: Clock;
}

export interface LoadCertificateAuthorityOptions {
  certPem: string;
  keyPem: string;
  clock?: Clock;
}

/** A self-signed ECDSA P-256 certificate authority that issues serving and client certificates. */
export class CertificateAuthority {
  private readonly nodeCert: NodeX509Certificate;

  private constructor(
    private readonly cert: x509.X509Certificate,
    private readonly keyPair: KeyPair,
    private readonly clock: Clock,
  ) {
    this.nodeCert = new NodeX509Certificate(cert.toString('pem'));
  }

  static async create(options: CreateCertificateAuthorityOptions = {}): Promise<CertificateAuthority> {
    const clock = options.clock ?? realClock;
    const keyPair = await KeyPair.generate();
    const crypto = globalThis.crypto;
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: randomSerialNumber(),
        name: subjectName({ commonName: options.commonName ?? 'skiff-ca' }),
        ...validity(clock, options.days ?? 3650),
        keys: keyPair.keys,
        signingAlgorithm: SIGNING,
        extensions: [
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(keyPair.keys.publicKey, false, crypto),
        ],
      },
      crypto,
    );
    return new CertificateAuthority(cert, keyPair, clock);
  }

  static async fromPem(options: LoadCertificateAuthorityOptions): Promise<CertificateAuthority> {
    const cert = new x509.X509Certificate(options.certPem);
    const keyPair = await KeyPair.fromPem(options.keyPem);
    const certSpki = Buffer.from(cert.publicKey.rawData);
    const keySpki = Buffer.from(await globalThis.crypto.subtle.exportKey('spki', keyPair.keys.publicKey));
    if (!certSpki.equals(keySpki)) throw new Error('the CA key does not match the CA certificate');
    return new CertificateAuthority(cert, keyPair, options.clock ?? realClock);
  }

  get certPem(): string {
    return this.cert.toString('pem');
  }

  get keyPem(): string {
    return this.keyPair.keyPem;
  }

  /** SHA-256 fingerprint of the CA certificate, as node:crypto prints it. */
  get fingerprint256(): string {
    return this.nodeCert.fingerprint256;
  }

  /** Whether `certPem` carries this CA's signature. */
  issued(certPem: string): boolean {
    try {
      const cert = new NodeX509Certificate(certPem);
      return cert.checkIssued(this.nodeCert) && cert.verify(this.nodeCert.publicKey);
    } catch {
      return false;
    }
  }

  async issue(options: IssueCertificateOptions): Promise<IssuedCertificate> {
    const crypto = globalThis.crypto;
    const keyPair = options.keyPair ?? (await KeyPair.generate());
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage[options.usage]], false),
      await x509.AuthorityKeyIdentifierExtension.create(this.cert, false, crypto),
    ];
    const sans = subjectAltNames(options.sans ?? []);
    if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans, false));
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerialNumber(),
        subject: subjectName(options.subject),
        issuer: this.cert.subjectName,
        ...validity(this.clock, options.days),
        publicKey: keyPair.keys.publicKey,
        signingKey: this.keyPair.keys.privateKey,
        signingAlgorithm: SIGNING,
        extensions,
      },
      crypto,
    );
    return { certPem: cert.toString('pem'), keyPem: keyPair.keyPem };
  }

  /** A client certificate as the API server's x509 authenticator reads it: CN = user, one O per group. */
  mintClientCertificate(options: MintClientCertificateOptions): Promise<IssuedCertificate> {
    if (options.user === '') throw new Error('a client certificate needs a user name');
    return this.issue({
      subject: { commonName: options.user, organizations: options.groups ?? [] },
      usage: 'clientAuth',
      days: options.days ?? DEFAULT_CLIENT_DAYS,
    });
  }
}

function subjectName(subject: CertificateSubject): x509.JsonName {
  return [...(subject.organizations ?? []).map((o) => ({ O: [o] })), { CN: [subject.commonName] }];
}

function validity(clock: Clock, days: number): { notBefore: Date; notAfter: Date } {
  const now = clock.now();
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

/** 128 random bits, positive and without a leading zero byte as DER INTEGER encoding requires. */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function subjectAltNames(hosts: readonly string[]): x509.JsonGeneralName[] {
  const seen = new Set<string>();
  const names: x509.JsonGeneralName[] = [];
  for (const host of hosts) {
    const name = normalizeHost(host);
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    names.push({ type: isIP(name) === 0 ? 'dns' : 'ip', value: name });
  }
  return names;
}

/** Lower-cases DNS names and strips the brackets of an IPv6 literal such as `[::1]`. */
export function normalizeHost(host: string): string {
  const trimmed = host.trim();
  const unbracketed = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return isIP(unbracketed) === 0 ? unbracketed.toLowerCase() : unbracketed;
}
