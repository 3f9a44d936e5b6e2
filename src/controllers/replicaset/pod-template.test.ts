import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { ownerReference } from '../runtime/controller-ref.js';
import { podFromTemplate, podNamePrefix } from './pod-template.js';

function replicaSet(): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'my-replicaset', namespace: 'default', uid: 'rs-uid', labels: { rs: 'label' }, annotations: { rs: 'annotation' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'my-app' } },
      template: {
        metadata: { labels: { app: 'my-app' }, annotations: { note: 'x' }, finalizers: ['example.com/f'] },
        spec: {
          containers: [{ name: 'my-container', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
          restartPolicy: 'Always',
        },
      },
    },
  };
}

const ref = () => ownerReference(replicaSet(), { apiVersion: 'apps/v1', kind: 'ReplicaSet' });

describe('podFromTemplate', () => {
  it('builds the Pod the controller creates, in upstream key order', () => {
    const pod = podFromTemplate(replicaSet(), ref());
    assert.equal(
      JSON.stringify(pod),
      JSON.stringify({
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: {
          generateName: 'my-replicaset-',
          namespace: 'default',
          labels: { app: 'my-app' },
          annotations: { note: 'x' },
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'my-replicaset', uid: 'rs-uid', controller: true, blockOwnerDeletion: true },
          ],
          finalizers: ['example.com/f'],
        },
        spec: {
          containers: [{ name: 'my-container', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
          restartPolicy: 'Always',
        },
      }),
    );
  });

  it('copies only the template annotations and leaves out empty annotations and finalizers', () => {
    const rs = replicaSet();
    const template = rs.spec!.template!;
    const bare: ReplicaSet = { ...rs, spec: { ...rs.spec!, template: { ...template, metadata: { labels: { app: 'my-app' } } } } };
    const pod = podFromTemplate(bare, ref());
    assert.deepEqual(Object.keys(pod.metadata ?? {}), ['generateName', 'namespace', 'labels', 'ownerReferences']);
  });

  it('shares nothing with the ReplicaSet', () => {
    const rs = replicaSet();
    const controllerRef = ref();
    const pod = podFromTemplate(rs, controllerRef);
    pod.spec!.containers[0]!.image = 'changed';
    pod.metadata!.labels!.app = 'changed';
    pod.metadata!.annotations!.note = 'changed';
    pod.metadata!.finalizers!.push('more');
    pod.metadata!.ownerReferences![0]!.name = 'changed';
    assert.deepEqual(rs, replicaSet());
    assert.equal(controllerRef.name, 'my-replicaset');
  });

  it('refuses a template without labels and an incomplete ControllerRef, with upstream messages', () => {
    const rs = replicaSet();
    const noLabels: ReplicaSet = { ...rs, spec: { ...rs.spec!, template: { spec: rs.spec!.template!.spec } } };
    assert.throws(() => podFromTemplate(noLabels, ref()), { message: 'unable to create pods, no labels' });
    assert.throws(() => podFromTemplate(rs, { ...ref(), blockOwnerDeletion: false }), { message: 'controllerRef.BlockOwnerDeletion is not set' });
    assert.throws(() => podFromTemplate(rs, { ...ref(), controller: undefined }), { message: 'controllerRef.Controller is not set to true' });
  });

  it('omits the namespace and spec when the ReplicaSet has none', () => {
    const pod = podFromTemplate({ metadata: { name: 'x' }, spec: { selector: {}, template: { metadata: { labels: { a: 'b' } } } } }, ref());
    assert.equal(pod.metadata?.namespace, undefined);
    assert.equal('spec' in pod, false);
  });
});

describe('podNamePrefix', () => {
  it('appends a dash when the result is a valid generateName', () => {
    assert.equal(podNamePrefix('web'), 'web-');
    assert.equal(podNamePrefix('a'.repeat(252)), `${'a'.repeat(252)}-`);
  });
  it('uses the bare name when the dash would make it invalid', () => {
    // upstream's maskTrailingDash drops two characters, so 254 characters still pass and 255 do not
    assert.equal(podNamePrefix('a'.repeat(253)), `${'a'.repeat(253)}-`);
    assert.equal(podNamePrefix('a'.repeat(254)), 'a'.repeat(254));
    assert.equal(podNamePrefix('Web'), 'Web');
  });
});
