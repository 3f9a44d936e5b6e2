import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeletForbiddenMessage, kubeletRequestAttributes } from './kubelet-authorizer.js';

test("kubelet API calls map to nodes subresources as upstream's kubelet authorizer does", () => {
  const cases: [string, string, string, string][] = [
    ['GET', '/logs/kube.log', 'get', 'log'],
    ['GET', '/logs', 'get', 'log'],
    ['GET', '/containerLogs/ns/pod/c', 'get', 'proxy'],
    ['POST', '/exec/ns/pod/c', 'create', 'proxy'],
    ['GET', '/stats/summary', 'get', 'stats'],
    ['GET', '/metrics/cadvisor', 'get', 'metrics'],
    ['GET', '/spec/', 'get', 'spec'],
    ['GET', '/pods', 'get', 'proxy'],
    ['GET', '/logsx', 'get', 'proxy'],
  ];
  for (const [method, path, verb, subresource] of cases) assert.deepEqual(kubeletRequestAttributes(method, path, 'node-1'), { verb, resource: 'nodes', subresource, name: 'node-1' }, `${method} ${path}`);
  assert.equal(kubeletForbiddenMessage({ username: 'alice', groups: [] }, kubeletRequestAttributes('GET', '/logs/x', 'n')), 'Forbidden (user=alice, verb=get, resource=nodes, subresource=log)');
});
