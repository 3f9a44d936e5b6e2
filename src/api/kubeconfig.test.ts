import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { buildKubeconfig, decodeKubeconfigData, kubeconfigToYaml, parseKubeconfig } from './kubeconfig.js';

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBfakeCA\n-----END CERTIFICATE-----\n';
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBfakeClient\n-----END CERTIFICATE-----\n';
const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIGfakeKey\n-----END PRIVATE KEY-----\n';

describe('buildKubeconfig', () => {
  it('builds a clientcmd v1 Config with base64 data fields', () => {
    const config = buildKubeconfig({ server: 'https://127.0.0.1:6443', caPem: CA_PEM, clientCertPem: CERT_PEM, clientKeyPem: KEY_PEM, user: 'admin' });
    assert.deepEqual(config, {
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [{ name: 'skiff', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(CA_PEM).toString('base64') } }],
      users: [
        {
          name: 'admin',
          user: { 'client-certificate-data': Buffer.from(CERT_PEM).toString('base64'), 'client-key-data': Buffer.from(KEY_PEM).toString('base64') },
        },
      ],
      contexts: [{ name: 'skiff', context: { cluster: 'skiff', user: 'admin' } }],
      'current-context': 'skiff',
    });
  });

  it('writes YAML that keeps long base64 on one line', () => {
    const caPem = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(400)}\n-----END CERTIFICATE-----\n`;
    const text = kubeconfigToYaml(buildKubeconfig({ server: 'https://h:1', caPem, token: 't', user: 'u' }));
    const line = text.split('\n').find((l) => l.includes('certificate-authority-data'));
    assert.equal(line?.trim(), `certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`);
    assert.equal((parse(text) as { kind: string }).kind, 'Config');
  });
});

describe('parseKubeconfig', () => {
  it('round-trips the current context', () => {
    const config = buildKubeconfig({
      server: 'https://[::1]:6443',
      caPem: CA_PEM,
      clientCertPem: CERT_PEM,
      clientKeyPem: KEY_PEM,
      token: 'abc',
      user: 'system:kube-scheduler',
      clusterName: 'c1',
      contextName: 'ctx',
      namespace: 'kube-system',
    });
    const current = parseKubeconfig(kubeconfigToYaml(config));
    assert.equal(current.contextName, 'ctx');
    assert.equal(current.clusterName, 'c1');
    assert.equal(current.userName, 'system:kube-scheduler');
    assert.equal(current.namespace, 'kube-system');
    assert.equal(current.cluster.server, 'https://[::1]:6443');
    assert.equal(decodeKubeconfigData(current.cluster['certificate-authority-data'] ?? ''), CA_PEM);
    assert.equal(decodeKubeconfigData(current.user['client-certificate-data'] ?? ''), CERT_PEM);
    assert.equal(decodeKubeconfigData(current.user['client-key-data'] ?? ''), KEY_PEM);
    assert.equal(current.user.token, 'abc');
  });

  it('returns file paths as written', () => {
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'current-context: dev',
      'contexts: [{name: dev, context: {cluster: k, user: me}}, {name: other, context: {cluster: x, user: y}}]',
      'clusters: [{name: k, cluster: {server: "https://k:443", certificate-authority: ca.crt, insecure-skip-tls-verify: false}}]',
      'users: [{name: me, user: {client-certificate: certs/me.crt, client-key: /abs/me.key, tokenFile: tok}}]',
    ].join('\n');
    const current = parseKubeconfig(text);
    assert.equal(current.cluster['certificate-authority'], 'ca.crt');
    assert.equal(current.user['client-certificate'], 'certs/me.crt');
    assert.equal(current.user['client-key'], '/abs/me.key');
    assert.equal(current.user.tokenFile, 'tok');
    assert.equal(current.namespace, undefined);
  });

  it('explains what is missing', () => {
    assert.throws(() => parseKubeconfig('kind: Config\n'), /current-context is not set/);
    assert.throws(() => parseKubeconfig('current-context: a\ncontexts: []\n'), /context "a" not found/);
    assert.throws(
      () => parseKubeconfig('current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: s}}]\n'),
      /user "u" not found/,
    );
    assert.throws(() => parseKubeconfig('- a\n'), /not a YAML mapping/);
    assert.throws(
      () => parseKubeconfig('current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\nclusters: [{name: c, cluster: {server: 5}}]\n'),
      /server must be a string/,
    );
  });

  it('rejects data fields that are not base64', () => {
    assert.throws(() => decodeKubeconfigData('not base64!', 'client-key-data'), /client-key-data is not valid base64/);
    assert.equal(decodeKubeconfigData('aGk=\n'), 'hi');
  });
});
