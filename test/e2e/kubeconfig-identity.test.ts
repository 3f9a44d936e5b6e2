// `skiff kubeconfig` mints identities the server recognises: kubectl auth whoami reports the user and groups.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const skiff = new URL('../../../bin/skiff', import.meta.url).pathname;

describe('identities from skiff kubeconfig', { skip: kubectlSkipReason('1.31') }, () => {
  let server: SkiffProcess;
  before(async () => {
    server = await startApiserver();
  });
  after(() => server?.stop());

  test('kubectl auth whoami and can-i (1.28, 1.31) for the admin and a minted user', async () => {
    const alice = join(server.dataDir, 'alice.yaml');
    execFileSync(process.execPath, [skiff, 'kubeconfig', '--data-dir', server.dataDir, '--user', 'alice', '--group', 'devs', '--group', 'ops', '-o', alice]);
    for (const version of ['1.28', '1.31']) {
      const admin = kubectl(version, server.kubeconfig);
      const user = kubectl(version, alice);
      try {
        const a = await admin.ok(['auth', 'whoami']);
        assert.match(a, /Username\s+admin/);
        assert.match(a, /Groups\s+\[system:masters system:authenticated\]/);
        const u = await user.ok(['auth', 'whoami', '-o', 'json']);
        const review = JSON.parse(u) as { status: { userInfo: { username: string; groups: string[] } } };
        assert.equal(review.status.userInfo.username, 'alice');
        assert.deepEqual(review.status.userInfo.groups, ['devs', 'ops', 'system:authenticated']);
        // RBAC: the admin (system:masters) may do everything; a minted user only what is bound to it.
        assert.match((await user.run(['get', 'namespaces'])).stderr, /namespaces is forbidden: User "alice" cannot list resource "namespaces"/);
        assert.equal((await admin.ok(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
        assert.equal((await user.run(['auth', 'can-i', 'delete', 'nodes'])).stdout.trim(), 'no');
        assert.match(await admin.ok(['auth', 'can-i', '--list']), /\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
      } finally {
        admin.cleanup();
        user.cleanup();
      }
    }
  });
});
