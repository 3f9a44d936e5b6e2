import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../storage/index.js';
import { credentialsFromKubeconfig, HttpsClient } from '../../test/support/https-client.js';
import { ApiServer } from './api-server.js';

test('every watch event sent is noted in the watch-delivery ring with who received it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-deliveries-'));
  const storage = SqliteStorage.open({ path: join(dir, 'state.db') });
  const server = new ApiServer({ dataDir: dir, storage, port: 0 });
  try {
    await server.start();
    await server.ready();
    const api = new HttpsClient(credentialsFromKubeconfig(join(dir, 'kubeconfig.yaml')));
    const watch = await api.watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1');
    const created = await api.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seen' } });
    assert.equal(created.status, 201);
    await watch.collectUntil((events) => events.some((e) => (e.object as { metadata?: { name?: string } }).metadata?.name === 'seen'), 5000);
    watch.abort();
    api.close();
    const rv = (created.json() as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const noted = server.watchDeliveries.query({ resource: 'configmaps', namespace: 'default', name: 'seen' });
    assert.deepEqual(noted.map((d) => [d.type, d.user, d.resourceVersion]), [['ADDED', 'admin', rv]]);
  } finally {
    await server.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
