// kubectl get prints upstream's columns because the server answers with meta.k8s.io Tables.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const manifest = new URL('../../../examples/replicaset.yaml', import.meta.url).pathname;
const columns = (out: string) => out.split('\n')[0]!.trim().split(/\s{2,}/);

describe('tables', { skip: kubectlSkipReason('1.33') }, () => {
  let server: SkiffProcess;
  before(async () => {
    server = await startApiserver();
    const k = kubectl('1.33', server.kubeconfig);
    try {
      await k.ok(['create', '-f', manifest]);
      await k.ok(['run', 'web', '--image=nginx']);
      await k.ok(['create', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'front' },
          spec: { replicas: 3, selector: { matchLabels: { app: 'front' } }, template: { metadata: { labels: { app: 'front' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
        }),
      });
      await k.ok(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' } }) });
      await k.ok(['create', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'web.1' },
          involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
          reason: 'Pulling',
          message: 'Pulling image "nginx"',
          type: 'Normal',
          source: { component: 'kubelet' },
        }),
      });
    } finally {
      k.cleanup();
    }
  });
  after(() => server?.stop());

  for (const version of ['1.27', '1.33']) {
    test(`kubectl ${version} get prints upstream's columns`, async () => {
      const k = kubectl(version, server.kubeconfig);
      try {
        const pods = await k.ok(['get', 'pods']);
        assert.deepEqual(columns(pods), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
        assert.match(pods, /^web\s+0\/1\s+Pending\s+0\s+\d+s$/m);
        const wide = await k.ok(['get', 'pods', '-o', 'wide']);
        assert.deepEqual(columns(wide), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
        assert.deepEqual(columns(await k.ok(['get', 'rs'])), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
        assert.match(await k.ok(['get', 'rs']), /^my-replicaset\s+2\s+0\s+0\s+\d+s$/m);
        assert.deepEqual(columns(await k.ok(['get', 'ns'])), ['NAME', 'STATUS', 'AGE']);
        assert.deepEqual(columns(await k.ok(['get', 'deploy'])), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
        assert.match(await k.ok(['get', 'deploy']), /^front\s+0\/3\s+0\s+0\s+\d+s$/m);
        assert.deepEqual(columns(await k.ok(['get', 'nodes'])), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
        assert.match(await k.ok(['get', 'nodes']), /^node-a\s+Unknown\s+<none>\s+\d+s\s*$/m);
        assert.deepEqual(columns(await k.ok(['get', 'events'])), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
        assert.match(await k.ok(['get', 'events']), /Normal\s+Pulling\s+pod\/web\s+Pulling image "nginx"/);
        assert.deepEqual(columns(await k.ok(['get', 'svc'])), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
        assert.match(await k.ok(['get', 'ns', 'kube-system']), /^kube-system\s+Active\s+\d+s$/m);
      } finally {
        k.cleanup();
      }
    });

    test(`kubectl ${version} get pods -w streams rows`, async () => {
      const k = kubectl(version, server.kubeconfig);
      const name = `streamed-${version.replace('.', '-')}`;
      const watch = k.start(['get', 'pods', '-w']);
      try {
        await watch.waitFor(/^web\s+0\/1\s+Pending/);
        await k.ok(['run', name, '--image=nginx']);
        await watch.waitFor(new RegExp(`^${name}\\s+0/1\\s+Pending\\s+0\\s+\\d+s$`));
        assert.equal(watch.lines().filter((l) => l.startsWith('NAME')).length, 1, watch.lines().join('\n'));
      } finally {
        watch.stop();
        k.cleanup();
      }
    });
  }
});
