import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/index.js';
import { groupVersionPath, OpenApiService, type OpenApiResponse } from './openapi-service.js';
import type { OpenApiOperation } from './resource-paths.js';

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);
const service = new OpenApiService(allKinds(), { now: () => NOW, lastModified: new Date(NOW) });
const none = new URLSearchParams();

function get(path: string, headers: Record<string, string> = {}, query = none): OpenApiResponse {
  const answer = service.handle(path, query, headers);
  assert.ok(answer, `${path} is not an OpenAPI path`);
  return answer;
}

function rootPaths(): Record<string, { serverRelativeURL: string }> {
  return (JSON.parse(get('/openapi/v3').body.toString()) as { paths: Record<string, { serverRelativeURL: string }> }).paths;
}

function hashOf(gvPath: string): string {
  const url = rootPaths()[gvPath]?.serverRelativeURL;
  assert.ok(url, `root does not list ${gvPath}`);
  return new URL(url, 'http://x').searchParams.get('hash') ?? '';
}

describe('/openapi/v3', () => {
  test('lists one document per served group-version, each with its hash', () => {
    const answer = get('/openapi/v3');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['Content-Type'], 'application/json');
    const paths = rootPaths();
    for (const gv of ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/coordination.k8s.io/v1', 'apis/rbac.authorization.k8s.io/v1']) {
      assert.match(paths[gv]?.serverRelativeURL ?? '', new RegExp(`^/openapi/v3/${gv.replaceAll('.', '\\.')}\\?hash=[0-9A-F]{128}$`));
    }
    const kinds = new Set(allKinds().map((k) => groupVersionPath(k.group, k.version)));
    assert.deepEqual(Object.keys(paths).sort(), [...kinds].sort());
  });

  test('the hash is the uppercase hex SHA-512 of the document served', () => {
    const body = get('/openapi/v3/apis/apps/v1').body;
    assert.equal(hashOf('apis/apps/v1'), createHash('sha512').update(body).digest('hex').toUpperCase());
  });

  test('is not an OpenAPI path elsewhere', () => {
    assert.equal(service.handle('/api/v1', none, {}), undefined);
    assert.equal(service.handle('/openapi/v33', none, {}), undefined);
  });
});

describe('/openapi/v3/<group-version>', () => {
  const doc = service.document('apis/apps/v1');
  const item = doc?.paths['/apis/apps/v1/namespaces/{namespace}/replicasets/{name}'];

  test('has the replicasets PATCH kubectl probes for fieldValidation', () => {
    const patch = item?.patch as OpenApiOperation;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'ReplicaSet', version: 'v1' });
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.equal(patch.operationId, 'patchAppsV1NamespacedReplicaSet');
    assert.deepEqual(patch.parameters?.map((p) => p.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    const content = (patch.requestBody as { content: Record<string, unknown> }).content;
    assert.deepEqual(Object.keys(content), [
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
    assert.deepEqual(item?.parameters?.map((p) => p.name), ['name', 'namespace', 'pretty']);
  });

  test('every write operation takes dryRun, fieldManager and fieldValidation', () => {
    for (const [path, pathItem] of Object.entries(doc?.paths ?? {})) {
      for (const op of [pathItem.put, pathItem.post, pathItem.patch]) {
        if (op === undefined) continue;
        for (const name of ['dryRun', 'fieldManager', 'fieldValidation']) {
          assert.ok(op.parameters?.some((p) => p.name === name), `${path} ${op.operationId} lacks ${name}`);
        }
      }
    }
  });

  test('has collection, item, subresource, cluster-wide list and watch paths with their actions', () => {
    const ops = (path: string): string[] =>
      Object.entries(doc?.paths[path] ?? {}).flatMap(([method, op]) => (method === 'parameters' ? [] : [`${method}:${(op as OpenApiOperation)['x-kubernetes-action']}`]));
    assert.deepEqual(ops('/apis/apps/v1/namespaces/{namespace}/replicasets'), ['get:list', 'post:post', 'delete:deletecollection']);
    assert.deepEqual(ops('/apis/apps/v1/namespaces/{namespace}/replicasets/{name}'), ['get:get', 'put:put', 'patch:patch', 'delete:delete']);
    assert.deepEqual(ops('/apis/apps/v1/replicasets'), ['get:list']);
    assert.deepEqual(ops('/apis/apps/v1/watch/namespaces/{namespace}/replicasets/{name}'), ['get:watch']);
    assert.deepEqual(ops('/apis/apps/v1/namespaces/{namespace}/replicasets/{name}/status'), ['get:get', 'put:put', 'patch:patch']);
    const scale = doc?.paths['/apis/apps/v1/namespaces/{namespace}/replicasets/{name}/scale']?.patch;
    assert.deepEqual(scale?.['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
    const core = service.document('api/v1');
    assert.deepEqual(Object.keys(core?.paths['/api/v1/nodes/{name}'] ?? {}).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
    assert.equal(core?.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction']?.post?.operationId, 'createCoreV1NamespacedPodEviction');
  });

  test('components hold every schema the document reaches, with the GVKs of its kinds', () => {
    const schemas = doc?.components.schemas ?? {};
    assert.deepEqual(schemas['io.k8s.api.apps.v1.ReplicaSet']?.['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'ReplicaSet', version: 'v1' }]);
    for (const name of ['io.k8s.api.core.v1.Container', 'io.k8s.api.autoscaling.v1.Scale', 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch']) {
      assert.ok(schemas[name], `missing ${name}`);
    }
    assert.equal(schemas['io.k8s.api.rbac.v1.Role'], undefined);
    const gvks = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']?.['x-kubernetes-group-version-kind'] ?? [];
    assert.ok(gvks.some((g) => g.group === 'apps' && g.version === 'v1'));
    const dangling: string[] = [];
    JSON.stringify(doc, (key, value: unknown) => {
      if (key === '$ref' && typeof value === 'string' && schemas[value.replace('#/components/schemas/', '')] === undefined) dangling.push(value);
      return value;
    });
    assert.deepEqual(dangling, []);
    assert.equal(doc?.openapi, '3.0.0');
    assert.deepEqual(doc?.info, { title: 'Kubernetes', version: 'v1.32.0' });
  });

  test('a matching hash is immutable for a year', () => {
    const answer = get('/openapi/v3/apis/apps/v1', { accept: 'application/json, */*' }, new URLSearchParams({ hash: hashOf('apis/apps/v1'), timeout: '32s' }));
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['Cache-Control'], 'public, immutable');
    assert.equal(answer.headers.Expires, new Date(NOW + 365 * 86_400_000).toUTCString());
    assert.equal(answer.headers['Content-Type'], 'application/json');
    assert.equal(answer.headers.Etag, `"${hashOf('apis/apps/v1')}"`);
  });

  test('a stale hash redirects (301) to the current one', () => {
    const answer = get('/openapi/v3/apis/apps/v1', {}, new URLSearchParams({ hash: 'ABC' }));
    assert.equal(answer.status, 301);
    assert.equal(answer.headers.Location, `/openapi/v3/apis/apps/v1?hash=${hashOf('apis/apps/v1')}`);
  });

  test('without a hash it is not cacheable, and If-None-Match answers 304', () => {
    const first = get('/openapi/v3/api/v1');
    assert.equal(first.headers['Cache-Control'], undefined);
    const etag = first.headers.Etag ?? '';
    const again = get('/openapi/v3/api/v1', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.Etag, etag);
    assert.equal(get('/openapi/v3', { 'if-none-match': get('/openapi/v3').headers.Etag ?? '' }).status, 304);
  });

  test('large documents are gzipped when the client accepts it', () => {
    const plain = get('/openapi/v3/api/v1');
    const zipped = get('/openapi/v3/api/v1', { 'accept-encoding': 'gzip' });
    assert.equal(zipped.headers['Content-Encoding'], 'gzip');
    assert.match(zipped.headers.Vary ?? '', /Accept-Encoding/);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
  });

  test('unknown group-versions are 404 and protobuf-only clients get 406', () => {
    assert.equal(get('/openapi/v3/apis/example.com/v1').status, 404);
    assert.equal(get('/openapi/v3/apis/apps/v1', { accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf' }).status, 406);
  });
});

describe('/openapi/v2', () => {
  test('answers protobuf clients with a bare swagger 2.0 document', () => {
    const answer = get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['Content-Type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.deepEqual([...answer.body], [0x0a, 0x03, 0x32, 0x2e, 0x30]);
  });

  test('answers JSON clients with a swagger 2.0 document', () => {
    const answer = get('/openapi/v2', { accept: 'application/json' });
    assert.equal(answer.headers['Content-Type'], 'application/json');
    assert.equal((JSON.parse(answer.body.toString()) as { swagger: string }).swagger, '2.0');
  });
});

describe('structuralSchema', () => {
  test('resolves references down to container fields', () => {
    const rs = service.structuralSchema('apps', 'v1', 'ReplicaSet');
    const container = rs?.properties?.spec?.properties?.template?.properties?.spec?.properties?.containers?.items;
    assert.equal(container?.type, 'object');
    assert.deepEqual(container?.properties?.name, { type: 'string' });
    assert.deepEqual(rs?.properties?.metadata?.properties?.labels?.additionalProperties, { type: 'string' });
  });

  test('free-form and int-or-string fields accept anything', () => {
    const revision = service.structuralSchema('apps', 'v1', 'ControllerRevision');
    assert.deepEqual(revision?.properties?.data, { type: 'object', preserveUnknownFields: true });
    const deployment = service.structuralSchema('apps', 'v1', 'Deployment');
    assert.deepEqual(deployment?.properties?.spec?.properties?.strategy?.properties?.rollingUpdate?.properties?.maxSurge, {});
  });

  test('recursive definitions share one schema object', () => {
    const crd = service.structuralSchema('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition');
    const props = crd?.properties?.spec?.properties?.versions?.items?.properties?.schema?.properties?.openAPIV3Schema;
    assert.equal(props?.properties?.properties?.additionalProperties, props);
  });

  test('is undefined for an unknown kind', () => {
    assert.equal(service.structuralSchema('example.com', 'v1', 'Widget'), undefined);
  });
});
