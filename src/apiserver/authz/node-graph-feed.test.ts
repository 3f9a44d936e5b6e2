import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SqliteStorage } from '../../storage/index.js';
import { encodeForStorage, cachedFromStorage } from '../registry/object-codec.js';
import type { KubeObject } from '../kube-object.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { Cacher } from '../watch-cache/cacher.js';
import { NodeGraph } from './node-graph.js';
import { feedNodeGraph } from './node-graph-feed.js';

const def = { keyPrefix: '/registry/pods/', namespaced: true } as ResourceDefinition;

function pod(name: string, node: string | undefined, secret: string, annotations?: Record<string, string>): KubeObject {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, annotations },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'i', envFrom: [{ secretRef: { name: secret } }] }] },
  };
  return p as KubeObject;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

test('the graph follows Pods through binding and deletion, unbound Pods (even ones naming nodeName elsewhere) add nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'node-graph-feed-'));
  const storage = SqliteStorage.open({ path: join(dir, 'state.db') });
  const ac = new AbortController();
  try {
    const cacher = new Cacher({ storage, prefix: '/registry/pods/', decode: (kv) => cachedFromStorage(def, kv) });
    const graph = new NodeGraph();
    const runs = [cacher.run(ac.signal), feedNodeGraph({ def, cacher }, graph, ac.signal)];
    const key = (name: string) => `/registry/pods/ns/${name}`;
    // Present before the feed starts (initial state) and bound.
    const a = await storage.create(key('a'), encodeForStorage(pod('a', 'n1', 's1')));
    await until(() => graph.hasPath('n1', 'secret', 'ns', 's1'), 'the bound Pod a');
    // Unbound: nothing, including an annotation called nodeName (the text mentions it, the spec does not).
    await storage.create(key('b'), encodeForStorage(pod('b', undefined, 's2', { nodeName: 'n2' })));
    const c = await storage.create(key('c'), encodeForStorage(pod('c', undefined, 's3')));
    await until(() => cacher.currentRevision() >= c.modRevision, 'the cache to see c');
    assert.equal(graph.hasNode('n2'), false);
    assert.equal(graph.hasPath('n1', 'secret', 'ns', 's3'), false);
    // Binding c to n1 relates its secret to n1.
    const bound = await storage.update(key('c'), encodeForStorage(pod('c', 'n1', 's3')), c.modRevision);
    await until(() => graph.hasPath('n1', 'secret', 'ns', 's3'), 'the bound Pod c');
    // Deleting a keeps what c still relates; deleting c empties the node.
    await storage.delete(key('a'), a.modRevision);
    await until(() => !graph.hasPath('n1', 'secret', 'ns', 's1'), 'a to leave the graph');
    assert.equal(graph.hasPath('n1', 'pod', 'ns', 'c'), true);
    await storage.delete(key('c'), bound.modRevision);
    await until(() => !graph.hasNode('n1'), 'c to leave the graph');
    ac.abort();
    await Promise.all(runs);
  } finally {
    ac.abort();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
