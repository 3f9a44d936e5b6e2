import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeKubeconfigData, parseKubeconfig } from '../../api/index.js';
import { ensurePki } from './ensure-pki.js';
import { writeComponentKubeconfigs } from './write-kubeconfigs.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-kubeconfigs-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('writeComponentKubeconfigs', () => {
  it('writes private kubeconfigs with freshly minted client certificates', async () => {
    const dataDir = join(root, 'data');
    const pki = await ensurePki({ dataDir, hosts: [] });
    const paths = await writeComponentKubeconfigs({ dataDir, pki, server: 'https://127.0.0.1:6443' });
    assert.equal(paths.admin, join(dataDir, 'kubeconfig.yaml'));
    assert.equal(paths.controllerManager, join(dataDir, 'kubeconfigs', 'controller-manager.yaml'));
    assert.equal(paths.scheduler, join(dataDir, 'kubeconfigs', 'scheduler.yaml'));
    assert.equal(statSync(join(dataDir, 'kubeconfigs')).mode & 0o777, 0o700);
    const caKey = new X509Certificate(pki.caCertPem).publicKey;
    const expected = [
      [paths.admin, 'O=system:masters\nCN=admin'],
      [paths.controllerManager, 'CN=system:kube-controller-manager'],
      [paths.scheduler, 'CN=system:kube-scheduler'],
    ] as const;
    for (const [path, subject] of expected) {
      assert.equal(statSync(path).mode & 0o777, 0o600, path);
      const current = parseKubeconfig(readFileSync(path, 'utf8'));
      assert.equal(current.cluster.server, 'https://127.0.0.1:6443');
      assert.equal(decodeKubeconfigData(current.cluster['certificate-authority-data'] ?? ''), pki.caCertPem);
      const cert = new X509Certificate(decodeKubeconfigData(current.user['client-certificate-data'] ?? ''));
      assert.equal(cert.subject, subject);
      assert.ok(cert.verify(caKey));
      assert.ok(decodeKubeconfigData(current.user['client-key-data'] ?? '').includes('PRIVATE KEY'));
    }
  });

  it('rewrites the kubeconfigs on the next start with the new server address', async () => {
    const dataDir = join(root, 'restart');
    const pki = await ensurePki({ dataDir, hosts: [] });
    await writeComponentKubeconfigs({ dataDir, pki, server: 'https://127.0.0.1:40001' });
    const paths = await writeComponentKubeconfigs({ dataDir, pki, server: 'https://127.0.0.1:40002' });
    assert.equal(parseKubeconfig(readFileSync(paths.scheduler, 'utf8')).cluster.server, 'https://127.0.0.1:40002');
  });

  it('writes only the admin kubeconfig, or only the components\' ones, when asked', async () => {
    const dataDir = join(root, 'split');
    const pki = await ensurePki({ dataDir, hosts: [] });
    const paths = await writeComponentKubeconfigs({ dataDir, pki, server: 'https://127.0.0.1:40003', only: 'components' });
    assert.ok(!existsSync(paths.admin));
    assert.ok(existsSync(paths.scheduler) && existsSync(paths.controllerManager));
    await writeComponentKubeconfigs({ dataDir, pki, server: 'https://127.0.0.1:40003', only: 'admin' });
    assert.equal(parseKubeconfig(readFileSync(paths.admin, 'utf8')).cluster.server, 'https://127.0.0.1:40003');
  });
});
