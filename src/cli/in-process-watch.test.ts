import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { ApiServer } from '../apiserver/index.js';
import { RestClient, type WatchEvent } from '../client/index.js';
import { SqliteStorage } from '../storage/index.js';
import { credentialsFromKubeconfig, HttpsClient } from '../../test/support/https-client.js';
import { inProcessTransport } from './in-process-transport.js';

async function next<T>(it: AsyncIterator<WatchEvent<T>>, name: string): Promise<WatchEvent<T>> {
  for (;;) {
    const r = await it.next();
    if (r.done) throw new Error(`the watch ended before ${name}`);
    if ((r.value.object as { metadata?: { name?: string } }).metadata?.name === name) return r.value;
  }
}

test("an in-process watch gets the watch cache's frozen object, equal to what an HTTPS watcher decodes", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-inprocess-watch-'));
  const storage = SqliteStorage.open({ path: join(dir, 'state.db') });
  const server = new ApiServer({ dataDir: dir, storage, port: 0 });
  const ac = new AbortController();
  try {
    await server.start();
    await server.ready();
    const inProcess = new RestClient(inProcessTransport(server.inProcess({ username: 'admin', groups: ['system:masters', 'system:authenticated'] }))).kind<ConfigMap>('v1', 'ConfigMap');
    const second = new RestClient(inProcessTransport(server.inProcess({ username: 'other', groups: ['system:masters', 'system:authenticated'] }))).kind<ConfigMap>('v1', 'ConfigMap');
    const api = new HttpsClient(credentialsFromKubeconfig(join(dir, 'kubeconfig.yaml')));
    const start = (await inProcess.list('default')).metadata.resourceVersion;
    const mine = inProcess.watch('default', { resourceVersion: start }, ac.signal)[Symbol.asyncIterator]();
    const theirs = second.watch('default', { resourceVersion: start }, ac.signal)[Symbol.asyncIterator]();
    const https = await api.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`);
    await inProcess.create('default', { metadata: { name: 'shared', labels: { a: 'b' } }, data: { k: 'v' } });
    const got = await next(mine, 'shared');
    const other = await next(theirs, 'shared');
    const overHttps = await https.collectUntil((events) => events.some((e) => (e.object as ConfigMap).metadata?.name === 'shared'), 5000);
    https.abort();
    api.close();
    assert.equal(got.type, 'ADDED');
    assert.deepEqual(got.object, overHttps.find((e) => (e.object as ConfigMap).metadata?.name === 'shared')!.object);
    assert.equal(other.object, got.object, 'both in-process watchers share one object');
    assert.ok(Object.isFrozen(got.object) && Object.isFrozen(got.object.metadata!.labels) && Object.isFrozen(got.object.data));
    assert.throws(() => {
      (got.object.data as Record<string, string>).k = 'changed';
    }, TypeError);
    // The cache's copy is unchanged: a later reader sees the stored value.
    assert.equal((await inProcess.get('default', 'shared')).data?.k, 'v');
  } finally {
    ac.abort();
    await server.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
