// The audit log records every request; /metrics scrapes in Prometheus text format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver } from '../support/skiff-process.js';

const METRIC_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/;

test('audit events and metrics for kubectl requests', { skip: kubectlSkipReason('1.33') }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-audit-'));
  const server = await startApiserver({ dataDir });
  const k = kubectl('1.33', server.kubeconfig);
  try {
    const manifest = new URL('../../../examples/replicaset.yaml', import.meta.url).pathname;
    await k.ok(['create', '-f', manifest]);
    const metrics = await k.ok(['get', '--raw', '/metrics']);
    for (const line of metrics.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      assert.match(line, METRIC_LINE);
    }
    assert.match(metrics, /^apiserver_request_total\{verb="POST",dry_run="",group="apps",version="v1",resource="replicasets",subresource="",scope="resource",component="apiserver",code="201"\} 1$/m);
    assert.match(metrics, /^# TYPE apiserver_request_duration_seconds histogram$/m);
    assert.match(metrics, /^apiserver_storage_objects\{resource="replicasets\.apps"\} 1$/m);
    await server.stop();
    const events = readFileSync(join(server.dataDir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { stage: string; verb: string; objectRef?: { resource: string; name?: string; apiGroup?: string }; responseStatus?: { code: number }; user: { username: string } });
    const create = events.filter((e) => e.verb === 'create' && e.objectRef?.resource === 'replicasets');
    assert.deepEqual(create.map((e) => e.stage), ['RequestReceived', 'ResponseComplete']);
    assert.equal(create[1]!.responseStatus?.code, 201);
    assert.equal(create[1]!.user.username, 'admin');
    assert.equal(create[1]!.objectRef?.apiGroup, 'apps');
  } finally {
    k.cleanup();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
