import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CommanderError } from 'commander';
import { decodeKubeconfigData, parseKubeconfig } from '../api/index.js';
import { ensurePki, writeComponentKubeconfigs, type Pki } from '../apiserver/index.js';
import { kubeconfigCommand } from './kubeconfig-command.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-kubeconfig-cmd-'));
const dataDir = join(root, 'data');
let pki: Pki;

before(async () => {
  pki = await ensurePki({ dataDir, hosts: [] });
  await writeComponentKubeconfigs({ dataDir, pki, server: 'https://127.0.0.1:7443' });
});
after(() => rmSync(root, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const command = kubeconfigCommand({ write: (text) => (out += text) })
    .exitOverride()
    .configureOutput({ writeErr: (text) => (err += text), writeOut: (text) => (out += text) });
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
  }
  return { out, err };
}

function clientCertificate(text: string): X509Certificate {
  return new X509Certificate(decodeKubeconfigData(parseKubeconfig(text).user['client-certificate-data'] ?? ''));
}

describe('skiff kubeconfig', () => {
  it('prints a kubeconfig for the user and groups, pointing at the recorded server', async () => {
    const { out, err } = await run(['--data-dir', dataDir, '--user', 'jane', '--group', 'devs', '--group', 'ops']);
    assert.equal(err, '');
    const current = parseKubeconfig(out);
    assert.equal(current.cluster.server, 'https://127.0.0.1:7443');
    assert.equal(current.userName, 'jane');
    assert.equal(decodeKubeconfigData(current.cluster['certificate-authority-data'] ?? ''), pki.caCertPem);
    const cert = clientCertificate(out);
    assert.equal(cert.subject, 'O=devs\nO=ops\nCN=jane');
    assert.ok(cert.verify(new X509Certificate(pki.caCertPem).publicKey));
  });

  it('writes a 0600 file with -o and honours --server and --days', async () => {
    const file = join(root, 'jane.yaml');
    const { out } = await run(['--data-dir', dataDir, '--user', 'jane', '--server', 'https://skiff.test:6443', '--days', '7', '-o', file]);
    assert.equal(out, '');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, 'utf8');
    assert.equal(parseKubeconfig(text).cluster.server, 'https://skiff.test:6443');
    const cert = clientCertificate(text);
    assert.equal(Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000), 7);
  });

  it('fails clearly without a CA', async () => {
    const empty = join(root, 'empty');
    const { out, err } = await run(['--data-dir', empty, '--user', 'jane']);
    assert.equal(out, '');
    assert.equal(err, `no CA in ${join(empty, 'pki')}: start the API server with --data-dir ${empty} first\n`);
  });

  it('fails clearly without a server', async () => {
    const bare = join(root, 'bare');
    await ensurePki({ dataDir: bare, hosts: [] });
    const { err } = await run(['--data-dir', bare, '--user', 'jane']);
    assert.match(err, /no --server given and no .*kubeconfig\.yaml to take it from/);
  });

  it('rejects a bad --days', async () => {
    const { err } = await run(['--data-dir', dataDir, '--user', 'jane', '--days', '0']);
    assert.match(err, /expected a positive whole number of days/);
  });
});
