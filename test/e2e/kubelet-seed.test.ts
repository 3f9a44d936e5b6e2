// The seed on separate processes: `skiff apiserver`, `skiff controller-manager`, `skiff scheduler` and two `skiff
// kubelet` (simulated nodes). kubectl 1.27 and 1.33 create examples/replicaset.yaml; the ReplicaSet controller makes
// the Pods, the scheduler binds them, the kubelets run them: both reach 1/1 Running, with no manual binding.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Http2Transport, loadClientConfig, RestClient, type ResourceClient } from '../../src/client/index.js';
import { startControllerManager, startKubelet, startScheduler, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { until } from '../support/until.js';

const SEED = fileURLToPath(new URL('../../../examples/replicaset.yaml', import.meta.url));
const NODES = ['seed-a', 'seed-b'] as const;
const VERSIONS = ['1.27', '1.33'] as const;

/** What upstream's admission chain adds to the seed's Pods: service account, its token volume, tolerations, priority. */
function assertAdmittedAsUpstream(p: Pod): void {
  const spec = p.spec!;
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.serviceAccount, 'default');
  assert.equal(spec.priority, 0);
  assert.equal(spec.preemptionPolicy, 'PreemptLowerPriority');
  const volume = spec.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
  assert.match(volume?.name ?? '', /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(volume?.projected, {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  });
  assert.deepEqual(spec.containers[0]?.volumeMounts, [{ name: volume!.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  assert.deepEqual(spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
}

const skip = VERSIONS.map(kubectlSkipReason).find((r) => r !== undefined);

describe('the seed on separate processes: apiserver, controller-manager, scheduler, two kubelets', { skip }, () => {
  let server: SkiffProcess;
  const components: ComponentProcess[] = [];
  let transport: Http2Transport;
  let pods: ResourceClient<Pod>;
  const seedPods = async () => (await pods.list('default', { labelSelector: 'app=my-app' })).items;

  before(async () => {
    server = await startApiserver({ serviceAccountAdmission: true });
    transport = new Http2Transport(loadClientConfig(server.kubeconfig));
    pods = new RestClient(transport).kind<Pod>('v1', 'Pod');
    components.push(await startControllerManager(server.dataDir));
    components.push(await startScheduler(server.dataDir));
    for (const node of NODES) components.push(await startKubelet(server.dataDir, node));
  });
  after(async () => {
    for (const c of components.reverse()) await c.stop();
    transport?.close();
    await server?.stop();
  });

  for (const version of VERSIONS) {
    test(`kubectl ${version}: create -f examples/replicaset.yaml, both Pods become 1/1 Running on the simulated nodes`, async () => {
      const k = kubectl(version, server.kubeconfig);
      try {
        assert.match(await k.ok(['get', 'nodes']), new RegExp(`${NODES[0]}\\s+Ready[\\s\\S]*${NODES[1]}\\s+Ready`));
        assert.match(await k.ok(['create', '-f', SEED]), /replicaset\.apps\/my-replicaset created/);
        await until('the ReplicaSet’s two Pods', async () => (await seedPods()).length === 2);
        await k.ok(['wait', '--for=condition=Ready', 'pod', '-l', 'app=my-app', '--timeout=60s']);

        const running = await seedPods();
        assert.equal(running.length, 2);
        for (const p of running) {
          assert.ok(NODES.includes(p.spec?.nodeName as (typeof NODES)[number]), `${p.metadata?.name} on ${p.spec?.nodeName}`);
          assert.equal(p.status?.phase, 'Running');
          assert.equal(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
          assert.equal(p.metadata?.ownerReferences?.[0]?.name, 'my-replicaset');
          assertAdmittedAsUpstream(p);
        }
        const table = await k.ok(['get', 'pods', '-l', 'app=my-app', '-o', 'wide', '--no-headers']);
        const lines = table.trim().split('\n');
        assert.equal(lines.length, 2, table);
        for (const line of lines) assert.match(line, new RegExp(`^my-replicaset-\\w{5}\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+(${NODES.join('|')})\\s`), table);
        assert.match(await k.ok(['get', 'rs', 'my-replicaset']), /my-replicaset\s+2\s+2\s+2\s/);
        const events = await k.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Pod', '-o', 'custom-columns=REASON:.reason,SOURCE:.source.component', '--no-headers']);
        assert.match(events, /Scheduled\s+default-scheduler/);
        assert.match(events, /Started\s+kubelet/);

        // Gone again for the next kubectl: the garbage collector deletes the Pods, the kubelets stop them.
        await k.ok(['delete', '-f', SEED]);
        await until('the seed’s Pods gone', async () => (await seedPods()).length === 0, 60_000);
      } finally {
        k.cleanup();
      }
    });
  }
});
