// Admission and service account tokens against real processes: `skiff apiserver` with its default admission chain and
// `skiff controller-manager` (ServiceAccount and kube-root-ca.crt controllers), driven by kubectl 1.27 and 1.33 and
// by raw HTTPS. Tokens come from `kubectl create token`; an expired one is signed with the server's own key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { JwtSigner, buildClaims } from '../../src/apiserver/serviceaccount/index.js';
import { startControllerManager, type ComponentProcess } from '../support/component-process.js';
import { HttpsClient } from '../support/https-client.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { until } from '../support/until.js';

const VERSIONS = ['1.27', '1.33'] as const;
const skip = VERSIONS.map(kubectlSkipReason).find((r) => r !== undefined);
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

function pod(name: string, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });
}

describe('admission and service account tokens (apiserver + controller-manager)', { skip }, () => {
  let server: SkiffProcess;
  let controllers: ComponentProcess;
  let admin: HttpsClient;
  const asToken = (token: string) => admin.withCredentials({ token });
  const whoAmI = async (token: string) =>
    asToken(token).request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });

  before(async () => {
    server = await startApiserver({ serviceAccountAdmission: true });
    controllers = await startControllerManager(server.dataDir);
    admin = HttpsClient.fromKubeconfig(server.kubeconfig);
    await until('the default ServiceAccount', async () => (await admin.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);
  });
  after(async () => {
    await controllers?.stop();
    await server?.stop();
  });

  for (const version of VERSIONS) {
    describe(`kubectl ${version}`, () => {
      let k: Kubectl;
      const ns = `sa-${version.replace('.', '-')}`;
      before(async () => {
        k = kubectl(version, server.kubeconfig);
        await k.ok(['create', 'namespace', ns]);
      });
      after(() => k.cleanup());

      test('a Pod created before its namespace has a default ServiceAccount is refused, then admitted once it exists', async () => {
        // The ServiceAccount controller creates `default` moments after the namespace; until then admission refuses.
        const created = await until('the Pod to be admitted', async () => {
          const r = await k.run(['create', '-n', ns, '-f', '-'], { input: pod('first') });
          if (r.code !== 0) assert.match(r.stderr, /pods "first" is forbidden: error looking up service account .*\/default: serviceaccount "default" not found/);
          return r.code === 0 ? r.stdout : undefined;
        });
        assert.match(created, /pod\/first created/);
        const p = JSON.parse(await k.ok(['get', 'pod', 'first', '-n', ns, '-o', 'json'])) as Pod;
        assert.equal(p.spec?.serviceAccountName, 'default');
        const volume = p.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
        assert.ok(volume?.projected, JSON.stringify(p.spec?.volumes));
        assert.deepEqual(p.spec?.containers[0]?.volumeMounts, [{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
      });

      test('automountServiceAccountToken: false leaves the token out; an unknown service account is refused', async () => {
        await k.ok(['create', '-n', ns, '-f', '-'], { input: pod('no-token', { automountServiceAccountToken: false }) });
        const p = JSON.parse(await k.ok(['get', 'pod', 'no-token', '-n', ns, '-o', 'json'])) as Pod;
        assert.equal(p.spec?.volumes, undefined);
        assert.equal(p.spec?.containers[0]?.volumeMounts, undefined);
        const r = await k.run(['create', '-n', ns, '-f', '-'], { input: pod('ghost', { serviceAccountName: 'ghost' }) });
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, new RegExp(`pods "ghost" is forbidden: error looking up service account ${ns}/ghost: serviceaccount "ghost" not found`));
      });

      test('kube-root-ca.crt holds the cluster CA in every namespace and comes back when deleted', async () => {
        const ca = readFileSync(join(server.dataDir, 'pki', 'ca.crt'), 'utf8');
        const read = async () => {
          const r = await k.run(['get', 'configmap', 'kube-root-ca.crt', '-n', ns, '-o', 'jsonpath={.data.ca\\.crt}']);
          return r.code === 0 && r.stdout !== '' ? r.stdout : undefined;
        };
        assert.equal(await until('kube-root-ca.crt', read), ca);
        await k.ok(['delete', 'configmap', 'kube-root-ca.crt', '-n', ns]);
        assert.equal(await until('kube-root-ca.crt again', read), ca);
      });

      test('kubectl create token: the token authenticates as the service account; another audience is 401', async () => {
        const token = (await k.ok(['create', 'token', 'default', '-n', ns, '--duration=10m'])).trim();
        const review = await whoAmI(token);
        assert.equal(review.status, 201, review.body);
        const user = review.json().status.userInfo;
        assert.equal(user.username, `system:serviceaccount:${ns}:default`);
        assert.deepEqual(user.groups, ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated']);
        const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number; aud: string[] };
        assert.equal(payload.exp - payload.iat, 600);
        assert.deepEqual(payload.aud, [ISSUER]);

        const tooShort = await k.run(['create', 'token', 'default', '-n', ns, '--duration=1m']);
        assert.notEqual(tooShort.code, 0);
        assert.match(tooShort.stderr, /spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);

        const foreign = (await k.ok(['create', 'token', 'default', '-n', ns, '--audience', 'vault'])).trim();
        assert.equal((await whoAmI(foreign)).status, 401);
        const tokenReview = async (t: string, audiences?: string[]) =>
          (await admin.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: t, audiences } } })).json().status;
        const forVault = await tokenReview(foreign, ['vault']);
        assert.equal(forVault.authenticated, true);
        assert.deepEqual(forVault.audiences, ['vault']);
        assert.notEqual((await tokenReview(foreign)).authenticated, true);
      });

      test('a token bound to a Pod carries the Pod and stops working once the Pod is gone', async () => {
        const name = 'bound';
        await k.ok(['create', '-n', ns, '-f', '-'], { input: pod(name) });
        const token = (await k.ok(['create', 'token', 'default', '-n', ns, '--bound-object-kind', 'Pod', '--bound-object-name', name])).trim();
        const review = await whoAmI(token);
        assert.equal(review.status, 201, review.body);
        const uid = JSON.parse(await k.ok(['get', 'pod', name, '-n', ns, '-o', 'json'])).metadata.uid;
        assert.deepEqual(review.json().status.userInfo.extra['authentication.kubernetes.io/pod-uid'], [uid]);
        await k.ok(['delete', 'pod', name, '-n', ns, '--grace-period=0', '--force']);
        await until('the Pod gone', async () => (await k.run(['get', 'pod', name, '-n', ns])).code !== 0);
        assert.equal((await whoAmI(token)).status, 401);
      });
    });
  }

  test('an expired token and one signed by another key are 401; a fresh one signed alike is accepted', async () => {
    const signer = new JwtSigner(readFileSync(join(server.dataDir, 'pki', 'sa.key'), 'utf8'));
    const sa = (await admin.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).json();
    const subject = { namespace: 'default', serviceAccount: { name: 'default', uid: sa.metadata.uid as string } };
    const mint = (nowMs: number, expirationSeconds: number) =>
      signer.sign(buildClaims(subject, { issuer: ISSUER, audiences: [ISSUER], expirationSeconds, extendExpiration: false, nowMs, id: 'test' }));
    assert.equal((await whoAmI(mint(Date.now(), 600))).status, 201);
    // Ten minutes, issued an hour ago: expired beyond the one-minute leeway.
    assert.equal((await whoAmI(mint(Date.now() - 3_600_000, 600))).status, 401);
    const { generateKeyPairSync } = await import('node:crypto');
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = new JwtSigner(otherKey).sign(buildClaims(subject, { issuer: ISSUER, audiences: [ISSUER], expirationSeconds: 600, extendExpiration: false, nowMs: Date.now(), id: 'x' }));
    assert.equal((await whoAmI(forged)).status, 401);
  });

  test('Priority: a PriorityClass sets priority and preemptionPolicy; unknown classes and stated priorities are refused', async () => {
    const k = kubectl('1.33', server.kubeconfig);
    try {
      assert.match(await k.ok(['get', 'priorityclasses']), /system-cluster-critical\s+2000000000\s+false[\s\S]*system-node-critical\s+2000001000\s+false/);
      await k.ok(['create', 'priorityclass', 'high', '--value=1000', '--preemption-policy=Never', '--description=important']);
      await k.ok(['create', '-f', '-'], { input: pod('important', { priorityClassName: 'high' }) });
      const spec = JSON.parse(await k.ok(['get', 'pod', 'important', '-o', 'json'])).spec;
      assert.equal(spec.priority, 1000);
      assert.equal(spec.preemptionPolicy, 'Never');
      const unknown = await k.run(['create', '-f', '-'], { input: pod('nowhere', { priorityClassName: 'nope' }) });
      assert.match(unknown.stderr, /pods "nowhere" is forbidden: no PriorityClass with name nope was found/);
      const stated = await k.run(['create', '-f', '-'], { input: pod('stated', { priority: 5 }) });
      assert.match(stated.stderr, /the integer value of priority \(5\) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name/);
      const reserved = await k.run(['create', 'priorityclass', 'system-mine', '--value=10']);
      assert.match(reserved.stderr, /priority class names with 'system-' prefix are reserved for system use only/);
      await k.ok(['create', 'priorityclass', 'fallback', '--value=7', '--global-default']);
      const second = await k.run(['create', 'priorityclass', 'fallback-2', '--value=8', '--global-default']);
      assert.match(second.stderr, /PriorityClass fallback is already marked as default\. Only one default can exist/);
      await k.ok(['create', '-f', '-'], { input: pod('defaulted') });
      const defaulted = JSON.parse(await k.ok(['get', 'pod', 'defaulted', '-o', 'json'])).spec;
      assert.equal(defaulted.priorityClassName, 'fallback');
      assert.equal(defaulted.priority, 7);
      await k.ok(['delete', 'priorityclass', 'fallback']);
    } finally {
      k.cleanup();
    }
  });

  test('NamespaceLifecycle: nothing new is created in a Terminating namespace', async () => {
    const k = kubectl('1.33', server.kubeconfig);
    const ns = 'going-away';
    try {
      await k.ok(['create', 'namespace', ns]);
      // A finalizer nobody removes keeps the namespace Terminating.
      await k.ok(['create', '-n', ns, '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } }),
      });
      await k.ok(['delete', 'namespace', ns, '--wait=false']);
      const r = await k.run(['create', 'configmap', 'late', '-n', ns]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`configmaps "late" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`));
      await k.ok(['patch', 'configmap', 'held', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      await until('the namespace gone', async () => (await k.run(['get', 'namespace', ns])).code !== 0, 30_000);
    } finally {
      k.cleanup();
    }
  });
});

describe('--enable-admission-plugins and --disable-admission-plugins', () => {
  test('an unknown plugin name stops the server with a clear message', async () => {
    await assert.rejects(startApiserver({ args: ['--enable-admission-plugins', 'NoSuchPlugin'] }), /plugin "NoSuchPlugin" is unknown/);
  });
});
