import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes, type webcrypto } from 'node:crypto';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

const EC_P256: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const DAY_MS = 86_400_000;

/**
 * The kubelet's serving certificate: as upstream's kubelet without --tls-cert-file, a self-signed one for its host
 * names and addresses, kept in `<dir>/kubelet.crt` and `kubelet.key` and reused while it covers them.
 */
export async function ensureServingCert(dir: string, hosts: readonly string[]): Promise<{ certPem: string; keyPem: string }> {
  const certFile = join(dir, 'kubelet.crt');
  const keyFile = join(dir, 'kubelet.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const certPem = readFileSync(certFile, 'utf8');
    const cert = new x509.X509Certificate(certPem);
    const sans = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items.map((n) => n.value) ?? [];
    if (cert.notAfter.getTime() > Date.now() + 30 * DAY_MS && hosts.every((h) => sans.includes(h))) return { certPem, keyPem: readFileSync(keyFile, 'utf8') };
  }
  const crypto = globalThis.crypto;
  const keys = await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
      name: `CN=${hosts[0] ?? 'kubelet'}@${Math.floor(now / 1000)}`,
      notBefore: new Date(now - 5 * 60_000),
      notAfter: new Date(now + 365 * DAY_MS),
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(hosts.map((h) => ({ type: /^[\d.]+$|:/.test(h) ? ('ip' as const) : ('dns' as const), value: h }))),
      ],
    },
    crypto,
  );
  const certPem = cert.toString('pem');
  const keyPem = x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, keyPem, { mode: 0o600 });
  writeFileSync(certFile, certPem, { mode: 0o644 });
  return { certPem, keyPem };
}
