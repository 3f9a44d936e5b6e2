// --audit-policy-file: the audit log follows the policy (levels, None, omitStages, request and response objects) for
// real kubectl; an unusable policy stops the server with the reason; the trace API keeps working when nothing is logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver } from '../support/skiff-process.js';

const skiffBin = new URL('../../../bin/skiff', import.meta.url).pathname;

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  # the admin's reads of single objects (discovery included) are not logged
  - level: None
    users: [admin]
    verbs: [get]
  - level: RequestResponse
    namespaces: [audited]
    resources:
      - group: ""
        resources: [pods]
    verbs: [create]
  - level: Metadata
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx
`;

interface AuditLine {
  level: string;
  stage: string;
  verb: string;
  requestURI: string;
  userAgent?: string;
  objectRef?: { resource?: string; namespace?: string; name?: string };
  requestObject?: { kind?: string; metadata?: { name?: string; uid?: string } };
  responseObject?: { kind?: string; metadata?: { name?: string; uid?: string; namespace?: string } };
}

function withTempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

for (const version of ['1.27', '1.33']) {
  test(`kubectl ${version}: the audit log has exactly the lines and levels the policy asks for`, { skip: kubectlSkipReason(version) }, async () => {
    const tmp = withTempDir('skiff-audit-policy-');
    const policy = join(tmp.dir, 'policy.yaml');
    const log = join(tmp.dir, 'logs', 'audit.log');
    writeFileSync(policy, POLICY);
    writeFileSync(join(tmp.dir, 'pod.yaml'), POD);
    const dataDir = join(tmp.dir, 'data');
    const server = await startApiserver({ dataDir, args: ['--audit-policy-file', policy, '--audit-log-path', log] });
    const k = kubectl(version, server.kubeconfig);
    try {
      await k.ok(['create', 'namespace', 'audited']);
      await k.ok(['create', 'namespace', 'plain']);
      await k.ok(['create', '-f', join(tmp.dir, 'pod.yaml'), '-n', 'audited']);
      await k.ok(['create', '-f', join(tmp.dir, 'pod.yaml'), '-n', 'plain']);
      assert.equal((await k.ok(['get', 'pod', 'web', '-n', 'audited', '-o', 'name'])).trim(), 'pod/web');
      await k.ok(['get', 'pods', '-n', 'plain']);
      await server.stop();
      assert.ok(!existsSync(join(dataDir, 'audit.log')), 'with --audit-log-path there is no DATA_DIR/audit.log');
      const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditLine).filter((e) => e.userAgent?.startsWith('kubectl'));
      const ns = (e: AuditLine) => e.objectRef?.namespace ?? '-';
      assert.deepEqual(
        lines.map((e) => `${e.level} ${e.stage} ${e.verb} ${e.objectRef?.resource ?? e.requestURI} ${ns(e)}`),
        [
          'Metadata ResponseComplete create namespaces -',
          'Metadata ResponseComplete create namespaces -',
          'RequestResponse ResponseComplete create pods audited',
          'Metadata ResponseComplete create pods plain',
          'Metadata ResponseComplete list pods plain',
        ],
      );
      const [created] = lines.filter((e) => e.level === 'RequestResponse');
      assert.equal(created?.requestObject?.kind, 'Pod');
      assert.equal(created?.requestObject?.metadata?.name, 'web');
      assert.equal(created?.requestObject?.metadata?.uid, undefined, 'the request is what kubectl sent');
      assert.equal(created?.responseObject?.kind, 'Pod');
      assert.equal(created?.responseObject?.metadata?.namespace, 'audited');
      assert.match(created?.responseObject?.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
      for (const e of lines.filter((l) => l.level === 'Metadata')) assert.ok(!('requestObject' in e) && !('responseObject' in e), JSON.stringify(e));
    } finally {
      k.cleanup();
      await server.stop();
      tmp.remove();
    }
  });
}

test('an unusable policy file stops the API server with status 1 and names the problem', async () => {
  const tmp = withTempDir('skiff-audit-policy-');
  try {
    const policy = join(tmp.dir, 'policy.yaml');
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Everything\n');
    await assert.rejects(
      startApiserver({ dataDir: join(tmp.dir, 'data'), args: ['--audit-policy-file', policy] }),
      /exited with 1:[\s\S]*--audit-policy-file .*policy\.yaml: rules\[0\]\.level: Unsupported value: "Everything"/,
    );
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n');
    await assert.rejects(startApiserver({ dataDir: join(tmp.dir, 'data'), args: ['--audit-policy-file', policy] }), /exited with 1:[\s\S]*loaded illegal policy with 0 rules/);
  } finally {
    tmp.remove();
  }
});

test('under a policy that logs nothing the trace API still answers from the audit ring', { skip: kubectlSkipReason('1.33') }, async () => {
  const tmp = withTempDir('skiff-audit-policy-');
  const policy = join(tmp.dir, 'policy.yaml');
  writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n');
  const dataDir = join(tmp.dir, 'data');
  const server = await startApiserver({ dataDir, args: ['--audit-policy-file', policy] });
  const k = kubectl('1.33', server.kubeconfig);
  try {
    await k.ok(['create', 'configmap', 'settings', '--from-literal', 'a=1']);
    await k.ok(['label', 'configmap', 'settings', 'tier=web']);
    const trace = JSON.parse(await k.ok(['get', '--raw', '/apis/trace.skiff.dev/v1alpha1/namespaces/default/traces/configmaps.settings'])) as {
      kind: string;
      records: { type: string; verb?: string; user?: string }[];
    };
    assert.equal(trace.kind, 'Trace');
    assert.deepEqual(trace.records.filter((r) => r.type === 'Request').map((r) => `${r.verb} ${r.user}`), ['create admin', 'patch admin']);
    await server.stop();
    assert.equal(existsSync(join(dataDir, 'audit.log')) ? readFileSync(join(dataDir, 'audit.log'), 'utf8') : '', '', 'the log file gets nothing');
  } finally {
    k.cleanup();
    await server.stop();
    tmp.remove();
  }
});

test('skiff server takes the same audit flags', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [skiffBin, 'server', '--help'], { timeout: 20_000 });
  for (const flag of ['--audit-policy-file', '--audit-log-path', '--audit-log-maxsize', '--audit-log-maxbackup', '--audit-log-maxage']) assert.ok(stdout.includes(flag), flag);
});
