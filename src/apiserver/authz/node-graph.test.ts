import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { NodeGraph } from './node-graph.js';

const pod = (name: string, nodeName: string | undefined, secret: string): Pod => ({
  metadata: { name, namespace: 'ns' },
  spec: { nodeName, serviceAccountName: 'robot', containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'cm' } }] }], volumes: [{ name: 'v', secret: { secretName: secret } }] },
});

test('a Pod bound to a node relates it to the Pod and what the Pod references, while any such Pod exists', () => {
  const g = new NodeGraph();
  g.setPod(pod('a', undefined, 's1'));
  assert.equal(g.hasPath('n1', 'secret', 'ns', 's1'), false, 'an unbound Pod relates nothing');
  g.setPod(pod('a', 'n1', 's1'));
  g.setPod(pod('b', 'n1', 's1'));
  assert.equal(g.hasPath('n1', 'secret', 'ns', 's1'), true);
  assert.equal(g.hasPath('n1', 'configmap', 'ns', 'cm'), true);
  assert.equal(g.hasPath('n1', 'serviceaccount', 'ns', 'robot'), true);
  assert.equal(g.hasPath('n1', 'pod', 'ns', 'a'), true);
  assert.equal(g.hasPath('n2', 'secret', 'ns', 's1'), false);
  assert.equal(g.hasPath('n1', 'secret', 'other', 's1'), false);
  g.deletePod(pod('a', 'n1', 's1'));
  assert.equal(g.hasPath('n1', 'secret', 'ns', 's1'), true, 'b still references it');
  g.setPod(pod('b', 'n1', 's2'));
  assert.equal(g.hasPath('n1', 'secret', 'ns', 's1'), false);
  assert.equal(g.hasPath('n1', 'secret', 'ns', 's2'), true);
  g.deletePod(pod('b', 'n1', 's2'));
  assert.equal(g.hasNode('n1'), false);
});
