import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../kube-object.js';
import { admit } from './admission.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';

const pod = (tolerations?: Toleration[]): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) } });
const attrs = (object: KubeObject, resource = 'pods', subresource = '') =>
  ({ operation: 'CREATE', group: '', version: 'v1', kind: 'Pod', resource, subresource, namespace: 'default', object }) as const;

test('a Pod without tolerations gets not-ready and unreachable NoExecute tolerations for 300 s, in that order', async () => {
  const p = pod();
  await admit([defaultTolerationSeconds()], attrs(p as KubeObject));
  assert.deepEqual(p.spec?.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('the configured seconds are used and existing tolerations come first', async () => {
  const own: Toleration = { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' };
  const p = pod([own]);
  await admit([defaultTolerationSeconds({ notReadySeconds: 7, unreachableSeconds: 2 })], attrs(p as KubeObject));
  assert.deepEqual(p.spec?.tolerations?.map((t) => [t.key, t.tolerationSeconds]), [['dedicated', undefined], ['node.kubernetes.io/not-ready', 7], ['node.kubernetes.io/unreachable', 2]]);
});

test('a toleration of the key (or of every key) with effect NoExecute or none counts; NoSchedule does not', async () => {
  const withKey = pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }]);
  await admit([defaultTolerationSeconds()], attrs(withKey as KubeObject));
  assert.deepEqual(withKey.spec?.tolerations?.map((t) => t.key), ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']);
  const everything = pod([{ operator: 'Exists' }]);
  await admit([defaultTolerationSeconds()], attrs(everything as KubeObject));
  assert.equal(everything.spec?.tolerations?.length, 1);
  const noSchedule = pod([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }]);
  await admit([defaultTolerationSeconds()], attrs(noSchedule as KubeObject));
  assert.equal(noSchedule.spec?.tolerations?.length, 3);
});

test('other resources and subresources are left alone', async () => {
  const p = pod();
  await admit([defaultTolerationSeconds()], attrs(p as KubeObject, 'pods', 'binding'));
  await admit([defaultTolerationSeconds()], attrs(p as KubeObject, 'podtemplates'));
  assert.equal(p.spec?.tolerations, undefined);
});
