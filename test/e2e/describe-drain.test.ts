// kubectl describe shows an object's events; kubectl drain cordons a node and evicts its pods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const node = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
const pod = (name: string, nodeName?: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] } });

describe('describe and drain', { skip: kubectlSkipReason('1.33') }, () => {
  let server: SkiffProcess;
  before(async () => {
    server = await startApiserver();
  });
  after(() => server?.stop());

  for (const version of ['1.27', '1.33']) {
    const suffix = version.replace('.', '-');

    test(`kubectl ${version} describe pod shows its events`, async () => {
      const k = kubectl(version, server.kubeconfig);
      try {
        await k.ok(['create', '-f', '-'], { input: pod(`described-${suffix}`) });
        const created = JSON.parse(await k.ok(['get', 'pod', `described-${suffix}`, '-o', 'json'])) as { metadata: { uid: string } };
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        await k.ok(['create', '-f', '-'], {
          input: JSON.stringify({
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name: `described-${suffix}.1` },
            involvedObject: { kind: 'Pod', namespace: 'default', name: `described-${suffix}`, uid: created.metadata.uid, apiVersion: 'v1' },
            reason: 'Scheduled',
            message: `Successfully assigned default/described-${suffix} to node-1`,
            type: 'Normal',
            source: { component: 'default-scheduler' },
            firstTimestamp: now,
            lastTimestamp: now,
            count: 1,
          }),
        });
        const out = await k.ok(['describe', 'pod', `described-${suffix}`]);
        assert.match(out, /Events:\s*\n\s+Type\s+Reason\s+Age\s+From\s+Message/);
        assert.match(out, new RegExp(`Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/described-${suffix} to node-1`));
      } finally {
        k.cleanup();
      }
    });

    test(`kubectl ${version} drain cordons the node and evicts its pods`, async () => {
      const k = kubectl(version, server.kubeconfig);
      const nodeName = `drained-${suffix}`;
      try {
        await k.ok(['create', '-f', '-'], { input: node(nodeName) });
        await k.ok(['create', '-f', '-'], { input: pod(`on-${nodeName}`, nodeName) });
        const out = await k.ok(['drain', nodeName, '--force', '--grace-period=0', '--timeout=30s']);
        assert.match(out, new RegExp(`node/${nodeName} cordoned`));
        assert.match(out, new RegExp(`node/${nodeName} drained`));
        const n = JSON.parse(await k.ok(['get', 'node', nodeName, '-o', 'json'])) as { spec: { unschedulable?: boolean } };
        assert.equal(n.spec.unschedulable, true);
        assert.notEqual((await k.run(['get', 'pod', `on-${nodeName}`])).code, 0, 'the pod is gone');
      } finally {
        k.cleanup();
      }
    });
  }
});
