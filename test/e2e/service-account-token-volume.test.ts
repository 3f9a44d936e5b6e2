// A Pod calls the API as its service account: `skiff apiserver` (ServiceAccount admission, RBAC), the controller-manager,
// the scheduler and `skiff kubelet --runtime process`. The kubelet writes the kube-api-access volume (a Pod-bound token
// from the TokenRequest API, the cluster CA, the namespace); the container — a real process — reads them from
// /var/run/secrets/kubernetes.io/serviceaccount and calls the API with node's https client: allowed where a RoleBinding
// says so, 403 elsewhere.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startControllerManager, startKubelet, startScheduler, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { killRuntimeProcesses } from '../support/process-runtime-cleanup.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { until } from '../support/until.js';

const NODE = 'tok-1';
const skip = kubectlSkipReason('1.33') ?? (process.getuid?.() === 0 ? undefined : 'the process runtime mounts volumes only as root');

/** What the container runs: reads its service account files and reports three API calls as JSON lines. */
const SCRIPT = `
const fs = require('fs'), https = require('https');
const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
const token = fs.readFileSync(dir + '/token', 'utf8'), ca = fs.readFileSync(dir + '/ca.crt'), ns = fs.readFileSync(dir + '/namespace', 'utf8');
const call = (method, path, body) => new Promise((resolve) => {
  const req = https.request(process.env.API + path, { method, ca, headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' } }, (res) => {
    let text = ''; res.on('data', (d) => (text += d)); res.on('end', () => resolve({ status: res.statusCode, body: text }));
  });
  req.on('error', (e) => resolve({ status: 0, body: String(e) }));
  req.end(body);
});
(async () => {
  const who = await call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
  console.log(JSON.stringify({ namespace: ns, user: JSON.parse(who.body).status?.userInfo }));
  console.log(JSON.stringify({ own: (await call('GET', '/api/v1/namespaces/' + ns + '/configmaps')).status }));
  console.log(JSON.stringify({ other: (await call('GET', '/api/v1/namespaces/kube-system/configmaps')).status }));
})();
`;

describe('a process-runtime Pod calls the API with its projected service account token', { skip }, () => {
  let server: SkiffProcess;
  const components: ComponentProcess[] = [];
  let k: Kubectl;

  before(async () => {
    server = await startApiserver({ serviceAccountAdmission: true });
    components.push(await startControllerManager(server.dataDir));
    components.push(await startScheduler(server.dataDir));
    components.push(await startKubelet(server.dataDir, NODE, ['--runtime', 'process', '--port', '0']));
    k = kubectl('1.33', server.kubeconfig);
  });
  after(async () => {
    await k?.run(['delete', 'pods', '--all', '--grace-period=1', '--timeout=30s']);
    for (const c of components.reverse()) await c.stop();
    killRuntimeProcesses(`${server.dataDir}/kubelet/${NODE}`);
    k?.cleanup();
    await server?.stop();
  });

  test('allowed as bound by RBAC, 403 elsewhere; the token names the Pod and goes with it', async () => {
    await until('the default ServiceAccount', async () => (await k.run(['get', 'serviceaccount', 'default'])).code === 0);
    await k.ok(['create', 'role', 'read-configmaps', '--verb=list', '--resource=configmaps']);
    await k.ok(['create', 'rolebinding', 'read-configmaps', '--role=read-configmaps', '--serviceaccount=default:default']);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'caller' },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: 'node', command: [process.execPath, '-e', SCRIPT], env: [{ name: 'API', value: server.url }] }],
      },
    };
    await k.ok(['create', '-f', '-'], { input: JSON.stringify(pod) });
    const phase = await until('the Pod to finish', async () => {
      const p = (await k.run(['get', 'pod', 'caller', '-o', 'jsonpath={.status.phase}'])).stdout;
      return p === 'Succeeded' || p === 'Failed' ? p : undefined;
    }, 60_000);
    const logs = await k.ok(['logs', 'caller']);
    assert.equal(phase, 'Succeeded', logs);
    const lines = logs.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const who = lines[0] as { namespace: string; user: { username: string; extra: Record<string, string[]> } };
    assert.equal(who.namespace, 'default');
    assert.equal(who.user.username, 'system:serviceaccount:default:default');
    const uid = (await k.ok(['get', 'pod', 'caller', '-o', 'jsonpath={.metadata.uid}'])).trim();
    assert.deepEqual(who.user.extra['authentication.kubernetes.io/pod-uid'], [uid]);
    assert.deepEqual(who.user.extra['authentication.kubernetes.io/node-name'], [NODE]);
    assert.deepEqual(lines[1], { own: 200 });
    assert.deepEqual(lines[2], { other: 403 });
  });
});
