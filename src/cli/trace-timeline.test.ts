import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTrace, responseComplete, type AuditEvent, type AuditRequest, type WatchDelivery } from '../apiserver/index.js';
import { between, component, renderTimeline } from './trace-timeline.js';
import { resolveKind, traceKubeconfig } from './trace-command.js';

const T0 = Date.UTC(2024, 4, 1, 10);
const CM = 'kube-controller-manager/v1.32.0 (linux/amd64) skiff';
const SCHED = 'kube-scheduler/v1.32.0 (linux/amd64) skiff';
const KUBELET = 'kubelet/v1.32.0 (linux/amd64) skiff';

function write(at: number, ua: string, resource: string, name: string | undefined, stored: { name: string; rv: string; owner?: string; node?: string; phase?: string }, subresource?: string): AuditEvent {
  const r: AuditRequest = {
    auditID: `${at}`,
    requestURI: `/${resource}/${subresource ?? ''}`,
    verb: subresource === 'status' ? 'patch' : 'create',
    user: { username: ua.split('/')[0]!, groups: [] },
    userAgent: ua,
    objectRef: { resource, namespace: 'default', name, subresource },
    receivedAt: at,
  };
  return responseComplete(r, at + 2, { code: 201 }, { name: stored.name, uid: `u-${stored.name}`, resourceVersion: stored.rv, controllerUid: stored.owner, nodeName: stored.node, phase: stored.phase, storedAt: at + 1 });
}

const deliver = (at: number, ua: string, resource: string, name: string, rv: string, type: 'ADDED' | 'MODIFIED' = 'ADDED'): WatchDelivery => ({
  time: at, user: ua.split('/')[0]!, userAgent: ua, resource, namespace: 'default', name, type, resourceVersion: rv,
});

test('the timeline shows steps 1–12 in order with times and per-hop latency', () => {
  const audit = [
    write(T0, 'kubectl/v1.33.0', 'replicasets', 'rs', { name: 'rs', rv: '10' }),
    write(T0 + 10, CM, 'pods', undefined, { name: 'rs-a', rv: '11', owner: 'u-rs' }),
    write(T0 + 20, SCHED, 'pods', 'rs-a', { name: 'rs-a', rv: '12', node: 'node-2' }, 'binding'),
    write(T0 + 30, KUBELET, 'pods', 'rs-a', { name: 'rs-a', rv: '13', node: 'node-2', phase: 'Running' }, 'status'),
  ];
  const deliveries = [
    deliver(T0 + 4, CM, 'apps/replicasets', 'rs', '10'),
    deliver(T0 + 14, SCHED, 'pods', 'rs-a', '11'),
    deliver(T0 + 24, KUBELET, 'pods', 'rs-a', '12', 'MODIFIED'),
  ];
  const owner = buildTrace({ resource: 'replicasets', namespace: 'default', name: 'rs' }, audit, deliveries);
  const pod = buildTrace({ resource: 'pods', namespace: 'default', name: 'rs-a' }, audit, deliveries);
  const text = renderTimeline(owner, new Map([['rs-a', pod]]));
  const steps = [...text.matchAll(/^Step (\d+)\./gm)].map((m) => Number(m[1]));
  assert.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], text);
  assert.match(text, /Step 0/);
  assert.match(text, /10:00:00\.000000 +kubectl POST/);
  assert.match(text, /\+1\.000 ms +201 stored replicasets\/rs at resourceVersion 10/);
  assert.match(text, /\+3\.000 ms +ADDED replicasets\/rs at resourceVersion 10/);
  assert.match(text, /\+0\.000 ms +delivered to the controller-manager's watch/);
  assert.match(text, /bound to node-2/);
  assert.match(text, /delivered to node-2's kubelet/);
  assert.match(text, /container started, status Running/);
  assert.match(text, /Total: 31\.0 ms/);
});

test('helpers: component names, latencies in µs, kinds and the kubeconfig default', () => {
  assert.equal(component('kubectl1.33.0/v1.33.0 (linux/amd64)'), 'kubectl');
  assert.equal(component(CM), 'kube-controller-manager');
  assert.equal(component(undefined), 'unknown client');
  assert.equal(between('2024-05-01T10:00:00.000100Z', '2024-05-01T10:00:00.001350Z'), 1.25);
  assert.equal(resolveKind('rs')?.resource, 'replicasets');
  assert.equal(resolveKind('ReplicaSet')?.resource, 'replicasets');
  assert.equal(resolveKind('replicasets.apps')?.resource, 'replicasets');
  assert.equal(resolveKind('po')?.resource, 'pods');
  assert.equal(resolveKind('nope'), undefined);
  assert.equal(traceKubeconfig('a.yaml', { KUBECONFIG: 'b.yaml' }), 'a.yaml');
  assert.equal(traceKubeconfig(undefined, { KUBECONFIG: 'b.yaml:c.yaml' }), 'b.yaml');
  assert.equal(traceKubeconfig(undefined, {}), '.skiff/kubeconfig.yaml');
});
