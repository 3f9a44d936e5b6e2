// Services get a ClusterIP (and NodePorts) from their ranges, released on delete; the kubernetes Service exists.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

interface Service {
  spec: { clusterIP: string; clusterIPs: string[]; type: string; ports: { port: number; nodePort?: number; targetPort: number | string }[] };
}

const inServiceRange = (ip: string) => {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 && b! >= 96 && b! <= 111;
};

describe('services', { skip: kubectlSkipReason('1.27') }, () => {
  let server: SkiffProcess;
  before(async () => {
    server = await startApiserver({ args: ['--service-node-port-range', '30000-30002'] });
  });
  after(() => server?.stop());

  test('the kubernetes Service holds the first address of the range', async () => {
    const k = kubectl('1.33', server.kubeconfig);
    try {
      const svc = JSON.parse(await k.ok(['get', 'service', 'kubernetes', '-o', 'json'])) as Service;
      assert.equal(svc.spec.clusterIP, '10.96.0.1');
      assert.equal(svc.spec.ports[0]!.port, 443);
    } finally {
      k.cleanup();
    }
  });

  test('kubectl 1.27 create service clusterip gets an address in range; NodePorts come from their range and are freed on delete', async () => {
    const k = kubectl('1.27', server.kubeconfig);
    try {
      await k.ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
      const web = JSON.parse(await k.ok(['get', 'service', 'web', '-o', 'json'])) as Service;
      assert.ok(inServiceRange(web.spec.clusterIP), web.spec.clusterIP);
      assert.deepEqual(web.spec.clusterIPs, [web.spec.clusterIP]);
      assert.match(await k.ok(['get', 'svc', 'web']), new RegExp(`^web\\s+ClusterIP\\s+${web.spec.clusterIP.replace(/\./g, '\\.')}\\s+<none>\\s+80/TCP`, 'm'));

      const ports = new Set<number>();
      for (const name of ['np1', 'np2', 'np3']) {
        await k.ok(['create', 'service', 'nodeport', name, '--tcp=80:8080']);
        const svc = JSON.parse(await k.ok(['get', 'service', name, '-o', 'json'])) as Service;
        ports.add(svc.spec.ports[0]!.nodePort!);
      }
      assert.deepEqual([...ports].sort(), [30000, 30001, 30002]);
      const full = await k.run(['create', 'service', 'nodeport', 'np4', '--tcp=80:8080']);
      assert.notEqual(full.code, 0);
      assert.match(full.stderr, /range is full/);
      await k.ok(['delete', 'service', 'np2']);
      await k.ok(['create', 'service', 'nodeport', 'np4', '--tcp=80:8080']);
      await k.ok(['delete', 'service', 'web']);
      const taken = await k.run(['create', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'again' }, spec: { clusterIP: web.spec.clusterIP, ports: [{ port: 80 }] } }),
      });
      assert.equal(taken.code, 0, `the freed address can be taken again: ${taken.stderr}`);
      const dup = await k.run(['create', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dup' }, spec: { clusterIP: web.spec.clusterIP, ports: [{ port: 80 }] } }),
      });
      assert.notEqual(dup.code, 0);
      assert.match(dup.stderr, /provided IP is already allocated/);
    } finally {
      k.cleanup();
    }
  });

  test('kubectl records managedFields per manager', async () => {
    const k = kubectl('1.33', server.kubeconfig);
    try {
      await k.ok(['create', 'configmap', 'owned', '--from-literal=a=1', '--dry-run=client', '-o', 'json']).then((json) => k.ok(['create', '-f', '-'], { input: json }));
      await k.ok(['label', 'configmap', 'owned', 'tier=web']);
      const cm = JSON.parse(await k.ok(['get', 'configmap', 'owned', '-o', 'json', '--show-managed-fields'])) as {
        metadata: { managedFields: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[] };
      };
      assert.deepEqual(cm.metadata.managedFields.map((m) => [m.manager, m.operation]), [['kubectl-create', 'Update'], ['kubectl-label', 'Update']]);
      assert.deepEqual(cm.metadata.managedFields[0]!.fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
      assert.deepEqual(cm.metadata.managedFields[1]!.fieldsV1, { 'f:metadata': { 'f:labels': { '.': {}, 'f:tier': {} } } });
    } finally {
      k.cleanup();
    }
  });
});
