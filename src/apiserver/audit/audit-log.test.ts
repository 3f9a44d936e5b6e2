import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, realClock } from '../../lib/index.js';
import { AuditLog } from './audit-log.js';
import { auditEventLine, type AuditEvent } from './audit-event.js';
import { requestReceived, responseComplete, responseStarted, type AuditRequest } from './audit-stages.js';
import { auditObjects, MAX_AUDIT_OBJECT_CHARS } from './audit-objects.js';
import { AUDIT_METADATA_EVERYTHING, AuditPolicyChecker } from './audit-policy-checker.js';
import { parseAuditPolicy } from './audit-policy.js';

const T0 = Date.UTC(2024, 4, 1);

function request(i: number, over: Partial<AuditRequest> = {}): AuditRequest {
  return {
    auditID: `id-${String(i).padStart(6, '0')}`,
    requestURI: `/api/v1/namespaces/ns${i % 2}/pods/p${i}`,
    verb: 'get',
    user: { username: 'alice', groups: ['system:authenticated'] },
    sourceIPs: ['127.0.0.1'],
    userAgent: 'kubectl/v1.30.0',
    objectRef: { resource: 'pods', namespace: `ns${i % 2}`, name: `p${i}`, apiVersion: 'v1' },
    receivedAt: T0 + i,
    ...over,
  };
}

const complete = (i: number): AuditEvent => responseComplete(request(i), T0 + i + 0.5, { code: 200 });

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-audit-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const lines = async (path: string): Promise<Record<string, unknown>[]> =>
  (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

test('close() flushes every recorded event as one Event JSON line, in order', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'audit.log');
    const log = new AuditLog({ path, clock: new ManualClock(T0) });
    for (let i = 0; i < 5; i++) {
      log.record(requestReceived(request(i)));
      log.record(complete(i));
    }
    await log.close();
    const got = await lines(path);
    assert.equal(got.length, 10);
    for (const [n, e] of got.entries()) {
      assert.equal(e.kind, 'Event');
      assert.equal(e.apiVersion, 'audit.k8s.io/v1');
      assert.equal(e.level, 'Metadata');
      assert.equal(e.auditID, `id-${String(Math.floor(n / 2)).padStart(6, '0')}`);
      assert.equal(e.stage, n % 2 === 0 ? 'RequestReceived' : 'ResponseComplete');
      assert.match(String(e.stageTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
    assert.equal(log.dropped, 0);
  }));

test('batches wait for the clock and go out together', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'audit.log');
    const clock = new ManualClock(T0);
    const log = new AuditLog({ path, clock, flushDelayMs: 50 });
    log.record(complete(1));
    log.record(complete(2));
    assert.equal(clock.pending(), 1);
    await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(stat(path));
    clock.advance(50);
    await log.flush();
    assert.equal((await lines(path)).length, 2);
    await log.close();
  }));

test('rotates before a line would pass maxSizeBytes and keeps maxBackups files', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'audit.log');
    const maxSizeBytes = 2000;
    const log = new AuditLog({ path, maxSizeBytes, maxBackups: 2, clock: realClock });
    const total = 60;
    let longest = 0;
    for (let i = 0; i < total; i++) {
      const e = complete(i);
      longest = Math.max(longest, JSON.stringify(e).length + 1);
      log.record(e);
      if (i % 7 === 0) await log.flush();
    }
    await log.close();
    assert.deepEqual((await readdir(dir)).sort(), ['audit.log', 'audit.log.1', 'audit.log.2']);
    for (const f of ['audit.log.2', 'audit.log.1']) {
      const size = (await stat(join(dir, f))).size;
      assert.ok(size <= maxSizeBytes && size > maxSizeBytes - longest, `${f} is ${size} bytes`);
    }
    assert.ok((await stat(path)).size <= maxSizeBytes);
    const kept = [...(await lines(`${path}.2`)), ...(await lines(`${path}.1`)), ...(await lines(path))];
    const ids = kept.map((e) => Number(String(e.auditID).slice(3)));
    assert.ok(ids.length < total);
    assert.deepEqual(ids, Array.from({ length: ids.length }, (_, k) => total - ids.length + k));
  }));

test('appends to an existing file and counts its size toward rotation', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'audit.log');
    await writeFile(path, 'x'.repeat(900) + '\n');
    const log = new AuditLog({ path, maxSizeBytes: 1000, maxBackups: 1, clock: realClock });
    log.record(complete(1));
    await log.close();
    assert.equal((await readFile(`${path}.1`, 'utf8')).length, 901);
    assert.equal((await lines(path)).length, 1);
  }));

test('the ring is bounded and recent() filters by auditID, time and objectRef', async () => {
  const log = new AuditLog({ ringSize: 100, clock: new ManualClock(T0) });
  for (let i = 0; i < 250; i++) log.record(complete(i));
  const all = log.recent();
  assert.equal(all.length, 100);
  assert.equal(all[0]?.auditID, 'id-000150');
  assert.equal(all[99]?.auditID, 'id-000249');
  assert.deepEqual(log.recent({ auditID: 'id-000200' }).map((e) => e.auditID), ['id-000200']);
  assert.equal(log.recent({ auditID: 'id-000010' }).length, 0);
  assert.equal(log.recent({ since: T0 + 240 }).length, 10);
  assert.equal(log.recent({ objectRef: { resource: 'pods', namespace: 'ns1' } }).length, 50);
  assert.deepEqual(log.recent({ objectRef: { name: 'p201' } }).map((e) => e.auditID), ['id-000201']);
  await log.close();
});

test('a burst of 10,000 records does not block and every line arrives after close()', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'audit.log');
    const log = new AuditLog({ path, clock: realClock });
    const events = Array.from({ length: 10_000 }, (_, i) => complete(i));
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (const e of events) log.record(e);
    const { user, system } = process.cpuUsage(cpu);
    const wallUs = ((performance.now() - start) * 1000) / events.length;
    // CPU time, not wall time: other test files share the machine and preempt this process.
    const cpuUs = (user + system) / events.length;
    assert.ok(cpuUs < 20, `record() averaged ${cpuUs.toFixed(2)} µs of CPU (${wallUs.toFixed(2)} µs wall)`);
    await log.close();
    const got = await lines(path);
    assert.equal(got.length, 10_000);
    assert.equal(got[9_999]?.auditID, 'id-009999');
    log.record(complete(10_000));
    assert.equal(log.dropped, 1);
  }));

test('a file that cannot be written reports the error and counts the lost events', () =>
  withTempDir(async (dir) => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, '');
    const errors: unknown[] = [];
    const log = new AuditLog({ path: join(blocker, 'audit.log'), clock: realClock, onError: (e) => errors.push(e) });
    log.record(complete(1));
    log.record(complete(2));
    await log.close();
    assert.equal(errors.length, 1);
    assert.equal(log.dropped, 2);
    assert.equal(log.recent().length, 2);
  }));

test('the file follows the policy (level, None, omitStages, objects) while the ring keeps every event at Metadata', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'audit.log');
    const policy = new AuditPolicyChecker(
      parseAuditPolicy(`apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- {level: None, users: [alice], verbs: [get]}
- {level: RequestResponse, verbs: [create], omitManagedFields: true}
- {level: Request, verbs: [update], omitStages: [ResponseComplete]}
- {level: Metadata}
`),
    );
    const log = new AuditLog({ path, policy, clock: new ManualClock(T0) });
    const alice = { username: 'alice', groups: ['system:authenticated'] };
    const info = (verb: string) => ({ verb, isResourceRequest: true, path: '/api/v1/namespaces/ns0/pods', namespace: 'ns0', apiGroup: '', resource: 'pods', subresource: '', name: '' });
    for (const [i, verb] of ['get', 'create', 'update', 'delete', 'watch'].entries()) {
      const config = log.configFor(alice, info(verb));
      const r = request(i, { verb });
      log.record(requestReceived(r), config);
      if (verb === 'watch') log.record(responseStarted(r, T0 + i), config);
      const bodies = {
        request: Buffer.from(`{\n "kind": "Pod", "metadata": {"name": "p${i}", "managedFields": [{"manager": "m"}]}}`),
        response: `{"kind":"Pod","metadata":{"name":"p${i}","managedFields":[{"manager":"m"}]}}`,
      };
      log.record(responseComplete(r, T0 + i + 0.5, { code: 200 }), config, auditObjects(bodies, config));
    }
    await log.close();
    const got = await lines(path);
    assert.deepEqual(
      got.map((e) => `${String(e.verb)} ${String(e.stage)} ${String(e.level)}`),
      ['create ResponseComplete RequestResponse', 'delete ResponseComplete Metadata', 'watch ResponseStarted Metadata', 'watch ResponseComplete Metadata'],
    );
    assert.deepEqual(got[0]?.requestObject, { kind: 'Pod', metadata: { name: 'p1' } });
    assert.deepEqual(got[0]?.responseObject, { kind: 'Pod', metadata: { name: 'p1' } });
    assert.deepEqual(Object.keys(got[0]!).slice(-5), ['responseStatus', 'requestObject', 'responseObject', 'requestReceivedTimestamp', 'stageTimestamp']);
    assert.equal(got[1]?.requestObject, undefined);
    assert.equal(log.recent().length, 11);
    assert.ok(log.recent().every((e) => e.level === 'Metadata'));
  }));

test('objects: Request keeps the request only, a body that does not decode or is too big is left out (and noted)', () => {
  const request = { ...AUDIT_METADATA_EVERYTHING, level: 'Request' as const };
  const both = { ...AUDIT_METADATA_EVERYTHING, level: 'RequestResponse' as const };
  assert.deepEqual(auditObjects({ request: Buffer.from('{"a":1}'), response: '{"b":2}' }, request), { requestObject: '{"a":1}', responseObject: undefined, truncated: false });
  assert.deepEqual(auditObjects({ request: Buffer.from('a: [1]\n'), requestContentType: 'application/apply-patch+yaml' }, request)?.requestObject, '{"a":[1]}');
  assert.equal(auditObjects({ request: Buffer.from('{nope') }, request), undefined);
  const decoded = { request: Buffer.from([0x6b, 0x38, 0x73, 0]), requestJson: '{"kind":"Pod","metadata":{"name":"p","managedFields":[]}}' };
  assert.equal(auditObjects(decoded, request)?.requestObject, decoded.requestJson, 'the decoded object wins over the raw (here protobuf) body');
  assert.equal(auditObjects(decoded, { ...request, omitManagedFields: true })?.requestObject, '{"kind":"Pod","metadata":{"name":"p"}}');
  assert.equal(auditObjects({}, both), undefined);
  const list = `{"kind":"PodList","items":[${Array.from({ length: 2000 }, (_, i) => `{"metadata":{"name":"pod-${i}","uid":"${'u'.repeat(100)}"}}`).join(',')}]}`;
  assert.ok(list.length > MAX_AUDIT_OBJECT_CHARS);
  assert.deepEqual(auditObjects({ response: list }, both), { requestObject: undefined, responseObject: undefined, truncated: true });
  const line = JSON.parse(auditEventLine(complete(1), 'RequestResponse', { truncated: true })) as { annotations: Record<string, string> };
  assert.deepEqual(line.annotations, { 'audit.k8s.io/truncated': 'true' });
});

test('maxBackups 0 keeps every rotated file; maxAgeMs removes rotated files last written before it', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'audit.log');
    const all = new AuditLog({ path, maxSizeBytes: 600, maxBackups: 0, clock: realClock });
    for (let i = 0; i < 30; i++) {
      all.record(complete(i));
      await all.flush();
    }
    await all.close();
    const files = (await readdir(dir)).length;
    assert.ok(files > 5, `${files} files`);
    const old = (Date.now() - 3 * 24 * 3600 * 1000) / 1000;
    for (const f of await readdir(dir)) if (f !== 'audit.log') await utimes(join(dir, f), old, old);
    const aging = new AuditLog({ path, maxSizeBytes: 600, maxBackups: 0, maxAgeMs: 24 * 3600 * 1000, clock: realClock });
    for (let i = 0; i < 3; i++) aging.record(complete(i));
    await aging.close();
    const kept = (await readdir(dir)).sort();
    assert.ok(kept.length < files && kept.includes('audit.log.1'), kept.join(' '));
    for (const f of kept) assert.ok((await stat(join(dir, f))).mtimeMs > old * 1000 + 1000, f);
  }));
