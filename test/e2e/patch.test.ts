// How people change objects: kubectl apply, label, annotate, patch, set, replace, diff, scale, rollout restart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

interface Deployment {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; generation: number };
  spec: { replicas: number; template: { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: { name: string; image: string; ports?: { containerPort: number }[]; env?: { name: string; value: string }[] }[] } } };
}

function deployment(name: string, opts: { image?: string; sidecar?: boolean; ports?: number[]; labels?: Record<string, string> } = {}): string {
  const labels = { app: name, ...(opts.labels ?? {}) };
  const containers = [
    { name: 'web', image: opts.image ?? 'nginx:1.25', ports: (opts.ports ?? [80, 443]).map((p) => ({ containerPort: p })) },
    ...(opts.sidecar === false ? [] : [{ name: 'sidecar', image: 'busybox:1.36', command: ['sleep', '3600'] }]),
  ];
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers } } },
  });
}

async function get(k: Kubectl, name: string): Promise<Deployment> {
  return JSON.parse(await k.ok(['get', 'deployment', name, '-o', 'json'])) as Deployment;
}

describe('changing objects with kubectl', { skip: kubectlSkipReason('1.33') }, () => {
  let server: SkiffProcess;
  before(async () => {
    server = await startApiserver();
  });
  after(() => server?.stop());

  for (const version of ['1.27', '1.33']) {
    const name = `web-${version.replace('.', '-')}`;

    test(`kubectl ${version} apply creates, reports unchanged, and applies edits as upstream`, async () => {
      const k = kubectl(version, server.kubeconfig);
      try {
        assert.match(await k.ok(['apply', '-f', '-'], { input: deployment(name, { labels: { tier: 'front' } }) }), /created/);
        const created = await get(k, name);
        assert.ok(created.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']);
        assert.match(await k.ok(['apply', '-f', '-'], { input: deployment(name, { labels: { tier: 'front' } }) }), /unchanged/);
        assert.match(await k.ok(['apply', '-f', '-'], { input: deployment(name, { image: 'nginx:1.27', sidecar: false, ports: [80] }) }), /configured/);
        const d = await get(k, name);
        assert.deepEqual(d.spec.template.spec.containers.map((c) => [c.name, c.image, (c.ports ?? []).map((p) => p.containerPort)]), [['web', 'nginx:1.27', [80]]]);
        assert.equal(d.metadata.labels?.tier, undefined, 'the label removed from the manifest is removed');
        assert.equal(d.metadata.generation, 2);
      } finally {
        k.cleanup();
      }
    });

    test(`kubectl ${version} label, annotate, set image, set env, patch, scale, rollout restart`, async () => {
      const k = kubectl(version, server.kubeconfig);
      try {
        await k.ok(['label', 'deployment', name, 'team=a']);
        await k.ok(['label', 'deployment', name, 'team=b', '--overwrite']);
        await k.ok(['annotate', 'deployment', name, 'note=hello']);
        let d = await get(k, name);
        assert.equal(d.metadata.labels?.team, 'b');
        assert.equal(d.metadata.annotations?.note, 'hello');
        await k.ok(['label', 'deployment', name, 'team-']);
        assert.equal((await get(k, name)).metadata.labels?.team, undefined);

        await k.ok(['set', 'image', `deployment/${name}`, 'web=nginx:1.28']);
        await k.ok(['set', 'env', `deployment/${name}`, 'MODE=prod']);
        d = await get(k, name);
        assert.equal(d.spec.template.spec.containers[0]!.image, 'nginx:1.28');
        assert.deepEqual(d.spec.template.spec.containers[0]!.env, [{ name: 'MODE', value: 'prod' }]);

        await k.ok(['patch', 'deployment', name, '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']);
        assert.equal((await get(k, name)).spec.replicas, 4);
        await k.ok(['patch', 'deployment', name, '--type=merge', '-p', '{"spec":{"replicas":5}}']);
        assert.equal((await get(k, name)).spec.replicas, 5);
        await k.ok(['patch', 'deployment', name, '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.29"}]}}}}']);
        d = await get(k, name);
        assert.deepEqual(d.spec.template.spec.containers.map((c) => [c.name, c.image]), [['web', 'nginx:1.29']], 'strategic merge keeps other containers and fields');
        assert.deepEqual(d.spec.template.spec.containers[0]!.env, [{ name: 'MODE', value: 'prod' }]);
        const failed = await k.run(['patch', 'deployment', name, '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":99}]']);
        assert.notEqual(failed.code, 0);

        await k.ok(['scale', 'deployment', name, '--replicas=3']);
        await k.ok(['scale', 'deployment', name, '--current-replicas=3', '--replicas=1']);
        assert.equal((await get(k, name)).spec.replicas, 1);
        const stale = await k.run(['scale', 'deployment', name, '--current-replicas=7', '--replicas=2']);
        assert.notEqual(stale.code, 0);

        await k.ok(['rollout', 'restart', `deployment/${name}`]);
        d = await get(k, name);
        assert.match(d.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '', /^\d{4}-\d\d-\d\dT/);
      } finally {
        k.cleanup();
      }
    });

    test(`kubectl ${version} replace -f and diff -f`, async () => {
      const k = kubectl(version, server.kubeconfig);
      try {
        const current = JSON.parse(await k.ok(['get', 'deployment', name, '-o', 'json'])) as Deployment & { spec: { replicas: number } };
        current.spec.replicas = 6;
        assert.match(await k.ok(['replace', '-f', '-'], { input: JSON.stringify(current) }), /replaced/);
        const diff = await k.run(['diff', '-f', '-'], { input: deployment(name, { image: 'nginx:1.30', sidecar: false, ports: [80] }) });
        assert.equal(diff.code, 1, diff.stderr);
        assert.match(diff.stdout, /nginx:1\.30/);
        assert.equal((await get(k, name)).spec.template.spec.containers[0]!.image !== 'nginx:1.30', true, 'diff wrote nothing');
      } finally {
        k.cleanup();
      }
    });
  }
});
