import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyDefaults } from './apply-defaults.js';

const SEED_REQUEST =
  '{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"namespace":"default","name":"my-replicaset"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"my-app"}},"template":{"metadata":{"labels":{"app":"my-app"}},"spec":{"containers":[{"name":"my-container","image":"nginx","ports":[{"containerPort":80}]}]}}}}';

const SEED_SPEC =
  '{"replicas":2,"selector":{"matchLabels":{"app":"my-app"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"my-app"}},"spec":{"containers":[{"name":"my-container","image":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"Always"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}}';

function seedReplicaSet(): Record<string, unknown> {
  return JSON.parse(SEED_REQUEST) as Record<string, unknown>;
}

test('the seed ReplicaSet defaults to exactly the upstream spec, key order included', () => {
  const rs = seedReplicaSet();
  applyDefaults('apps', 'v1', 'ReplicaSet', rs);
  assert.deepEqual(rs['spec'], JSON.parse(SEED_SPEC));
  assert.equal(JSON.stringify(rs['spec']), SEED_SPEC);
});

test('the seed ReplicaSet matches the recorded upstream response outside server-set metadata', () => {
  const fixture = JSON.parse(
    readFileSync(new URL('../../../../test/fixtures/seed-replicaset-response.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const rs = seedReplicaSet();
  applyDefaults('apps', 'v1', 'ReplicaSet', rs);
  assert.equal(JSON.stringify(rs['spec']), JSON.stringify(fixture['spec']));
  assert.deepEqual(rs['status'], fixture['status']);
});

test('defaulting twice changes nothing', () => {
  const rs = seedReplicaSet();
  applyDefaults('apps', 'v1', 'ReplicaSet', rs);
  const once = JSON.stringify(rs);
  applyDefaults('apps', 'v1', 'ReplicaSet', rs);
  assert.equal(JSON.stringify(rs), once);
});

test('kinds without defaulters and unknown kinds are left alone', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } };
  applyDefaults('', 'v1', 'ConfigMap', cm);
  assert.deepEqual(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } });
  const widget = { spec: {} };
  applyDefaults('example.com', 'v1', 'Widget', widget);
  assert.deepEqual(widget, { spec: {} });
});
