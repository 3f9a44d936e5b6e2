// kubectl 1.32 and 1.33 send protobuf bodies from `kubectl create <generator>` and the auth commands.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { credentialsFromKubeconfig, HttpsClient } from '../support/https-client.js';
import { envelope, objectMeta, WireWriter } from '../../src/api/protobuf/test-wire-writer.js';

describe('protobuf request bodies', { skip: kubectlSkipReason('1.33') }, () => {
  let server: SkiffProcess;
  before(async () => {
    server = await startApiserver();
  });
  after(() => server?.stop());

  for (const version of ['1.32', '1.33']) {
    test(`kubectl ${version} create generators, auth can-i and auth whoami`, async () => {
      const k = kubectl(version, server.kubeconfig);
      const ns = `pb-${version.replace('.', '-')}`;
      try {
        const created = [
          ['create', 'namespace', ns],
          ['create', 'configmap', 'cfg', '--from-literal=a=1', '-n', ns],
          ['create', 'secret', 'generic', 's1', '--from-literal=p=q', '-n', ns],
          ['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80', '-n', ns],
          ['create', 'service', 'clusterip', 'websvc', '--tcp=80:8080', '-n', ns],
          ['create', 'serviceaccount', 'robot', '-n', ns],
          ['create', 'job', 'j1', '--image=busybox', '-n', ns, '--', 'echo', 'hi'],
          ['create', 'cronjob', 'c1', '--image=busybox', '--schedule=*/5 * * * *', '-n', ns, '--', 'echo', 'hi'],
          ['create', 'role', 'r1', '--verb=get', '--resource=pods', '-n', ns],
          ['create', 'rolebinding', 'rb1', '--role=r1', '--user=alice', '-n', ns],
        ];
        for (const args of created) assert.match(await k.ok(args), /created/);
        const secret = JSON.parse(await k.ok(['get', 'secret', 's1', '-n', ns, '-o', 'json'])) as { data: Record<string, string>; type: string };
        assert.deepEqual(secret.data, { p: Buffer.from('q').toString('base64') });
        assert.equal(secret.type, 'Opaque');
        const deploy = JSON.parse(await k.ok(['get', 'deploy', 'web', '-n', ns, '-o', 'json'])) as {
          spec: { replicas: number; selector: unknown; template: { spec: { containers: { image: string; ports: unknown[] }[] } } };
        };
        assert.equal(deploy.spec.replicas, 2);
        assert.deepEqual(deploy.spec.selector, { matchLabels: { app: 'web' } });
        assert.deepEqual(deploy.spec.template.spec.containers[0]!.ports, [{ containerPort: 80, protocol: 'TCP' }]);
        assert.equal((await k.ok(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
        assert.match(await k.ok(['auth', 'whoami']), /Username\s+admin/);
      } finally {
        k.cleanup();
      }
    });
  }
});

describe('protobuf fields our tables do not know', () => {
  let server: SkiffProcess;
  let api: HttpsClient;
  before(async () => {
    server = await startApiserver();
    api = new HttpsClient(credentialsFromKubeconfig(server.kubeconfig));
  });
  after(() => server?.stop());

  const namespace = (name: string) => {
    const w = new WireWriter();
    w.message(1, (m) => objectMeta(m.string(99, 'from the future'), { name }));
    return Buffer.from(envelope('v1', 'Namespace', w.finish()));
  };

  test('are rejected under fieldValidation=Strict, reported under Warn and dropped under Ignore', async () => {
    const strict = await api.request('POST', '/api/v1/namespaces?fieldValidation=Strict', { body: namespace('pb-strict'), contentType: 'application/vnd.kubernetes.protobuf' });
    assert.equal(strict.status, 400, strict.body);
    assert.match(strict.body, /strict decoding error: unknown field \\"ObjectMeta\.99\\"/);
    const warn = await api.request('POST', '/api/v1/namespaces?fieldValidation=Warn', { body: namespace('pb-warn'), contentType: 'application/vnd.kubernetes.protobuf' });
    assert.equal(warn.status, 201, warn.body);
    assert.match(String(warn.headers.warning), /unknown field \\"ObjectMeta\.99\\"/);
    const ignore = await api.request('POST', '/api/v1/namespaces?fieldValidation=Ignore', { body: namespace('pb-ignore'), contentType: 'application/vnd.kubernetes.protobuf' });
    assert.equal(ignore.status, 201, ignore.body);
    assert.equal(ignore.headers.warning, undefined);
  });
});
