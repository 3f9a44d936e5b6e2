import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from './request-info.js';

const info = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  const r = parseRequestInfo(method, u.pathname, u.searchParams);
  return [r.verb, r.apiGroup, r.apiVersion, r.namespace, r.resource, r.name, r.subresource].join('|');
};

test('parses resource paths as upstream', () => {
  assert.equal(info('GET', '/api/v1/namespaces/default/pods'), 'list||v1|default|pods||');
  assert.equal(info('GET', '/api/v1/pods?watch=true'), 'watch||v1||pods||');
  assert.equal(info('GET', '/api/v1/namespaces/default/pods/web'), 'get||v1|default|pods|web|');
  assert.equal(info('POST', '/api/v1/namespaces/default/pods/web/binding'), 'create||v1|default|pods|web|binding');
  assert.equal(info('GET', '/api/v1/namespaces/kube-system'), 'get||v1|kube-system|namespaces|kube-system|');
  assert.equal(info('GET', '/api/v1/namespaces'), 'list||v1||namespaces||');
  assert.equal(info('PUT', '/api/v1/namespaces/x/finalize'), 'update||v1|x|namespaces|x|finalize');
  assert.equal(info('DELETE', '/apis/apps/v1/namespaces/default/replicasets'), 'deletecollection|apps|v1|default|replicasets||');
  assert.equal(info('GET', '/api/v1/watch/namespaces/default/pods'), 'watch||v1|default|pods||');
  assert.equal(info('PATCH', '/apis/apps/v1/namespaces/d/deployments/x/scale'), 'patch|apps|v1|d|deployments|x|scale');
  assert.equal(parseRequestInfo('GET', '/apis/apps/v1', new URLSearchParams()).isResourceRequest, false);
  assert.equal(parseRequestInfo('GET', '/healthz', new URLSearchParams()).isResourceRequest, false);
});
