// RBAC enforced by the real `skiff apiserver` (--authorization-mode Node,RBAC, the default), driven by real kubectl
// (1.27 and 1.33): a namespace viewer, a namespace admin granting roles, escalation prevention, and the review APIs.
// Expectations are upstream kube-apiserver v1.32's, messages included.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { HttpsClient } from '../support/https-client.js';
import { startControllerManager, type ComponentProcess } from '../support/component-process.js';

const skiff = new URL('../../../bin/skiff', import.meta.url).pathname;
const VERSIONS = ['1.27', '1.33'] as const;

/** Mints a kubeconfig for `user` (in `groups`) from the server's CA. */
export function mintKubeconfig(dataDir: string, user: string, groups: readonly string[] = []): string {
  const file = join(dataDir, `${user.replace(/[^a-z0-9-]/gi, '_')}.yaml`);
  execFileSync(process.execPath, [skiff, 'kubeconfig', '--data-dir', dataDir, '--user', user, ...groups.flatMap((g) => ['--group', g]), '-o', file]);
  return file;
}

/** Repeats `check` until it passes or the deadline is reached (authorization reads its caches, which follow storage). */
async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline || i > 500) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('RBAC with kubectl', { skip: kubectlSkipReason('1.27') ?? kubectlSkipReason('1.33') }, () => {
  let server: SkiffProcess;
  let admin: HttpsClient;
  let dataDir: string;
  // admin, edit and view are aggregated by the controller-manager's clusterrole-aggregation controller.
  let controllers: ComponentProcess;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'skiff-rbac-'));
    server = await startApiserver({ dataDir });
    admin = HttpsClient.fromKubeconfig(server.kubeconfig);
    controllers = await startControllerManager(dataDir);
  });
  after(async () => {
    admin?.close();
    await controllers?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const version of VERSIONS) {
    test(`kubectl ${version}: a namespace viewer lists Pods there, may not create one or read another namespace; can-i --list matches`, async () => {
      const ns = `view-${version.replace('.', '-')}`;
      const user = `viewer-${version}`;
      const root = kubectl(version, server.kubeconfig);
      const viewer = kubectl(version, mintKubeconfig(server.dataDir, user, ['devs']));
      try {
        await root.ok(['create', 'namespace', ns]);
        await root.ok(['create', 'rolebinding', 'viewers', '--clusterrole=view', `--user=${user}`, '-n', ns]);
        await eventually(async () => assert.equal((await viewer.run(['get', 'pods', '-n', ns])).code, 0));
        const created = await viewer.run(['run', 'web', '--image=nginx', '-n', ns]);
        assert.notEqual(created.code, 0);
        assert.match(created.stderr, new RegExp(`pods is forbidden: User "${user}" cannot create resource "pods" in API group "" in the namespace "${ns}"`));
        const other = await viewer.run(['get', 'pods', '-n', 'default']);
        assert.notEqual(other.code, 0);
        assert.match(other.stderr, new RegExp(`Error from server \\(Forbidden\\): pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "default"`));
        const list = await viewer.ok(['auth', 'can-i', '--list', '-n', ns]);
        assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
        assert.match(list, /^deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
        assert.doesNotMatch(list, /^secrets\s/m, 'view does not read Secrets');
        assert.match(list, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
        assert.match(list, /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]$/m);
        // What the list says is what is enforced.
        for (const [verb, resource, expected] of [['list', 'pods', 'yes'], ['get', 'deployments.apps', 'yes'], ['create', 'pods', 'no'], ['get', 'secrets', 'no'], ['delete', 'pods', 'no']] as const) {
          const r = await viewer.run(['auth', 'can-i', verb, resource, '-n', ns]);
          assert.equal(r.stdout.trim(), expected, `can-i ${verb} ${resource}`);
        }
        assert.equal((await viewer.run(['get', 'secrets', '-n', ns])).code, 1);
        assert.equal((await viewer.run(['get', 'deployments', '-n', ns])).code, 0);
        const elsewhere = await viewer.ok(['auth', 'can-i', '--list', '-n', 'default']);
        assert.doesNotMatch(elsewhere, /^pods\s/m);
        // Impersonation: the admin checks the viewer's rights with --as; the viewer may not impersonate anyone.
        assert.equal((await root.run(['auth', 'can-i', 'list', 'pods', '-n', ns, `--as=${user}`])).stdout.trim(), 'yes');
        assert.equal((await root.run(['auth', 'can-i', 'create', 'pods', '-n', ns, `--as=${user}`])).stdout.trim(), 'no');
        const asViewer = await root.run(['create', 'configmap', 'x', '-n', ns, `--as=${user}`, '--as-group=devs']);
        assert.match(asViewer.stderr, new RegExp(`configmaps is forbidden: User "${user}" cannot create resource "configmaps" in API group "" in the namespace "${ns}"`));
        const escalate = await viewer.run(['get', 'pods', '-n', ns, '--as=admin']);
        assert.match(escalate.stderr, new RegExp(`users "admin" is forbidden: User "${user}" cannot impersonate resource "users" in API group "" at the cluster scope`));
      } finally {
        root.cleanup();
        viewer.cleanup();
      }
    });

    test(`kubectl ${version}: a namespace admin grants view, may not bind cluster-admin unless it has bind on it`, async () => {
      const ns = `adm-${version.replace('.', '-')}`;
      const user = `nsadmin-${version}`;
      const root = kubectl(version, server.kubeconfig);
      const nsAdmin = kubectl(version, mintKubeconfig(server.dataDir, user));
      try {
        await root.ok(['create', 'namespace', ns]);
        await root.ok(['create', 'rolebinding', 'admins', '--clusterrole=admin', `--user=${user}`, '-n', ns]);
        await eventually(async () => assert.equal((await nsAdmin.run(['auth', 'can-i', 'create', 'rolebindings', '-n', ns])).stdout.trim(), 'yes'));
        await nsAdmin.ok(['create', 'rolebinding', 'carol-view', '--clusterrole=view', '--user=carol', '-n', ns]);
        const refused = await nsAdmin.run(['create', 'rolebinding', 'carol-root', '--clusterrole=cluster-admin', '--user=carol', '-n', ns]);
        assert.notEqual(refused.code, 0);
        assert.match(
          refused.stderr,
          new RegExp(
            `rolebindings\\.rbac\\.authorization\\.k8s\\.io "carol-root" is forbidden: user "${user}" \\(groups=\\["system:authenticated"\\]\\) is attempting to grant RBAC permissions not currently held:\\n` +
              '\\{APIGroups:\\["\\*"\\], Resources:\\["\\*"\\], Verbs:\\["\\*"\\]\\}\\n\\{NonResourceURLs:\\["\\*"\\], Verbs:\\["\\*"\\]\\}',
          ),
        );
        // A Role granting what the admin does not hold needs escalate.
        const escalating = `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: node-reader\n  namespace: ${ns}\nrules:\n- apiGroups: [""]\n  resources: ["nodes"]\n  verbs: ["get"]\n`;
        const role = await nsAdmin.run(['create', '-f', '-'], { input: escalating });
        assert.notEqual(role.code, 0);
        assert.match(role.stderr, /roles\.rbac\.authorization\.k8s\.io "node-reader" is forbidden: user ".*" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/);
        // A Role within what the admin holds is fine.
        await nsAdmin.ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', ns]);

        await root.ok(['create', 'clusterrole', `bind-root-${ns}`, '--verb=bind', '--resource=clusterroles', '--resource-name=cluster-admin']);
        await root.ok(['create', 'rolebinding', 'may-bind', `--clusterrole=bind-root-${ns}`, `--user=${user}`, '-n', ns]);
        await eventually(async () => {
          const r = await nsAdmin.run(['create', 'rolebinding', 'carol-root', '--clusterrole=cluster-admin', '--user=carol', '-n', ns]);
          assert.equal(r.code, 0, r.stderr);
        });
        // Still no way to bind it cluster-wide: bind was granted in the namespace only.
        const crb = await nsAdmin.run(['create', 'clusterrolebinding', `carol-root-${ns}`, '--clusterrole=cluster-admin', '--user=carol']);
        assert.match(crb.stderr, /clusterrolebindings\.rbac\.authorization\.k8s\.io is forbidden: User ".*" cannot create resource "clusterrolebindings" in API group "rbac\.authorization\.k8s\.io" at the cluster scope/);
      } finally {
        root.cleanup();
        nsAdmin.cleanup();
      }
    });
  }

  test('review APIs answer from the same authorizer; wrong-scope and cross-resource requests are refused', async () => {
    const file = mintKubeconfig(server.dataDir, 'reviewer');
    const reviewer = HttpsClient.fromKubeconfig(file);
    const k: Kubectl = kubectl('1.33', server.kubeconfig);
    try {
      await k.ok(['create', 'namespace', 'rev']);
      await k.ok(['create', 'role', 'cm-reader', '--verb=get,list', '--resource=configmaps', '-n', 'rev']);
      await k.ok(['create', 'rolebinding', 'cm-reader', '--role=cm-reader', '--user=reviewer', '-n', 'rev']);
      await eventually(async () => assert.equal((await reviewer.get('/api/v1/namespaces/rev/configmaps')).status, 200));
      const secrets = await reviewer.get('/api/v1/namespaces/rev/secrets');
      assert.equal(secrets.status, 403);
      assert.equal(secrets.json().message, 'secrets is forbidden: User "reviewer" cannot list resource "secrets" in API group "" in the namespace "rev"');
      // A cluster-scoped resource on a namespaced path: the role's namespace grants nothing for it.
      const nodes = await reviewer.get('/api/v1/namespaces/rev/nodes');
      assert.equal(nodes.status, 403);
      assert.equal((await admin.get('/api/v1/namespaces/rev/nodes')).status, 404);
      // Not by a name in the resource either.
      assert.equal((await reviewer.get('/api/v1/namespaces/rev/configmaps/x/status')).status, 403);

      const sar = await admin.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: 'reviewer', groups: ['system:authenticated'], resourceAttributes: { namespace: 'rev', verb: 'list', resource: 'configmaps' } },
      });
      assert.equal(sar.status, 201, sar.body);
      assert.equal(sar.json().status.allowed, true);
      const denied = await admin.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: 'reviewer', resourceAttributes: { namespace: 'rev', verb: 'list', resource: 'secrets' } },
      });
      assert.equal(denied.json().status.allowed, false);
      // A user may not ask about others.
      const notMine = await reviewer.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'x', nonResourceAttributes: { path: '/', verb: 'get' } } });
      assert.equal(notMine.status, 403);
      const rules = await reviewer.post('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'rev' } });
      assert.equal(rules.status, 201, rules.body);
      assert.deepEqual(
        rules.json().status.resourceRules.find((r: { resources: string[] }) => r.resources.includes('configmaps')),
        { verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] },
      );
      assert.equal(rules.json().status.incomplete, false);
      const ssar = await reviewer.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'rev', verb: 'get', resource: 'configmaps', name: 'a' } } });
      assert.equal(ssar.json().status.allowed, true);
    } finally {
      reviewer.close();
      k.cleanup();
    }
  });

  test('a bootstrap role changed by hand is repaired on the next start; one marked autoupdate=false is left alone', async () => {
    const patch = (name: string, body: unknown) => admin.request('PATCH', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`, { body, contentType: 'application/merge-patch+json' });
    assert.equal((await patch('system:basic-user', { rules: [] })).status, 200);
    assert.equal((await patch('system:discovery', { metadata: { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] })).status, 200);
    admin.close();
    await server.stop();
    server = await startApiserver({ dataDir });
    admin = HttpsClient.fromKubeconfig(server.kubeconfig);
    const basic = (await admin.get('/apis/rbac.authorization.k8s.io/v1/clusterroles/system:basic-user')).json();
    assert.ok(basic.rules.some((r: { resources?: string[] }) => r.resources?.includes('selfsubjectaccessreviews')), JSON.stringify(basic.rules));
    assert.deepEqual((await admin.get('/apis/rbac.authorization.k8s.io/v1/clusterroles/system:discovery')).json().rules ?? [], []);
  });
});

describe('--authorization-mode AlwaysAllow', () => {
  test('every authenticated user may do everything, and the rules review says so', async () => {
    const server = await startApiserver({ args: ['--authorization-mode', 'AlwaysAllow'] });
    const alice = HttpsClient.fromKubeconfig(mintKubeconfig(server.dataDir, 'alice'));
    try {
      assert.equal((await alice.get('/api/v1/namespaces')).status, 200);
      assert.equal((await alice.delete('/api/v1/namespaces/kube-public')).status, 403, 'NamespaceLifecycle still protects it');
      const rules = await alice.post('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } });
      assert.deepEqual(rules.json().status.resourceRules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    } finally {
      alice.close();
      await server.stop();
    }
  });
});
