// The scheduler's binding: pods/<name>/binding and the bindings resource set spec.nodeName once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsFromKubeconfig, HttpsClient } from '../support/https-client.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

let server: SkiffProcess;
let api: HttpsClient;
before(async () => {
  server = await startApiserver();
  api = new HttpsClient(credentialsFromKubeconfig(server.kubeconfig));
});
after(async () => {
  api?.close?.();
  await server?.stop();
});

const PODS = '/api/v1/namespaces/default/pods';
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
const binding = (name: string, node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } });

test('a binding sets spec.nodeName once, records PodScheduled, and a second one is 409', async () => {
  assert.equal((await api.request('POST', PODS, { body: pod('b1') })).status, 201);
  const bound = await api.request('POST', `${PODS}/b1/binding`, { body: binding('b1', 'node-1') });
  assert.equal(bound.status, 201, bound.body);
  assert.equal((bound.json() as { status: string }).status, 'Success');
  const got = (await api.request('GET', `${PODS}/b1`)).json() as { spec: { nodeName: string }; status: { conditions: { type: string; status: string }[] } };
  assert.equal(got.spec.nodeName, 'node-1');
  assert.deepEqual(got.status.conditions.map((c) => [c.type, c.status]), [['PodScheduled', 'True']]);
  const again = await api.request('POST', `${PODS}/b1/binding`, { body: binding('b1', 'node-2') });
  assert.equal(again.status, 409);
  assert.match(again.body, /pod b1 is already assigned to node \\"node-1\\"/);
});

test('POST bindings binds the pod its metadata.name names', async () => {
  assert.equal((await api.request('POST', PODS, { body: pod('b2') })).status, 201);
  const res = await api.request('POST', '/api/v1/namespaces/default/bindings', { body: binding('b2', 'node-3') });
  assert.equal(res.status, 201, res.body);
  assert.equal(((await api.request('GET', `${PODS}/b2`)).json() as { spec: { nodeName: string } }).spec.nodeName, 'node-3');
  const missing = await api.request('POST', '/api/v1/namespaces/default/bindings', { body: binding('nope', 'node-3') });
  assert.equal(missing.status, 404);
});
