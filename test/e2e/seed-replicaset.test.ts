// The seed's flow from the server's side, driven by the real kubectl binaries on both storage backends:
// `kubectl create -f replicaset.yaml` returns the object the seed shows, and the common commands work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { etcdSkipReason, startEtcd, type EtcdServer } from '../support/etcd-server.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, KUBECTL_VERSIONS } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const manifest = new URL('../../../examples/replicaset.yaml', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(new URL('../../../test/fixtures/seed-replicaset-response.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** The object without the fields the seed's own run made up (identity, times, versions). */
function comparable(obj: Record<string, unknown>): Record<string, unknown> {
  const meta = { ...(obj.metadata as Record<string, unknown>) };
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp']) {
    assert.ok(meta[k], `metadata.${k} is set`);
    delete meta[k];
  }
  return { ...obj, metadata: meta };
}

for (const backend of ['sqlite', 'etcd'] as const) {
  const skip = kubectlSkipReason('1.33') ?? (backend === 'etcd' ? etcdSkipReason() : undefined);
  describe(`the seed's ReplicaSet on ${backend}`, { skip }, () => {
    let etcd: EtcdServer | undefined;
    let server: SkiffProcess;

    before(async () => {
      if (backend === 'etcd') etcd = await startEtcd();
      server = await startApiserver({ storage: backend, etcdEndpoint: etcd?.endpoint });
    });
    after(async () => {
      await server?.stop();
      await etcd?.stop();
    });

    for (const version of KUBECTL_VERSIONS) {
      test(`kubectl ${version} create -f replicaset.yaml returns the seed's object`, async () => {
        const k = kubectl(version, server.kubeconfig);
        try {
          const out = await k.ok(['create', '-f', manifest, '-o', 'json']);
          assert.deepEqual(comparable(JSON.parse(out) as Record<string, unknown>), comparable(expected));
          if (backend === 'etcd') {
            const stored = JSON.parse(await k.ok(['get', 'rs', 'my-replicaset', '-o', 'json'])) as { metadata: { resourceVersion: string } };
            const kv = JSON.parse(
              execFileSync('etcdctl', ['--endpoints', etcd!.endpoint, 'get', '/registry/replicasets/default/my-replicaset', '-w', 'json'], {
                env: { ...process.env, ETCDCTL_API: '3' },
              }).toString(),
            ) as { kvs: { key: string; value: string; mod_revision: number }[] };
            assert.equal(Buffer.from(kv.kvs[0]!.key, 'base64').toString(), '/registry/replicasets/default/my-replicaset');
            assert.equal(String(kv.kvs[0]!.mod_revision), stored.metadata.resourceVersion);
            const value = JSON.parse(Buffer.from(kv.kvs[0]!.value, 'base64').toString()) as { kind: string; spec: unknown };
            assert.equal(value.kind, 'ReplicaSet');
            assert.deepEqual(value.spec, expected.spec);
          }
          await k.ok(['delete', 'rs', 'my-replicaset']);
        } finally {
          k.cleanup();
        }
      });
    }

    test('kubectl 1.32 -v 10 sends the seed\'s requests in order and gets an Audit-Id', async () => {
      const k = kubectl('1.32', server.kubeconfig);
      try {
        const r = await k.run(['create', '-f', manifest, '-v', '10']);
        assert.equal(r.code, 0, r.stderr);
        const lines = r.stderr.split('\n');
        const responses = lines
          .map((l) => /round_trippers\.go:\d+\] (GET|POST) https:\/\/[^/]+(\S+) (\d+) /.exec(l))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => `${m[1]} ${m[2]} ${m[3]}`);
        const at = (re: RegExp) => responses.findIndex((x) => re.test(x));
        const openapi = at(/^GET \/openapi\/v3\?timeout=32s 200$/);
        const group = at(/^GET \/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+&timeout=32s 200$/);
        const post = at(/^POST \/apis\/apps\/v1\/namespaces\/default\/replicasets\?fieldManager=kubectl-create&fieldValidation=Strict 201$/);
        assert.ok(openapi >= 0 && group > openapi && post > group, `requests out of order:\n${responses.join('\n')}`);
        const postLine = lines.findIndex((l) => / POST https:.*replicasets\?fieldManager=kubectl-create.* 201 /.test(l));
        assert.ok(lines.slice(postLine, postLine + 12).some((l) => /Audit-Id: [0-9a-f-]{36}/.test(l)), 'the POST response has an Audit-Id header');
        await k.ok(['delete', 'rs', 'my-replicaset']);
      } finally {
        k.cleanup();
      }
    });

    for (const version of ['1.27', '1.33']) {
      test(`kubectl ${version}: get, -o yaml|json, delete, api-resources, api-versions, version`, async () => {
        const k = kubectl(version, server.kubeconfig);
        try {
          await k.ok(['create', '-f', manifest]);
          assert.match(await k.ok(['get', 'rs,pods']), /my-replicaset/);
          assert.match(await k.ok(['get', 'rs', 'my-replicaset', '-o', 'yaml']), /terminationMessagePath: \/dev\/termination-log/);
          const json = JSON.parse(await k.ok(['get', 'replicasets', '-o', 'json'])) as { kind: string; items: { metadata: { name: string } }[] };
          assert.equal(json.kind, 'List');
          assert.deepEqual(json.items.map((i) => i.metadata.name), ['my-replicaset']);
          assert.match(await k.ok(['delete', 'rs', 'my-replicaset']), /deleted/);
          const gone = await k.run(['get', 'rs', 'my-replicaset']);
          assert.notEqual(gone.code, 0);
          assert.match(gone.stderr, /NotFound.*replicasets.apps "my-replicaset" not found/);
          const resources = await k.ok(['api-resources']);
          for (const r of ['pods +po +v1 +true +Pod', 'replicasets +rs +apps/v1 +true +ReplicaSet', 'nodes +no +v1 +false +Node', 'leases +coordination.k8s.io/v1 +true +Lease']) {
            assert.match(resources, new RegExp(r));
          }
          const versions = await k.ok(['api-versions']);
          for (const v of ['apps/v1', 'v1', 'coordination.k8s.io/v1', 'events.k8s.io/v1', 'rbac.authorization.k8s.io/v1']) assert.match(versions, new RegExp(`^${v}$`, 'm'));
          assert.match(await k.ok(['version']), /Server Version: (v1\.32\.0\+skiff|version\.Info\{.*GitVersion:"v1\.32\.0\+skiff")/);
        } finally {
          k.cleanup();
        }
      });
    }

    for (const version of ['1.27', '1.33']) {
      test(`kubectl ${version} get -w sees a later create, update and delete`, async () => {
        const k = kubectl(version, server.kubeconfig);
        const name = `watched-${version.replace('.', '-')}`;
        const doc = readFileSync(manifest, 'utf8').replace('name: my-replicaset', `name: ${name}`);
        const watch = k.start(['get', 'rs', '-w']);
        try {
          const row = new RegExp(`^${name}\\s`);
          await k.ok(['create', '-f', '-'], { input: doc });
          await watch.waitFor(row, 1);
          await k.ok(['replace', '-f', '-'], { input: doc.replace('replicas: 2', 'replicas: 3') });
          await watch.waitFor(row, 2);
          await k.ok(['delete', 'rs', name, '--wait=false']);
          await watch.waitFor(row, 3);
          assert.equal(watch.lines().filter((l) => l.startsWith(`${name} `)).length, 3, watch.lines().join('\n'));
        } finally {
          watch.stop();
          k.cleanup();
        }
      });
    }

    test('kubectl 1.33 explain pods.spec.containers prints the real documentation', async () => {
      const k = kubectl('1.33', server.kubeconfig);
      try {
        const out = await k.ok(['explain', 'pods.spec.containers']);
        assert.match(out, /FIELD: containers <\[\]Container>/);
        assert.match(out, /A single application container that you want to run within a pod\./);
        assert.match(out, /image\s+<string>/);
      } finally {
        k.cleanup();
      }
    });

    test('a manifest with an unknown field is rejected with an error naming it', async () => {
      const k = kubectl('1.33', server.kubeconfig);
      try {
        const bad = readFileSync(manifest, 'utf8').replace('  replicas: 2', '  replicas: 2\n  replicaz: 3');
        const r = await k.run(['create', '-f', '-'], { input: bad });
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /unknown field "spec\.replicaz"/);
      } finally {
        k.cleanup();
      }
    });
  });
}
