import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { containerEnv, expandEnv, type EnvSources } from './container-env.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const sources: EnvSources = {
  configMap: (_ns, name) => Promise.resolve(name === 'cm' ? { data: { A: '1', 'bad key': 'x', HOST: 'h' } } : undefined),
  secret: (_ns, name) => Promise.resolve(name === 's' ? { data: { PASSWORD: b64('hunter2') } } : undefined),
};
const ctx = { hostIP: '10.0.0.1', podIPs: ['10.0.0.1'], allocatable: { cpu: '4', memory: '8Gi' } };
const pod = (container: NonNullable<Pod['spec']>['containers'][0]): Pod => ({
  metadata: { name: 'web', namespace: 'prod', uid: 'u-1', labels: { app: 'web' } },
  spec: { nodeName: 'n1', containers: [container] },
});

describe('containerEnv', () => {
  it('envFrom with prefixes and invalid keys skipped, then env in order with $(VAR) expansion', async () => {
    const p = pod({ name: 'c', envFrom: [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 's' }, prefix: 'S_' }], env: [{ name: 'URL', value: 'http://$(HOST):$(PORT)/$$(HOST)' }, { name: 'A', value: 'override' }] });
    assert.deepEqual(await containerEnv(p, p.spec!.containers[0]!, sources, ctx), [
      { key: 'A', value: 'override' },
      { key: 'HOST', value: 'h' },
      { key: 'S_PASSWORD', value: 'hunter2' },
      { key: 'URL', value: 'http://h:$(PORT)/$(HOST)' },
    ]);
  });

  it('fieldRef, resourceFieldRef (limits, or the node’s allocatable), key refs and upstream’s errors', async () => {
    const p = pod({
      name: 'c',
      resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } },
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'PASSWORD' } } },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x', optional: true } } },
      ],
    });
    const env = Object.fromEntries((await containerEnv(p, p.spec!.containers[0]!, sources, ctx)).map((e) => [e.key, e.value]));
    assert.deepEqual(env, { POD: 'web', APP: 'web', IP: '10.0.0.1', MEM: '64', CPU_LIMIT: '4', CPU_REQ: '250', PW: 'hunter2' });
    const missing = pod({ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x' } } }] });
    await assert.rejects(containerEnv(missing, missing.spec!.containers[0]!, sources, ctx), { name: 'ContainerConfigError', message: 'configmap "nope" not found' });
    const noKey = pod({ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'zz' } } }] });
    await assert.rejects(containerEnv(noKey, noKey.spec!.containers[0]!, sources, ctx), { message: "couldn't find key zz in ConfigMap prod/cm" });
  });

  it('expands as upstream: $$ escapes, unknown references stay', () => {
    assert.equal(expandEnv('$(A)-$(B)-$$(A)-$x-$(', (n) => (n === 'A' ? 'a' : undefined)), 'a-$(B)-$(A)-$x-$(');
  });
});
