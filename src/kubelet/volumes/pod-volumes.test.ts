import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { PodVolumes } from './pod-volumes.js';

const sources = {
  configMap: (_ns: string, name: string) => Promise.resolve(name === 'cm' ? { data: { a: '1', b: '2' } } : undefined),
  secret: (_ns: string, name: string) => Promise.resolve(name === 's' ? { data: { token: Buffer.from('t0k').toString('base64') } } : undefined),
};
const env = { hostIP: '10.0.0.1', podIPs: [], allocatable: { cpu: '2', memory: '1Gi' } };

describe('PodVolumes', () => {
  it('writes configMap items, secrets (with modes) and downward API files; mounts are read-only where upstream’s are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-volumes-'));
    try {
      const volumes = new PodVolumes({ podsDir: dir, sources, env, allowHostPath: false });
      const pod: Pod = {
        metadata: { name: 'p', namespace: 'n', uid: 'u1', labels: { b: '2', a: 'x"y' } },
        spec: {
          containers: [{ name: 'c', volumeMounts: [{ name: 'cm', mountPath: '/etc/cm' }, { name: 'tmp', mountPath: '/tmp/x', subPath: 'sub' }] }],
          volumes: [
            { name: 'cm', configMap: { name: 'cm', items: [{ key: 'b', path: 'dir/b.txt', mode: 0o600 }] } },
            { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
            { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } }] } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      };
      const paths = await volumes.prepare(pod, ['10.0.0.1']);
      const cm = paths.get('cm')!;
      assert.deepEqual(readdirSync(cm), ['dir']);
      assert.equal(readFileSync(join(cm, 'dir/b.txt'), 'utf8'), '2');
      assert.equal(statSync(join(cm, 'dir/b.txt')).mode & 0o777, 0o600);
      assert.equal(readFileSync(join(paths.get('sec')!, 'token'), 'utf8'), 't0k');
      assert.equal(statSync(join(paths.get('sec')!, 'token')).mode & 0o777, 0o400);
      assert.equal(readFileSync(join(paths.get('info')!, 'labels'), 'utf8'), 'a="x\\"y"\nb="2"');
      assert.equal(readFileSync(join(paths.get('info')!, 'cpu'), 'utf8'), '2');
      assert.deepEqual(volumes.mounts(pod.spec!.containers[0]!, paths, pod), [
        { containerPath: '/etc/cm', hostPath: cm, readOnly: true },
        { containerPath: '/tmp/x', hostPath: join(paths.get('tmp')!, 'sub'), readOnly: false },
      ]);
      volumes.remove('u1');
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses hostPath unless allowed, a missing ConfigMap unless optional, and unsupported volume types', async () => {
    const volumes = new PodVolumes({ podsDir: '/nonexistent-skiff', sources, env, allowHostPath: false });
    const pod = (volume: NonNullable<NonNullable<Pod['spec']>['volumes']>[0]): Pod => ({ metadata: { uid: 'u', namespace: 'n' }, spec: { containers: [], volumes: [volume] } });
    await assert.rejects(volumes.prepare(pod({ name: 'h', hostPath: { path: '/etc' } }), []), /hostPath volumes are not allowed on this node/);
    await assert.rejects(volumes.prepare(pod({ name: 'm', configMap: { name: 'missing' } }), []), /configmap "missing" not found/);
    await assert.rejects(volumes.prepare(pod({ name: 'pvc', persistentVolumeClaim: { claimName: 'x' } }), []), /persistentVolumeClaim volumes are not supported/);
  });

  it('projects a service account token bound to the Pod, and rewrites it when the token manager hands out a new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-volumes-'));
    try {
      const asked: unknown[] = [];
      let current = 'first';
      const forgotten: string[] = [];
      const tokens = {
        token: async (spec: unknown) => {
          asked.push(spec);
          return current;
        },
        forgetPod: (uid: string) => void forgotten.push(uid),
      };
      const volumes = new PodVolumes({ podsDir: dir, sources, env, allowHostPath: false, tokens });
      const pod: Pod = {
        metadata: { name: 'p', namespace: 'n', uid: 'u1' },
        spec: {
          serviceAccountName: 'builder',
          containers: [{ name: 'c' }],
          volumes: [{ name: 'kube-api-access-x', projected: { defaultMode: 0o644, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token', audience: 'vault' } }, { configMap: { name: 'cm', items: [{ key: 'a', path: 'ca.crt' }] } }] } }],
        },
      };
      assert.equal(await volumes.refreshTokens(pod), true, 'nothing set up yet, but the Pod has tokens');
      const paths = await volumes.prepare(pod, []);
      const vol = paths.get('kube-api-access-x')!;
      assert.deepEqual(readdirSync(vol).sort(), ['ca.crt', 'token']);
      assert.equal(readFileSync(join(vol, 'token'), 'utf8'), 'first');
      assert.deepEqual(asked[0], { namespace: 'n', serviceAccount: 'builder', audience: 'vault', expirationSeconds: 3607, pod: { name: 'p', uid: 'u1' } });
      current = 'second';
      await volumes.refreshTokens(pod);
      assert.equal(readFileSync(join(vol, 'token'), 'utf8'), 'second');
      assert.equal(readFileSync(join(vol, 'ca.crt'), 'utf8'), '1', 'the other sources stay');
      volumes.remove('u1');
      assert.deepEqual(forgotten, ['u1']);
      assert.equal(await volumes.refreshTokens({ spec: { containers: [] } }), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
