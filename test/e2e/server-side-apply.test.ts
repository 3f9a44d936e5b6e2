// Server-side apply: kubectl apply --server-side, ownership between managers, conflicts, the upgrade from
// client-side apply, and the apply-patch API itself (subresources, dryRun, errors).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpsClient } from '../support/https-client.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

interface Deployment {
  metadata: { labels?: Record<string, string>; generation: number; resourceVersion: string; managedFields?: ManagedFieldsEntry[]; annotations?: Record<string, string> };
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
  status?: Record<string, unknown>;
}

function manifest(name: string, opts: { labels?: Record<string, string>; replicas?: number; containers?: string[] } = {}): string {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: (opts.containers ?? ['web']).map((c) => ({ name: c, image: `${c}:1` })) } },
  };
  if (opts.replicas !== undefined) spec['replicas'] = opts.replicas;
  return JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name, ...(opts.labels ?? {}) } }, spec });
}

async function get(k: Kubectl, name: string): Promise<Deployment> {
  return JSON.parse(await k.ok(['get', 'deployment', name, '-o', 'json', '--show-managed-fields'])) as Deployment;
}

const managers = (d: Deployment) => (d.metadata.managedFields ?? []).map((m) => `${m.manager}/${m.operation}`);

describe('server-side apply', { skip: kubectlSkipReason('1.33') }, () => {
  let server: SkiffProcess;
  let client: HttpsClient;
  before(async () => {
    server = await startApiserver();
    client = HttpsClient.fromKubeconfig(server.kubeconfig);
  });
  after(() => server?.stop());

  for (const version of ['1.27', '1.33']) {
    const v = version.replace('.', '-');

    test(`kubectl ${version} apply --server-side creates, re-applies unchanged, and removes fields no longer applied`, async () => {
      const k = kubectl(version, server.kubeconfig);
      const name = `ssa-${v}`;
      try {
        assert.match(await k.ok(['apply', '--server-side', '-f', '-'], { input: manifest(name, { labels: { tier: 'front' }, replicas: 2, containers: ['web', 'side'] }) }), /serverside-applied/);
        const created = await get(k, name);
        assert.deepEqual(managers(created), ['kubectl/Apply']);
        assert.deepEqual(created.metadata.managedFields?.[0]?.fieldsV1, {
          'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"side"}': { '.': {}, 'f:image': {}, 'f:name': {} }, 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        });

        await k.ok(['apply', '--server-side', '-f', '-'], { input: manifest(name, { labels: { tier: 'front' }, replicas: 2, containers: ['web', 'side'] }) });
        const again = await get(k, name);
        assert.equal(again.metadata.resourceVersion, created.metadata.resourceVersion, 'an unchanged apply writes nothing');
        assert.equal(again.metadata.generation, 1);

        await k.ok(['apply', '--server-side', '-f', '-'], { input: manifest(name, { containers: ['web'] }) });
        const edited = await get(k, name);
        assert.deepEqual(edited.metadata.labels, { app: name }, 'the label no longer applied is removed');
        assert.deepEqual(edited.spec.template.spec.containers.map((c) => c.name), ['web'], 'the container no longer applied is removed');
        assert.equal(edited.spec.replicas, 1, 'replicas no longer applied are removed, then defaulted');
        assert.equal(edited.metadata.generation, 2);
      } finally {
        k.cleanup();
      }
    });

    test(`kubectl ${version}: two managers keep their own fields; a conflicting apply is 409 until --force-conflicts`, async () => {
      const k = kubectl(version, server.kubeconfig);
      const name = `owners-${v}`;
      try {
        await k.ok(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], { input: manifest(name, { labels: { a: '1' }, replicas: 2 }) });
        const partial = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { b: '2' } } });
        await k.ok(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], { input: partial });
        let d = await get(k, name);
        assert.deepEqual(d.metadata.labels, { app: name, a: '1', b: '2' });
        assert.deepEqual(managers(d).sort(), ['team-a/Apply', 'team-b/Apply']);

        const takeReplicas = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 5 } });
        const refused = await k.run(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], { input: takeReplicas });
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, /Apply failed with 1 conflict: conflict with "team-a": \.spec\.replicas/);
        assert.match(refused.stderr, /--force-conflicts/);
        assert.equal((await get(k, name)).spec.replicas, 2);

        await k.ok(['apply', '--server-side', '--field-manager=team-b', '--force-conflicts', '-f', '-'], { input: takeReplicas });
        d = await get(k, name);
        assert.equal(d.spec.replicas, 5);
        const teamA = d.metadata.managedFields?.find((m) => m.manager === 'team-a');
        assert.equal((teamA?.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas'], undefined, 'team-a lost .spec.replicas');
        assert.deepEqual(d.metadata.labels, { app: name, a: '1' }, 'team-b no longer applies its label, so it is removed');
      } finally {
        k.cleanup();
      }
    });

    test(`kubectl ${version}: client-side apply, then apply --server-side takes the object over as upstream's upgrade does`, async () => {
      const k = kubectl(version, server.kubeconfig);
      const name = `upgrade-${v}`;
      try {
        await k.ok(['apply', '-f', '-'], { input: manifest(name, { labels: { tier: 'front' }, replicas: 3 }) });
        assert.deepEqual(managers(await get(k, name)), ['kubectl-client-side-apply/Update']);
        await k.ok(['apply', '--server-side', '-f', '-'], { input: manifest(name, { labels: { tier: 'front' }, replicas: 4 }) });
        let d = await get(k, name);
        assert.equal(d.spec.replicas, 4, 'no conflict with the values client-side apply last applied');
        assert.ok(!managers(d).includes('kubectl-client-side-apply/Update'), `the client-side apply manager is gone: ${managers(d).join(', ')}`);
        assert.ok(managers(d).includes('kubectl/Apply'));
        const lastApplied = JSON.parse(d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}') as { spec?: { replicas?: number } };
        assert.equal(lastApplied.spec?.replicas, 4, 'the last-applied annotation follows the server-side apply');

        await k.ok(['apply', '--server-side', '-f', '-'], { input: manifest(name, { replicas: 4 }) });
        d = await get(k, name);
        assert.deepEqual(d.metadata.labels, { app: name }, 'a label applied client-side and dropped from the manifest is removed');
      } finally {
        k.cleanup();
      }
    });
  }

  const apply = (path: string, body: unknown, query = 'fieldManager=test') =>
    client.request('PATCH', `${path}?${query}`, { body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'application/apply-patch+yaml' });

  test('apply creates a missing object (201) from YAML, and dryRun=All stores nothing', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: made\ndata:\n  a: "1"\n';
    const dry = await apply('/api/v1/namespaces/default/configmaps/made', yaml, 'fieldManager=test&dryRun=All');
    assert.equal(dry.status, 201, dry.body);
    assert.equal((await client.get('/api/v1/namespaces/default/configmaps/made')).status, 404);
    const made = await apply('/api/v1/namespaces/default/configmaps/made', yaml);
    assert.equal(made.status, 201, made.body);
    const obj = made.json() as { data: Record<string, string>; metadata: { managedFields: ManagedFieldsEntry[] } };
    assert.deepEqual(obj.data, { a: '1' });
    assert.deepEqual(obj.metadata.managedFields.map((m) => [m.manager, m.operation, m.apiVersion, m.fieldsV1]), [['test', 'Apply', 'v1', { 'f:data': { 'f:a': {} } }]]);
    const dryChange = await apply('/api/v1/namespaces/default/configmaps/made', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'made' }, data: { a: '2' } }, 'fieldManager=test&dryRun=All');
    assert.equal(dryChange.status, 200);
    assert.equal((dryChange.json() as { data: Record<string, string> }).data['a'], '2');
    assert.equal(((await client.get('/api/v1/namespaces/default/configmaps/made')).json() as { data: Record<string, string> }).data['a'], '1');
  });

  test('a conflict is 409 with one FieldManagerConflict cause per field, the header counting them', async () => {
    const path = '/api/v1/namespaces/default/configmaps/contested';
    assert.equal((await apply(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'contested' }, data: { a: '1', b: '1' } }, 'fieldManager=one')).status, 201);
    const res = await apply(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'contested' }, data: { a: '2', b: '2' } }, 'fieldManager=two');
    assert.equal(res.status, 409);
    assert.deepEqual(res.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 2 conflicts: conflicts with "one":\n- .data.a\n- .data.b',
      reason: 'Conflict',
      details: {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "one"', field: '.data.a' },
          { reason: 'FieldManagerConflict', message: 'conflict with "one"', field: '.data.b' },
        ],
      },
      code: 409,
    });
    const forced = await apply(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'contested' }, data: { a: '2' } }, 'fieldManager=two&force=true');
    assert.equal(forced.status, 200);
    assert.deepEqual((forced.json() as { data: unknown }).data, { a: '2', b: '1' });
  });

  test('bad apply requests are 4xx Status errors as upstream words them', async () => {
    const path = '/api/v1/namespaces/default/configmaps/bad';
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad' } };
    const noManager = await apply(path, cm, '');
    assert.equal(noManager.status, 422);
    assert.equal((noManager.json() as { message: string }).message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const forceOnMerge = await client.request('PATCH', `${path}?force=true`, { body: '{}', contentType: 'application/merge-patch+json' });
    assert.equal(forceOnMerge.status, 422);
    assert.match((forceOnMerge.json() as { message: string }).message, /force: Forbidden: may not be specified for non-apply patch/);
    const wrongKind = await apply(path, { ...cm, kind: 'Secret' });
    assert.equal(wrongKind.status, 400);
    assert.equal((wrongKind.json() as { message: string }).message, 'invalid object type: /v1, Kind=Secret');
    const wrongName = await apply(path, { ...cm, metadata: { name: 'other' } });
    assert.equal(wrongName.status, 400);
    assert.equal((wrongName.json() as { message: string }).message, 'the name of the object (other) does not match the name on the URL (bad)');
    const unknownField = await apply(path, { ...cm, spec: {} });
    assert.equal(unknownField.status, 400);
    assert.equal((unknownField.json() as { message: string }).message, 'failed to create typed patch object (/bad; /v1, Kind=ConfigMap): .spec: field not declared in schema');
    const managed = await apply(path, { ...cm, metadata: { name: 'bad', managedFields: [] } });
    assert.equal(managed.status, 400);
    assert.equal((managed.json() as { message: string }).message, 'metadata.managedFields must be nil');
    const notYaml = await apply(path, 'a: [');
    assert.equal(notYaml.status, 400);
    assert.match((notYaml.json() as { message: string }).message, /^error decoding YAML: /);
    assert.equal((await client.get(path)).status, 404, 'nothing was created');
  });

  test('apply on the status and scale subresources', async () => {
    const k = kubectl('1.33', server.kubeconfig);
    try {
      await k.ok(['apply', '--server-side', '-f', '-'], { input: manifest('subs', { replicas: 1 }) });
    } finally {
      k.cleanup();
    }
    const base = '/apis/apps/v1/namespaces/default/deployments/subs';
    const missing = await apply('/apis/apps/v1/namespaces/default/deployments/none/status', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'none' }, status: {} });
    assert.equal(missing.status, 404, 'apply does not create through a subresource');
    const status = await apply(`${base}/status`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'subs' }, spec: { replicas: 9 }, status: { observedGeneration: 1 } }, 'fieldManager=ctrl');
    assert.equal(status.status, 200, status.body);
    const afterStatus = status.json() as Deployment;
    assert.equal(afterStatus.spec.replicas, 1, 'the status subresource changes only status');
    assert.equal(afterStatus.status?.['observedGeneration'], 1);
    const ctrl = afterStatus.metadata.managedFields?.find((m) => m.manager === 'ctrl');
    assert.deepEqual([ctrl?.operation, ctrl?.subresource, ctrl?.fieldsV1], ['Apply', 'status', { 'f:status': { 'f:observedGeneration': {} } }]);

    const conflict = await apply(`${base}/scale`, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'subs' }, spec: { replicas: 3 } }, 'fieldManager=hpa');
    assert.equal(conflict.status, 409);
    assert.equal((conflict.json() as { message: string }).message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    const scaled = await apply(`${base}/scale`, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'subs' }, spec: { replicas: 3 } }, 'fieldManager=hpa&force=true');
    assert.equal(scaled.status, 200, scaled.body);
    assert.equal((scaled.json() as { spec: { replicas: number } }).spec.replicas, 3);
    const d = (await client.get(base)).json() as Deployment;
    assert.equal(d.spec.replicas, 3);
    const hpa = d.metadata.managedFields?.find((m) => m.manager === 'hpa');
    assert.deepEqual([hpa?.operation, hpa?.apiVersion, hpa?.subresource, hpa?.fieldsV1], ['Apply', 'apps/v1', 'scale', { 'f:spec': { 'f:replicas': {} } }]);
    const kubectlEntry = d.metadata.managedFields?.find((m) => m.manager === 'kubectl');
    assert.equal((kubectlEntry?.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas'], undefined, 'kubectl lost the replicas to the scale apply');
  });

  test('kubectl scale records an Update of the scale subresource, which a later apply then conflicts with', async () => {
    const k = kubectl('1.33', server.kubeconfig);
    try {
      await k.ok(['apply', '--server-side', '-f', '-'], { input: manifest('scaled', { replicas: 1 }) });
      await k.ok(['scale', 'deployment', 'scaled', '--replicas=4']);
      const d = await get(k, 'scaled');
      const entry = d.metadata.managedFields?.find((m) => m.subresource === 'scale');
      assert.deepEqual([entry?.operation, entry?.apiVersion, entry?.fieldsV1], ['Update', 'apps/v1', { 'f:spec': { 'f:replicas': {} } }]);
      const again = await k.run(['apply', '--server-side', '-f', '-'], { input: manifest('scaled', { replicas: 1 }) });
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, new RegExp(`conflict with "${entry?.manager}" with subresource "scale" using apps/v1: \\.spec\\.replicas`));
    } finally {
      k.cleanup();
    }
  });
});
