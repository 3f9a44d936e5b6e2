import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadClientConfig } from './client-config.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>, namespace?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', ...(namespace ? { namespace } : {}) } }],
    'current-context': 'ctx',
  });
}

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-client-config-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('inline data fields are decoded; the namespace defaults to "default"', () => {
  withDir((dir) => {
    const path = join(dir, 'config');
    writeFileSync(path, kubeconfig({ 'certificate-authority-data': b64('CA PEM'), 'tls-server-name': 'api.internal' }, { 'client-certificate-data': b64('CERT PEM'), 'client-key-data': b64('KEY PEM'), token: 'abc' }));
    const config = loadClientConfig(path);
    assert.deepEqual(config, {
      server: 'https://127.0.0.1:6443',
      ca: 'CA PEM',
      cert: 'CERT PEM',
      key: 'KEY PEM',
      token: 'abc',
      tlsServerName: 'api.internal',
      insecureSkipTLSVerify: false,
      namespace: 'default',
    });
  });
});

test('file fields are read, relative paths against the kubeconfig\'s directory; data wins over a file', () => {
  withDir((dir) => {
    mkdirSync(join(dir, 'kube', 'pki'), { recursive: true });
    writeFileSync(join(dir, 'kube', 'pki', 'ca.crt'), 'CA FROM FILE');
    writeFileSync(join(dir, 'kube', 'pki', 'client.crt'), 'CERT FROM FILE');
    writeFileSync(join(dir, 'absolute.key'), 'KEY FROM FILE');
    writeFileSync(join(dir, 'kube', 'token'), '  tok-from-file\n');
    const path = join(dir, 'kube', 'config');
    writeFileSync(
      path,
      kubeconfig(
        { 'certificate-authority': 'pki/ca.crt', 'insecure-skip-tls-verify': true },
        { 'client-certificate': './pki/client.crt', 'client-key': join(dir, 'absolute.key'), tokenFile: 'token' },
        'team-a',
      ),
    );
    // Resolved against the file's directory, not the process's.
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const config = loadClientConfig('kube/config');
      assert.equal(config.ca, 'CA FROM FILE');
      assert.equal(config.cert, 'CERT FROM FILE');
      assert.equal(config.key, 'KEY FROM FILE');
      assert.equal(config.token, 'tok-from-file', 'the token file is read and trimmed');
      assert.equal(config.insecureSkipTLSVerify, true);
      assert.equal(config.namespace, 'team-a');
      assert.equal(config.tlsServerName, undefined);
    } finally {
      process.chdir(cwd);
    }

    writeFileSync(path, kubeconfig({ 'certificate-authority': 'pki/ca.crt', 'certificate-authority-data': b64('CA FROM DATA') }, { 'client-certificate': 'missing.crt', 'client-certificate-data': b64('CERT FROM DATA') }));
    const config = loadClientConfig(path);
    assert.equal(config.ca, 'CA FROM DATA');
    assert.equal(config.cert, 'CERT FROM DATA', 'a file named next to data is not read');
    assert.equal(config.key, undefined);
    assert.equal(config.token, undefined);
  });
});

test('tokenFile: read when token is absent or empty, and preferred over token as client-go does', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'token'), 'from-file\n');
    const path = join(dir, 'config');
    writeFileSync(path, kubeconfig({}, { token: '', tokenFile: 'token' }));
    assert.equal(loadClientConfig(path).token, 'from-file');
    writeFileSync(path, kubeconfig({}, { token: 'inline', tokenFile: 'token' }));
    assert.equal(loadClientConfig(path).token, 'from-file');
    writeFileSync(path, kubeconfig({}, { token: 'inline' }));
    assert.equal(loadClientConfig(path).token, 'inline');
  });
});

test('a missing file is an error, and so is bad base64', () => {
  withDir((dir) => {
    const path = join(dir, 'config');
    writeFileSync(path, kubeconfig({ 'certificate-authority': 'nope.crt' }, {}));
    assert.throws(() => loadClientConfig(path), /ENOENT/);
    writeFileSync(path, kubeconfig({ 'certificate-authority-data': 'not base64!' }, {}));
    assert.throws(() => loadClientConfig(path), /certificate-authority-data is not valid base64/);
    writeFileSync(path, kubeconfig({}, { tokenFile: 'no-token' }));
    assert.throws(() => loadClientConfig(path), /ENOENT/);
  });
});
