// The Deployment controller in a real `skiff controller-manager` process, with the API server, the scheduler and a
// simulated kubelet as processes, driven by the real kubectl binaries: rollouts within maxSurge and maxUnavailable,
// history, undo, restart, pause and resume, history clean-up, the progress deadline, and kill -9 mid-rollout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { Http2Transport, loadClientConfig, RestClient, type ResourceClient } from '../../src/client/index.js';
import { startControllerManager, startKubelet, startScheduler, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { until } from '../support/until.js';
import { watchRolloutBounds } from '../support/rollout-bounds.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const skip = kubectlSkipReason('1.33') ?? kubectlSkipReason('1.27');

describe('the Deployment controller', { skip }, () => {
  let server: SkiffProcess;
  let cm: ComponentProcess;
  let scheduler: ComponentProcess;
  let kubelet: ComponentProcess;
  let transport: Http2Transport;
  let client: RestClient;
  let deployments: ResourceClient<Deployment>;
  let replicaSets: ResourceClient<ReplicaSet>;

  before(async () => {
    server = await startApiserver();
    transport = new Http2Transport(loadClientConfig(server.kubeconfig));
    client = new RestClient(transport);
    deployments = client.kind<Deployment>('apps/v1', 'Deployment');
    replicaSets = client.kind<ReplicaSet>('apps/v1', 'ReplicaSet');
    cm = await startControllerManager(server.dataDir);
    scheduler = await startScheduler(server.dataDir);
    kubelet = await startKubelet(server.dataDir, 'sim', ['--simulated-nodes', '2']);
  });
  after(async () => {
    await kubelet?.stop();
    await scheduler?.stop();
    await cm?.stop();
    transport?.close();
    await server?.stop();
  });

  const createNamespace = (name: string) => client.kind('v1', 'Namespace').create('', { metadata: { name } });
  const ownedReplicaSets = async (ns: string, d: Deployment) =>
    (await replicaSets.list(ns)).items.filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === d.metadata?.uid));
  const rolledOut = async (k: Kubectl, ns: string, name: string) => {
    const out = await k.ok(['-n', ns, 'rollout', 'status', `deployment/${name}`, '--timeout=60s']);
    assert.match(out, new RegExp(`deployment "${name}" successfully rolled out\\n$`));
  };
  const image = async (ns: string, name: string) => (await deployments.get(ns, name)).spec?.template?.spec?.containers[0]?.image;

  for (const version of ['1.27', '1.33']) {
    test(`kubectl ${version}: create, set image within maxSurge/maxUnavailable, history, undo, restart, pause and resume`, async () => {
      const ns = `roll-${version.replace('.', '')}`;
      await createNamespace(ns);
      const k = kubectl(version, server.kubeconfig);
      // 10 replicas at the default 25%: maxSurge 3 (rounded up), maxUnavailable 2 (rounded down).
      const monitor = await watchRolloutBounds(client, ns, 'app=web', { maxPods: 13, minAvailable: 8 });
      try {
        await k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx:1', '--replicas=10']);
        await rolledOut(k, ns, 'web');
        await monitor.until('10 ready Pods', () => monitor.counts().ready === 10);
        monitor.arm();
        const table = await k.ok(['-n', ns, 'get', 'deployments']);
        assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
        assert.match(table, /\nweb\s+10\/10\s+10\s+10\s+\d+s\n/);

        await k.ok(['-n', ns, 'set', 'image', 'deployment/web', 'nginx=nginx:2']);
        await rolledOut(k, ns, 'web');
        const d = await deployments.get(ns, 'web');
        assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
        assert.deepEqual(
          { replicas: d.status?.replicas, updated: d.status?.updatedReplicas, ready: d.status?.readyReplicas, available: d.status?.availableReplicas, observed: d.status?.observedGeneration },
          { replicas: 10, updated: 10, ready: 10, available: 10, observed: d.metadata?.generation },
        );
        assert.deepEqual(d.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [
          ['Available', 'True', 'MinimumReplicasAvailable'],
          ['Progressing', 'True', 'NewReplicaSetAvailable'],
        ]);
        const rss = await ownedReplicaSets(ns, d);
        assert.equal(rss.length, 2);
        for (const rs of rss) {
          const hash = rs.metadata?.labels?.['pod-template-hash'] ?? '';
          assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
          assert.equal(rs.metadata?.name, `web-${hash}`);
          assert.equal(rs.spec?.selector?.matchLabels?.['pod-template-hash'], hash);
          assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '10');
          assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '13');
        }
        const events = await k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=ScalingReplicaSet', '-o', 'jsonpath={range .items[*]}{.source.component} {.message}{"\\n"}{end}']);
        for (const line of events.trim().split('\n')) assert.match(line, /^deployment-controller (\(combined from similar events\): )?Scaled (up|down) replica set web-\w+ from \d+ to \d+$/);
        assert.match(events, /Scaled up replica set web-\w+ from 0 to 10\n/);
        assert.match(events, /Scaled up replica set web-\w+ from 0 to 3\n/);

        const history = await k.ok(['-n', ns, 'rollout', 'history', 'deployment/web']);
        assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);

        await k.ok(['-n', ns, 'rollout', 'undo', 'deployment/web']);
        await rolledOut(k, ns, 'web');
        assert.equal(await image(ns, 'web'), 'nginx:1');
        assert.match(await k.ok(['-n', ns, 'rollout', 'history', 'deployment/web']), /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n/);
        const back = (await ownedReplicaSets(ns, d)).find((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'nginx:1');
        assert.equal(back?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
        assert.equal(back?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');

        await k.ok(['-n', ns, 'rollout', 'restart', 'deployment/web']);
        await rolledOut(k, ns, 'web');
        const restarted = await deployments.get(ns, 'web');
        assert.ok(restarted.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
        assert.equal(restarted.metadata?.annotations?.['deployment.kubernetes.io/revision'], '4');

        await k.ok(['-n', ns, 'rollout', 'pause', 'deployment/web']);
        await k.ok(['-n', ns, 'set', 'image', 'deployment/web', 'nginx=nginx:3']);
        const paused = await until('the paused spec observed', async () => {
          const p = await deployments.get(ns, 'web');
          return (p.status?.observedGeneration ?? 0) >= (p.metadata?.generation ?? 0) && p;
        });
        assert.deepEqual(paused.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'DeploymentPaused');
        assert.equal((await ownedReplicaSets(ns, d)).some((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'nginx:3'), false);
        const undoPaused = await k.run(['-n', ns, 'rollout', 'undo', 'deployment/web']);
        assert.notEqual(undoPaused.code, 0);
        assert.match(undoPaused.stderr, /you cannot rollback a paused deployment; resume it first/);
        await k.ok(['-n', ns, 'rollout', 'resume', 'deployment/web']);
        await rolledOut(k, ns, 'web');
        assert.equal((await deployments.get(ns, 'web')).metadata?.annotations?.['deployment.kubernetes.io/revision'], '5');
        await monitor.until('10 ready Pods of nginx:3', () => monitor.counts().running === 10 && monitor.counts().ready === 10);

        // Annotations bump the generation (upstream's strategy) and are copied to the new ReplicaSet.
        const generation = (await deployments.get(ns, 'web')).metadata?.generation ?? 0;
        await k.ok(['-n', ns, 'annotate', 'deployment/web', 'team=blue']);
        assert.equal((await deployments.get(ns, 'web')).metadata?.generation, generation + 1);
        await rolledOut(k, ns, 'web');
        await until('the annotation on the new ReplicaSet', async () =>
          (await ownedReplicaSets(ns, d)).some((rs) => rs.spec?.replicas === 10 && rs.metadata?.annotations?.team === 'blue'),
        );

        assert.ok(monitor.events() > 40, `the monitor saw the rollouts (${monitor.events()} events)`);
        // The rollouts used their room: surge Pods ran and some Pods were unavailable at times.
        assert.ok(monitor.extremes().maxRunning > 10 && monitor.extremes().minReady < 10, JSON.stringify(monitor.extremes()));
        assert.deepEqual(monitor.violations, []);
      } finally {
        await monitor.stop();
        k.cleanup();
      }
    });
  }

  test('old ReplicaSets beyond revisionHistoryLimit are deleted', async () => {
    const ns = 'history';
    await createNamespace(ns);
    const k = kubectl('1.33', server.kubeconfig);
    try {
      const manifest = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'h', namespace: ns },
        spec: { replicas: 2, revisionHistoryLimit: 2, selector: { matchLabels: { app: 'h' } }, template: { metadata: { labels: { app: 'h' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
      };
      await k.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
      await rolledOut(k, ns, 'h');
      for (let i = 2; i <= 5; i++) {
        await k.ok(['-n', ns, 'set', 'image', 'deployment/h', `c=nginx:${i}`]);
        await rolledOut(k, ns, 'h');
      }
      const d = await deployments.get(ns, 'h');
      const rss = await until('history trimmed to 2 old ReplicaSets', async () => {
        const owned = await ownedReplicaSets(ns, d);
        return owned.length === 3 && owned;
      });
      const revisions = rss.map((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort();
      assert.deepEqual(revisions, ['3', '4', '5']);
      assert.match(await k.ok(['-n', ns, 'rollout', 'history', 'deployment/h']), /REVISION\s+CHANGE-CAUSE\n3\s+<none>\n4\s+<none>\n5\s+<none>\n/);
    } finally {
      k.cleanup();
    }
  });

  test('a rollout that cannot progress reports ProgressDeadlineExceeded and rollout status fails (kubectl 1.27 and 1.33)', async () => {
    const ns = 'stuck';
    await createNamespace(ns);
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'stuck', namespace: ns },
      spec: {
        replicas: 4,
        progressDeadlineSeconds: 2,
        selector: { matchLabels: { app: 'stuck' } },
        // The simulated runtime fails to pull nginx:bad for these Pods.
        template: { metadata: { labels: { app: 'stuck' }, annotations: { 'sim.skiff.dev/pull-error': 'nginx:bad' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      },
    };
    const k33 = kubectl('1.33', server.kubeconfig);
    const k27 = kubectl('1.27', server.kubeconfig);
    try {
      await k33.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
      await rolledOut(k33, ns, 'stuck');
      await k33.ok(['-n', ns, 'set', 'image', 'deployment/stuck', 'c=nginx:bad']);
      for (const k of [k33, k27]) {
        const r = await k.run(['-n', ns, 'rollout', 'status', 'deployment/stuck', '--timeout=60s']);
        assert.equal(r.code, 1, `${k.version}: ${r.stdout} ${r.stderr}`);
        assert.match(r.stderr, /error: deployment "stuck" exceeded its progress deadline/);
      }
      const d = await deployments.get(ns, 'stuck');
      const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
      const newRS = (await ownedReplicaSets(ns, d)).find((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'nginx:bad');
      assert.equal(progressing?.status, 'False');
      assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
      assert.equal(progressing?.message, `ReplicaSet "${newRS?.metadata?.name}" has timed out progressing.`);
      // maxUnavailable 1 of 4: three old Pods stay available.
      assert.equal(d.status?.availableReplicas, 3);
      assert.equal(d.status?.conditions?.find((c) => c.type === 'Available')?.status, 'True');
    } finally {
      k33.cleanup();
      k27.cleanup();
    }
  });

  test('scaling in the middle of a rollout resizes the ReplicaSets proportionally, and undo brings the stuck rollout back', async () => {
    const ns = 'proportional';
    await createNamespace(ns);
    const k = kubectl('1.27', server.kubeconfig);
    try {
      const manifest = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'p', namespace: ns },
        spec: {
          replicas: 10,
          selector: { matchLabels: { app: 'p' } },
          template: { metadata: { labels: { app: 'p' }, annotations: { 'sim.skiff.dev/pull-error': 'nginx:bad' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
        },
      };
      await k.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
      await rolledOut(k, ns, 'p');
      const d = await deployments.get(ns, 'p');
      const sizes = async () => {
        const owned = await ownedReplicaSets(ns, d);
        const of = (img: string) => owned.find((rs) => rs.spec?.template?.spec?.containers[0]?.image === img)?.spec?.replicas;
        return { old: of('nginx:1'), new: of('nginx:bad') };
      };
      await k.ok(['-n', ns, 'set', 'image', 'deployment/p', 'c=nginx:bad']);
      // New Pods never become available: the rollout stops at 13 Pods, 8 old (10 − maxUnavailable 2) and 5 new.
      await until('the rollout stuck at 8 old and 5 new', async () => JSON.stringify(await sizes()) === JSON.stringify({ old: 8, new: 5 }));
      await k.ok(['-n', ns, 'scale', 'deployment/p', '--replicas=20']);
      // 13 → 25 (20 + maxSurge 5): old round(8 × 25 / 13) = 15, new the remaining 10.
      await until('15 old and 10 new', async () => JSON.stringify(await sizes()) === JSON.stringify({ old: 15, new: 10 }));
      const owned = await ownedReplicaSets(ns, d);
      for (const rs of owned) {
        assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
        assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '25');
      }
      await k.ok(['-n', ns, 'rollout', 'undo', 'deployment/p']);
      await rolledOut(k, ns, 'p');
      assert.deepEqual(await sizes(), { old: 20, new: 0 });
    } finally {
      k.cleanup();
    }
  });

  test('minReadySeconds: Pods count as available only after it, and changing it updates the ReplicaSet in place', async () => {
    const ns = 'minready';
    await createNamespace(ns);
    const k = kubectl('1.33', server.kubeconfig);
    try {
      const manifest = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'm', namespace: ns },
        spec: { replicas: 2, minReadySeconds: 2, selector: { matchLabels: { app: 'm' } }, template: { metadata: { labels: { app: 'm' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
      };
      const started = Date.now();
      await k.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
      const d = await deployments.get(ns, 'm');
      const ready = await until('2 ready Pods', async () => {
        const cur = await deployments.get(ns, 'm');
        return cur.status?.readyReplicas === 2 && cur;
      });
      assert.equal(ready.status?.availableReplicas ?? 0, 0, 'ready but not yet available for minReadySeconds');
      await rolledOut(k, ns, 'm');
      assert.ok(Date.now() - started >= 2000, `rolled out after ${Date.now() - started} ms`);
      const [rs] = await ownedReplicaSets(ns, d);
      assert.equal(rs?.spec?.minReadySeconds, 2);
      await k.ok(['-n', ns, 'patch', 'deployment', 'm', '--type=merge', '-p', '{"spec":{"minReadySeconds":0}}']);
      await until('the ReplicaSet updated in place', async () => {
        const owned = await ownedReplicaSets(ns, d);
        return owned.length === 1 && owned[0]?.metadata?.name === rs?.metadata?.name && owned[0]?.spec?.minReadySeconds === undefined;
      });
    } finally {
      k.cleanup();
    }
  });

  test('a matching orphan ReplicaSet is adopted and becomes the new ReplicaSet; one that stops matching is released', async () => {
    const ns = 'adopt';
    await createNamespace(ns);
    const labels = { app: 'a' };
    const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
    await replicaSets.create(ns, { metadata: { name: 'legacy', labels }, spec: { replicas: 2, selector: { matchLabels: labels }, template } });
    const d = await deployments.create(ns, { metadata: { name: 'a' }, spec: { replicas: 3, selector: { matchLabels: labels }, template } });
    const k = kubectl('1.33', server.kubeconfig);
    try {
      await rolledOut(k, ns, 'a');
      const owned = await ownedReplicaSets(ns, d);
      assert.deepEqual(owned.map((rs) => rs.metadata?.name), ['legacy']);
      assert.equal(owned[0]?.spec?.replicas, 3);
      assert.equal(owned[0]?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
      assert.deepEqual(owned[0]?.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'a', uid: d.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
      await k.ok(['-n', ns, 'label', 'rs', 'legacy', 'app=other', '--overwrite']);
      await until('legacy released', async () => (await replicaSets.get(ns, 'legacy')).metadata?.ownerReferences === undefined);
    } finally {
      k.cleanup();
    }
  });

  test('Recreate: the new ReplicaSet starts only once every old Pod is gone', async () => {
    const ns = 'recreate';
    await createNamespace(ns);
    const k = kubectl('1.33', server.kubeconfig);
    // No Pod of the old template may run beside one of the new.
    const monitor = await watchRolloutBounds(client, ns, 'app=r', { maxPods: 4, minAvailable: 0 }, (live) => {
      const images = new Set(live.map((p) => p.spec?.containers[0]?.image));
      return images.size > 1 ? `old and new Pods running together (${[...images].join(', ')})` : undefined;
    });
    try {
      const manifest = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'r', namespace: ns },
        spec: { replicas: 4, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
      };
      await k.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
      await rolledOut(k, ns, 'r');
      monitor.arm();
      await k.ok(['-n', ns, 'set', 'image', 'deployment/r', 'c=nginx:2']);
      await rolledOut(k, ns, 'r');
      await monitor.until('4 ready Pods of nginx:2', () => monitor.counts().ready === 4);
      const events = await k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=ScalingReplicaSet', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
      assert.equal(events.match(/^Scaled up replica set r-\w+ from 0 to 4$/gm)?.length, 2, events);
      assert.equal(events.match(/^Scaled down replica set r-\w+ from 4 to 0$/gm)?.length, 1, events);
      assert.equal(monitor.extremes().maxRunning, 4);
      assert.deepEqual(monitor.violations, []);
    } finally {
      await monitor.stop();
      k.cleanup();
    }
  });

  test('kill -9 of the controller-manager at random points of 10 rollouts never breaks the bounds, and each rollout completes', async () => {
    const ns = 'chaos';
    await createNamespace(ns);
    const k = kubectl('1.33', server.kubeconfig);
    const monitor = await watchRolloutBounds(client, ns, 'app=chaos', { maxPods: 13, minAvailable: 8 });
    try {
      await k.ok(['-n', ns, 'create', 'deployment', 'chaos', '--image=nginx:0', '--replicas=10']);
      await rolledOut(k, ns, 'chaos');
      await monitor.until('10 ready Pods', () => monitor.counts().ready === 10);
      monitor.arm();
      for (let i = 1; i <= 10; i++) {
        await k.ok(['-n', ns, 'set', 'image', 'deployment/chaos', `nginx=nginx:${i}`]);
        // A random point of the rollout: fault injection, not synchronisation.
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)));
        cm.kill('SIGKILL');
        await cm.exited;
        cm = await startControllerManager(server.dataDir);
        await rolledOut(k, ns, 'chaos');
        assert.equal((await deployments.get(ns, 'chaos')).metadata?.annotations?.['deployment.kubernetes.io/revision'], String(i + 1));
      }
      await monitor.until('10 ready Pods of the last image', () => monitor.counts().running === 10 && monitor.counts().ready === 10);
      assert.ok(monitor.events() > 100, `the monitor saw the rollouts (${monitor.events()} events)`);
      assert.ok(monitor.extremes().maxRunning > 10, JSON.stringify(monitor.extremes()));
      assert.deepEqual(monitor.violations, []);
    } finally {
      await monitor.stop();
      k.cleanup();
    }
  });
});
