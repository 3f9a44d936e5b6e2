import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { criRoot } from './cri-proto.js';
import { containerConfigMessage, podSandboxConfigMessage, transitions } from './cri-wire.js';

const sandbox = { metadata: { name: 'p', namespace: 'ns', uid: 'u1', attempt: 2 }, hostname: 'p', labels: { app: 'web' }, annotations: { a: 'b' } };

describe('CRI messages', () => {
  it('labels sandboxes and containers as upstream, plus the node; no hostname in the node’s network namespace', () => {
    const s = podSandboxConfigMessage({ ...sandbox, linux: { namespaceOptions: { network: 'NODE' } } }, 'n1', '/logs') as Record<string, unknown>;
    assert.deepEqual(s.labels, { app: 'web', 'io.kubernetes.pod.name': 'p', 'io.kubernetes.pod.namespace': 'ns', 'io.kubernetes.pod.uid': 'u1', 'skiff.dev/node': 'n1' });
    assert.equal(s.hostname, '');
    assert.equal(s.logDirectory, '/logs/ns_p_u1');
    assert.equal((podSandboxConfigMessage(sandbox, 'n1', '/logs') as { hostname: string }).hostname, 'p');
    const c = containerConfigMessage({ name: 'c', attempt: 3, image: 'busybox', imageRef: 'sha256:abc', command: ['sh'] }, sandbox, 'n1') as Record<string, unknown>;
    assert.equal(c.logPath, 'c/3.log');
    assert.deepEqual(c.image, { image: 'sha256:abc', userSpecifiedImage: 'busybox' });
    assert.equal((c.labels as Record<string, string>)['io.kubernetes.container.name'], 'c');
    assert.equal((c.annotations as Record<string, string>)['io.kubernetes.container.restartCount'], '3');
  });

  it('encodes and decodes with the published field numbers', () => {
    const type = criRoot().lookupType('runtime.v1.RunPodSandboxRequest');
    const bytes = type.encode(type.fromObject({ config: podSandboxConfigMessage(sandbox, 'n1', '/logs') })).finish();
    // config = field 1 (length-delimited), metadata = field 1 inside it, name = field 1 inside that: 0x0a … 0x0a … 0x0a 0x01 'p'.
    assert.equal(bytes[0], 0x0a);
    const back = type.toObject(type.decode(bytes), { enums: String, longs: Number }) as { config: { metadata: { uid: string; attempt: number }; linux: { securityContext: { namespaceOptions: { pid: string } } } } };
    assert.deepEqual([back.config.metadata.uid, back.config.metadata.attempt], ['u1', 2]);
    assert.equal(back.config.linux.securityContext.namespaceOptions.pid, 'CONTAINER');
  });

  it('reports the container events between two states, in order', () => {
    assert.deepEqual(transitions(undefined, 'CONTAINER_EXITED'), ['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT', 'CONTAINER_STOPPED_EVENT']);
    assert.deepEqual(transitions('CONTAINER_CREATED', 'CONTAINER_RUNNING'), ['CONTAINER_STARTED_EVENT']);
    assert.deepEqual(transitions('CONTAINER_EXITED', 'CONTAINER_RUNNING'), []);
  });
});
