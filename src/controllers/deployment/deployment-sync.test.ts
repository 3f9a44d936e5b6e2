import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { ApiError } from '../../api/index.js';
import { DesiredReplicasAnnotation, MaxReplicasAnnotation, RevisionAnnotation } from './annotations.js';
import type { DeploymentApi } from './deployment-api.js';
import { DeploymentSync, oldPodsRunning } from './deployment-sync.js';
import { computeHash } from './pod-template-hash.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');

/** An in-memory API that records what the sync writes. */
class FakeApi implements DeploymentApi {
  readonly rss = new Map<string, ReplicaSet>();
  readonly events: string[] = [];
  readonly deleted: string[] = [];
  statusWrites: Deployment[] = [];
  now = () => NOW;
  private rv = 100;
  async createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const name = rs.metadata?.name ?? '';
    if (this.rss.has(name)) throw new ApiError({ code: 409, reason: 'AlreadyExists', message: 'exists' });
    const created = { ...structuredClone(rs), metadata: { ...rs.metadata, uid: `uid-${name}`, resourceVersion: String(++this.rv), creationTimestamp: new Date(NOW).toISOString() } };
    this.rss.set(name, created);
    return created;
  }
  async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const current = this.rss.get(rs.metadata?.name ?? '');
    if (current && current.metadata?.resourceVersion !== rs.metadata?.resourceVersion) throw new ApiError({ code: 409, reason: 'Conflict', message: 'the object has been modified' });
    const updated = { ...structuredClone(rs), metadata: { ...rs.metadata, resourceVersion: String(++this.rv) } };
    this.rss.set(rs.metadata?.name ?? '', updated);
    return updated;
  }
  async deleteReplicaSet(rs: ReplicaSet): Promise<void> {
    this.deleted.push(rs.metadata?.name ?? '');
    this.rss.delete(rs.metadata?.name ?? '');
  }
  async updateDeploymentStatus(d: Deployment): Promise<Deployment> {
    this.statusWrites.push(structuredClone(d));
    return { ...d, metadata: { ...d.metadata, resourceVersion: String(++this.rv) } };
  }
  cachedReplicaSet(_ns: string, name: string) {
    return this.rss.get(name);
  }
  event(_d: Deployment, type: string, reason: string, message: string) {
    this.events.push(`${type} ${reason} ${message}`);
  }
  replicas(name: string) {
    return this.rss.get(name)?.spec?.replicas;
  }
  lastStatus() {
    return this.statusWrites.at(-1)?.status;
  }
}

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

function deployment(replicas: number, opts: { image?: string; surge?: number | string; unavailable?: number | string; generation?: number; status?: Deployment['status']; strategy?: 'Recreate'; paused?: boolean; revisionHistoryLimit?: number } = {}): Deployment {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', generation: opts.generation ?? 1, resourceVersion: '1', annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: template(opts.image ?? 'nginx:2'),
      strategy: opts.strategy ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: opts.surge ?? 0, maxUnavailable: opts.unavailable ?? 0 } },
      revisionHistoryLimit: opts.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: 600,
      ...(opts.paused ? { paused: true } : {}),
    },
    ...(opts.status ? { status: opts.status } : {}),
  };
}

/** A ReplicaSet owned by the Deployment, created `age` seconds before NOW, sized for a Deployment of `sizedFor`. */
function rs(name: string, image: string, replicas: number, opts: { available?: number; revision?: number; age?: number; sizedFor?: [number, number] } = {}): ReplicaSet {
  const annotations: Record<string, string> = { [RevisionAnnotation]: String(opts.revision ?? 1) };
  if (opts.sizedFor) {
    annotations[DesiredReplicasAnnotation] = String(opts.sizedFor[0]);
    annotations[MaxReplicasAnnotation] = String(opts.sizedFor[1]);
  }
  const available = opts.available ?? replicas;
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '5', generation: 1, creationTimestamp: new Date(NOW - (opts.age ?? 0) * 1000).toISOString(), annotations, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true }] },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template(image) },
    status: { replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
  };
}

async function run(api: FakeApi, d: Deployment, rss: ReplicaSet[]) {
  for (const r of rss) api.rss.set(r.metadata!.name!, r);
  return new DeploymentSync(api).sync(d, rss, new Map());
}

describe('DeploymentSync: rolling update', () => {
  it('creates the new ReplicaSet named <deployment>-<hash> with maxSurge replicas, the hash label and the revision', async () => {
    const api = new FakeApi();
    const d = deployment(10, { surge: 3, unavailable: 2 });
    await run(api, d, [rs('web-old', 'nginx:1', 10, { revision: 1, age: 60, sizedFor: [10, 13] })]);
    const hash = computeHash(template('nginx:2'));
    const created = api.rss.get(`web-${hash}`);
    assert.ok(created, 'the new ReplicaSet');
    assert.equal(created.spec?.replicas, 3);
    assert.equal(created.metadata?.labels?.['pod-template-hash'], hash);
    assert.equal(created.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
    assert.deepEqual(created.spec?.selector?.matchLabels, { app: 'web', 'pod-template-hash': hash });
    assert.equal(created.metadata?.annotations?.[RevisionAnnotation], '2');
    assert.equal(created.metadata?.annotations?.[DesiredReplicasAnnotation], '10');
    assert.equal(created.metadata?.annotations?.[MaxReplicasAnnotation], '13');
    assert.deepEqual(created.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }]);
    // The same pass then scales the old ReplicaSet down by what maxUnavailable allows (10 + 3 − 8 − 3 = 2).
    assert.deepEqual(api.events, [`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`, 'Normal ScalingReplicaSet Scaled down replica set web-old from 10 to 8']);
    assert.equal(d.metadata?.annotations?.[RevisionAnnotation], '2');
    const progressing = api.lastStatus()?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.reason, 'ReplicaSetUpdated');
  });

  it('scales old ReplicaSets down only as far as maxUnavailable allows, counting unavailable new Pods', async () => {
    const api = new FakeApi();
    const hash = computeHash(template('nginx:2'));
    const d = deployment(10, { surge: 3, unavailable: 2 });
    await run(api, d, [rs('web-old', 'nginx:1', 10, { revision: 1, age: 60, sizedFor: [10, 13] }), rs(`web-${hash}`, 'nginx:2', 3, { available: 0, revision: 2, sizedFor: [10, 13] })]);
    assert.equal(api.replicas('web-old'), 8);
    assert.deepEqual(api.events, ['Normal ScalingReplicaSet Scaled down replica set web-old from 10 to 8']);
  });

  it('does not grow the new ReplicaSet while the old one still reports Pods beyond its spec (surge bound)', async () => {
    const api = new FakeApi();
    const hash = computeHash(template('nginx:2'));
    const old = rs('web-old', 'nginx:1', 8, { revision: 1, age: 60, sizedFor: [10, 13] });
    Object.assign(old, { status: { ...old.status, replicas: 10 } });
    await run(api, deployment(10, { surge: 3, unavailable: 2 }), [old, rs(`web-${hash}`, 'nginx:2', 3, { available: 0, revision: 2, sizedFor: [10, 13] })]);
    assert.equal(api.replicas(`web-${hash}`), 3);
    assert.deepEqual(api.events, []);
  });

  it('a finished rollout reports NewReplicaSetAvailable and deletes old ReplicaSets beyond revisionHistoryLimit', async () => {
    const api = new FakeApi();
    const hash = computeHash(template('nginx:2'));
    const d = deployment(2, { surge: 1, unavailable: 0, revisionHistoryLimit: 1, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 } });
    const olds = [rs('web-a', 'nginx:0', 0, { revision: 1, age: 90 }), rs('web-b', 'nginx:1', 0, { revision: 2, age: 60 })];
    await run(api, d, [...olds, rs(`web-${hash}`, 'nginx:2', 2, { revision: 3, sizedFor: [2, 3] })]);
    assert.deepEqual(api.deleted, ['web-a']);
    const progressing = api.lastStatus()?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.reason, 'NewReplicaSetAvailable');
    assert.equal(progressing?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
    assert.equal(api.lastStatus()?.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');
  });

  it('a rollout without progress past its deadline reports ProgressDeadlineExceeded', async () => {
    const api = new FakeApi();
    const hash = computeHash(template('nginx:2'));
    const long = new Date(NOW - 700_000).toISOString().replace('.000Z', 'Z');
    const status = {
      observedGeneration: 1, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: long, lastTransitionTime: long, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: long, lastTransitionTime: long, reason: 'ReplicaSetUpdated', message: `ReplicaSet "web-${hash}" is progressing.` },
      ],
    };
    const d = deployment(3, { surge: 1, unavailable: 0, status });
    await run(api, d, [rs('web-old', 'nginx:1', 3, { age: 60, sizedFor: [3, 4] }), rs(`web-${hash}`, 'nginx:2', 1, { available: 0, revision: 2, sizedFor: [3, 4] })]);
    const progressing = api.lastStatus()?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.status, 'False');
    assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
    assert.equal(progressing?.message, `ReplicaSet "web-${hash}" has timed out progressing.`);
  });

  it('an unchanged stuck rollout asks to be looked at again when its deadline passes', async () => {
    const api = new FakeApi();
    const hash = computeHash(template('nginx:2'));
    const t = new Date(NOW - 100_000).toISOString().replace('.000Z', 'Z');
    const d = deployment(3, { surge: 1, unavailable: 0 });
    const olds = [rs('web-old', 'nginx:1', 3, { age: 60, sizedFor: [3, 4] }), rs(`web-${hash}`, 'nginx:2', 1, { available: 0, revision: 2, sizedFor: [3, 4] })];
    d.metadata!.annotations = { [RevisionAnnotation]: '2' };
    const { calculateStatus } = await import('./deployment-status.js');
    const status = calculateStatus(olds, olds[1], d, NOW);
    Object.assign(d, { status });
    status.conditions!.push({ type: 'Progressing', status: 'True', lastUpdateTime: t, lastTransitionTime: t, reason: 'ReplicaSetUpdated', message: `ReplicaSet "web-${hash}" is progressing.` });
    const outcome = await run(api, d, olds);
    assert.equal(api.statusWrites.length, 0);
    assert.equal(outcome?.requeueAfterMs, 600_000 - 100_000 + 1000);
  });
});

describe('DeploymentSync: rollback', () => {
  it('a template equal to an old ReplicaSet\'s makes it the new one: revision raised, the old one kept in revision-history', async () => {
    const api = new FakeApi();
    const d = deployment(3, { image: 'nginx:1', surge: 1, unavailable: 0 });
    d.metadata!.annotations = { [RevisionAnnotation]: '2' };
    const v1 = rs('web-v1', 'nginx:1', 0, { revision: 1, age: 120, sizedFor: [3, 4] });
    const v2 = rs('web-v2', 'nginx:2', 3, { revision: 2, age: 60, sizedFor: [3, 4] });
    await run(api, d, [v1, v2]);
    const back = api.rss.get('web-v1');
    assert.equal(back?.metadata?.annotations?.[RevisionAnnotation], '3');
    assert.equal(back?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(back?.spec?.replicas, 1, 'one surge Pod within the same sync, without a conflict');
    assert.equal(d.metadata?.annotations?.[RevisionAnnotation], '3');
    assert.equal(api.rss.size, 2, 'no new ReplicaSet');
  });
});

describe('DeploymentSync: proportional scaling (upstream TestScale cases)', () => {
  const cases: { name: string; from: number; to: number; newRS: number; olds: number[]; wantNew: number; wantOld: number[] }[] = [
    { name: '5 -> 10', from: 5, to: 10, newRS: 2, olds: [3], wantNew: 4, wantOld: [6] },
    { name: '5 -> 3', from: 5, to: 3, newRS: 2, olds: [3], wantNew: 1, wantOld: [2] },
    { name: '9 -> 4', from: 9, to: 4, newRS: 8, olds: [1], wantNew: 4, wantOld: [0] },
    { name: '7 -> 10', from: 7, to: 10, newRS: 2, olds: [3, 2], wantNew: 3, wantOld: [4, 3] },
    { name: '13 -> 8', from: 13, to: 8, newRS: 2, olds: [8, 3], wantNew: 1, wantOld: [5, 2] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const api = new FakeApi();
      const hash = computeHash(template('nginx:2'));
      const olds = c.olds.map((n, i) => rs(`web-old${i}`, `nginx:old${i}`, n, { revision: c.olds.length - i, age: 100 + i * 10, sizedFor: [c.from, c.from] }));
      const newRS = rs(`web-${hash}`, 'nginx:2', c.newRS, { revision: c.olds.length + 1, available: 0, sizedFor: [c.from, c.from] });
      await run(api, deployment(c.to, { surge: 0, unavailable: 1, status: { replicas: c.from } }), [...olds, newRS]);
      assert.equal(api.replicas(`web-${hash}`), c.wantNew);
      assert.deepEqual(olds.map((o) => api.replicas(o.metadata!.name!)), c.wantOld);
      for (const name of [`web-${hash}`, ...olds.map((o) => o.metadata!.name!)]) {
        assert.equal(api.rss.get(name)?.metadata?.annotations?.[DesiredReplicasAnnotation], String(c.to));
      }
    });
  }

  it('a paused Deployment is resized but not rolled out, and reports DeploymentPaused', async () => {
    const api = new FakeApi();
    const d = deployment(5, { paused: true, surge: 1, unavailable: 0 });
    await run(api, d, [rs('web-old', 'nginx:1', 3, { sizedFor: [3, 4] })]);
    assert.equal(api.replicas('web-old'), 5);
    assert.equal(api.rss.size, 1);
    assert.ok(api.statusWrites.some((w) => w.status?.conditions?.some((c) => c.reason === 'DeploymentPaused' && c.status === 'Unknown' && c.message === 'Deployment is paused')));
    assert.deepEqual(api.events, ['Normal ScalingReplicaSet Scaled up replica set web-old from 3 to 5']);
  });
});

describe('DeploymentSync: recreate', () => {
  it('scales old ReplicaSets to zero first, and creates the new one only once no old Pod runs', async () => {
    const api = new FakeApi();
    const d = deployment(3, { strategy: 'Recreate' });
    const old = rs('web-old', 'nginx:1', 3, { sizedFor: [3, 3] });
    await run(api, d, [old]);
    assert.equal(api.replicas('web-old'), 0);
    assert.equal(api.rss.size, 1);
    const stillRunning = { ...api.rss.get('web-old')!, status: { replicas: 0 } };
    assert.equal(oldPodsRunning(undefined, [stillRunning], new Map([['uid-web-old', [{ status: { phase: 'Running' } }]]])), true);
    assert.equal(oldPodsRunning(undefined, [stillRunning], new Map([['uid-web-old', [{ status: { phase: 'Succeeded' } }]]])), false);
    const api2 = new FakeApi();
    await run(api2, deployment(3, { strategy: 'Recreate' }), [stillRunning]);
    const hash = computeHash(template('nginx:2'));
    assert.equal(api2.replicas(`web-${hash}`), 3);
  });
});

describe('DeploymentSync: hash collisions', () => {
  it('an existing ReplicaSet of that name with another template bumps collisionCount', async () => {
    const api = new FakeApi();
    const hash = computeHash(template('nginx:2'));
    const squatter = rs(`web-${hash}`, 'other', 0, {});
    squatter.metadata!.ownerReferences = [];
    api.rss.set(squatter.metadata!.name!, squatter);
    await assert.rejects(run(api, deployment(2, { surge: 1 }), [rs('web-old', 'nginx:1', 2, { sizedFor: [2, 3] })]), /exists/);
    assert.equal(api.lastStatus()?.collisionCount, 1);
  });
});
