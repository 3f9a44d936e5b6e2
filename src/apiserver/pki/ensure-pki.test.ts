import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../lib/index.js';
import { ensurePki, loadCertificateAuthority, pkiFiles } from './ensure-pki.js';
import { writeFileAtomic } from './private-files.js';

const DAY_MS = 86_400_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const root = mkdtempSync(join(tmpdir(), 'skiff-pki-'));
let dirCount = 0;
const freshDataDir = (): string => join(root, `data-${dirCount++}`);

after(() => rmSync(root, { recursive: true, force: true }));

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function days(cert: X509Certificate): number {
  return Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / DAY_MS);
}

describe('ensurePki', () => {
  it('creates a CA, a serving certificate and a kubelet client certificate on first start', async () => {
    const dataDir = freshDataDir();
    const pki = await ensurePki({ dataDir, hosts: ['10.1.2.3', 'Skiff.Example.com', '[fd00::5]'] });
    const ca = new X509Certificate(pki.caCertPem);
    assert.equal(ca.subject, 'CN=skiff-ca');
    assert.equal(ca.ca, true);
    assert.ok(ca.verify(ca.publicKey));
    assert.equal(days(ca), 3650);

    const serving = new X509Certificate(pki.servingCertPem);
    assert.ok(serving.verify(ca.publicKey));
    assert.ok(serving.checkIssued(ca));
    assert.equal(serving.ca, false);
    assert.deepEqual(serving.keyUsage, [SERVER_AUTH]);
    assert.equal(days(serving), 365);
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', 'fd00::5']) assert.equal(serving.checkIP(ip), ip, ip);
    for (const name of ['localhost', hostname(), 'skiff.example.com']) assert.ok(serving.checkHost(name, { subject: 'never' }), name);
    assert.equal(serving.checkIP('10.1.2.4'), undefined);
    assert.match(serving.subjectAltName ?? '', /DNS:skiff\.example\.com/);

    const kubeletClient = new X509Certificate(pki.kubeletClientCertPem);
    assert.ok(kubeletClient.verify(ca.publicKey));
    assert.equal(kubeletClient.subject, 'O=system:masters\nCN=kube-apiserver-kubelet-client');
    assert.deepEqual(kubeletClient.keyUsage, [CLIENT_AUTH]);
  });

  it('writes keys 0600 in a 0700 directory', async () => {
    const dataDir = freshDataDir();
    await ensurePki({ dataDir, hosts: [] });
    const files = pkiFiles(dataDir);
    assert.equal(mode(files.dir), 0o700);
    for (const key of [files.caKey, files.servingKey, files.kubeletClientKey]) assert.equal(mode(key), 0o600, key);
  });

  it('reuses the CA, keys and certificates on restart', async () => {
    const dataDir = freshDataDir();
    const first = await ensurePki({ dataDir, hosts: ['10.0.0.1'] });
    const second = await ensurePki({ dataDir, hosts: ['10.0.0.1'] });
    assert.equal(second.ca.fingerprint256, first.ca.fingerprint256);
    assert.equal(second.caKeyPem, first.caKeyPem);
    assert.equal(second.servingCertPem, first.servingCertPem);
    assert.equal(second.servingKeyPem, first.servingKeyPem);
    assert.equal(second.kubeletClientCertPem, first.kubeletClientCertPem);
  });

  it('re-issues the serving certificate with the same CA and key when a host is not covered', async () => {
    const dataDir = freshDataDir();
    const first = await ensurePki({ dataDir, hosts: [] });
    const second = await ensurePki({ dataDir, hosts: ['192.168.7.7', 'api.skiff.test'] });
    assert.equal(second.ca.fingerprint256, first.ca.fingerprint256);
    assert.equal(second.servingKeyPem, first.servingKeyPem);
    assert.notEqual(second.servingCertPem, first.servingCertPem);
    const serving = new X509Certificate(second.servingCertPem);
    assert.equal(serving.checkIP('192.168.7.7'), '192.168.7.7');
    assert.ok(serving.checkHost('api.skiff.test'));
    assert.ok(serving.verify(new X509Certificate(first.caCertPem).publicKey));
    assert.equal(second.kubeletClientCertPem, first.kubeletClientCertPem);
  });

  it('re-issues certificates that expire within 90 days', async () => {
    const dataDir = freshDataDir();
    const longAgo = new ManualClock(Date.now() - 300 * DAY_MS);
    const first = await ensurePki({ dataDir, hosts: [], clock: longAgo });
    const second = await ensurePki({ dataDir, hosts: [] });
    assert.equal(second.ca.fingerprint256, first.ca.fingerprint256);
    assert.notEqual(second.servingCertPem, first.servingCertPem);
    assert.notEqual(second.kubeletClientCertPem, first.kubeletClientCertPem);
    assert.ok(Date.parse(new X509Certificate(second.servingCertPem).validTo) > Date.now() + 300 * DAY_MS);
  });

  it('re-issues a certificate signed by another CA', async () => {
    const dataDir = freshDataDir();
    const stranger = await ensurePki({ dataDir: freshDataDir(), hosts: [] });
    const first = await ensurePki({ dataDir, hosts: [] });
    await writeFileAtomic(pkiFiles(dataDir).servingCert, stranger.servingCertPem);
    const second = await ensurePki({ dataDir, hosts: [] });
    assert.ok(first.ca.issued(second.servingCertPem));
  });

  it('mints client certificates with CN = user and one O per group', async () => {
    const pki = await ensurePki({ dataDir: freshDataDir(), hosts: [] });
    const { certPem, keyPem } = await pki.mintClientCertificate({ user: 'jane', groups: ['devs', 'system:masters'], days: 30 });
    const cert = new X509Certificate(certPem);
    assert.equal(cert.subject, 'O=devs\nO=system:masters\nCN=jane');
    assert.deepEqual(cert.keyUsage, [CLIENT_AUTH]);
    assert.equal(days(cert), 30);
    assert.ok(cert.verify(new X509Certificate(pki.caCertPem).publicKey));
    assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----/);
  });
});

describe('loadCertificateAuthority', () => {
  it('finds no CA in an empty data directory', async () => {
    assert.equal(await loadCertificateAuthority({ dataDir: freshDataDir() }), undefined);
  });

  it('refuses half a CA', async () => {
    const dataDir = freshDataDir();
    await ensurePki({ dataDir, hosts: [] });
    unlinkSync(pkiFiles(dataDir).caKey);
    await assert.rejects(loadCertificateAuthority({ dataDir }), /ca\.key is missing/);
  });
});
