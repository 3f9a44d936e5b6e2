// The same `kubectl create <generator>` sent as JSON (kubectl 1.31) and as protobuf (kubectl 1.33) must store
// the same object: `get -o json` of both is equal once what differs by nature is removed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Generator {
  readonly kind: string;
  /** The `get` resource name. */
  readonly resource: string;
  readonly clusterScoped?: boolean;
  /** `create` arguments for name `name` in namespace `ns` (cluster-scoped kinds get a distinct name instead). */
  readonly args: (name: string, ns: string) => string[];
}

const generators: Generator[] = [
  { kind: 'namespace', resource: 'namespace', clusterScoped: true, args: (name) => ['create', 'namespace', name] },
  { kind: 'configmap', resource: 'configmap', args: (n, ns) => ['create', 'configmap', n, '--from-literal=a=1', '--from-literal=b=two', '-n', ns] },
  { kind: 'secret', resource: 'secret', args: (n, ns) => ['create', 'secret', 'generic', n, '--from-literal=p=q', '--type=Opaque', '-n', ns] },
  { kind: 'deployment', resource: 'deployment', args: (n, ns) => ['create', 'deployment', n, '--image=nginx', '--replicas=2', '--port=80', '-n', ns] },
  { kind: 'service', resource: 'service', args: (n, ns) => ['create', 'service', 'clusterip', n, '--tcp=80:8080', '-n', ns] },
  { kind: 'serviceaccount', resource: 'serviceaccount', args: (n, ns) => ['create', 'serviceaccount', n, '-n', ns] },
  { kind: 'job', resource: 'job', args: (n, ns) => ['create', 'job', n, '--image=busybox', '-n', ns, '--', 'echo', 'hi'] },
  { kind: 'cronjob', resource: 'cronjob', args: (n, ns) => ['create', 'cronjob', n, '--image=busybox', '--schedule=*/5 * * * *', '-n', ns, '--', 'echo', 'hi'] },
  { kind: 'role', resource: 'role', args: (n, ns) => ['create', 'role', n, '--verb=get,list', '--resource=pods,deployments.apps', '-n', ns] },
  { kind: 'rolebinding', resource: 'rolebinding', args: (n, ns) => ['create', 'rolebinding', n, '--role=r1', '--user=alice', '--group=devs', '--serviceaccount=default:robot', '-n', ns] },
  { kind: 'clusterrole', resource: 'clusterrole', clusterScoped: true, args: (n) => ['create', 'clusterrole', n, '--verb=get,list,watch', '--resource=pods,nodes', '--resource=deployments.apps'] },
  { kind: 'clusterrolebinding', resource: 'clusterrolebinding', clusterScoped: true, args: (n) => ['create', 'clusterrolebinding', n, '--clusterrole=view', '--user=alice', '--group=devs'] },
];

/** Removes what differs by nature between two creations; `name` is replaced by a placeholder where it had to differ. */
function normalise(obj: Json, name: string, differentNames: boolean): Json {
  const o = structuredClone(obj);
  const m = o.metadata;
  delete m.uid;
  delete m.resourceVersion;
  delete m.creationTimestamp;
  delete m.namespace;
  if (differentNames) {
    m.name = '<name>';
    // a namespace's own name label
    if (m.labels?.['kubernetes.io/metadata.name'] === name) m.labels['kubernetes.io/metadata.name'] = '<name>';
  }
  for (const f of m.managedFields ?? []) delete f.time;
  // Service: allocated addresses
  if (o.kind === 'Service') {
    delete o.spec.clusterIP;
    delete o.spec.clusterIPs;
  }
  // Job: the controller-uid labels and selector embed the uid
  if (o.kind === 'Job') {
    const strip = (labels: Record<string, string> | undefined) => {
      if (!labels) return;
      for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid']) delete labels[k];
    };
    strip(m.labels);
    strip(o.spec?.selector?.matchLabels);
    strip(o.spec?.template?.metadata?.labels);
  }
  return o;
}

/** Paths at which two JSON values differ (for the report). */
function differences(a: Json, b: Json, at = ''): string[] {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${at || '/'}: json=${JSON.stringify(a)?.slice(0, 200)} protobuf=${JSON.stringify(b)?.slice(0, 200)}`];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => differences(a[k], b[k], `${at}/${k}`));
}

describe('JSON (kubectl 1.31) and protobuf (kubectl 1.33) create the same objects', { skip: kubectlSkipReason('1.31') ?? kubectlSkipReason('1.33') }, () => {
  let server: SkiffProcess;
  let k31: Kubectl;
  let k33: Kubectl;
  const nsJson = 'eq-json';
  const nsProto = 'eq-proto';
  before(async () => {
    server = await startApiserver();
    k31 = kubectl('1.31', server.kubeconfig);
    k33 = kubectl('1.33', server.kubeconfig);
    await k31.ok(['create', 'namespace', nsJson]);
    await k31.ok(['create', 'namespace', nsProto]);
  });
  after(async () => {
    k31?.cleanup();
    k33?.cleanup();
    await server?.stop();
  });

  for (const g of generators) {
    test(`create ${g.kind}`, async () => {
      const nameJson = g.clusterScoped ? `eq-${g.kind}-json` : `eq-${g.kind}`;
      const nameProto = g.clusterScoped ? `eq-${g.kind}-proto` : `eq-${g.kind}`;
      const jsonRun = await k31.run(['-v=8', ...g.args(nameJson, nsJson)]);
      assert.equal(jsonRun.code, 0, jsonRun.stderr);
      assert.doesNotMatch(jsonRun.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/, 'kubectl 1.31 sent JSON');
      const protoRun = await k33.run(['-v=8', ...g.args(nameProto, nsProto)]);
      assert.equal(protoRun.code, 0, protoRun.stderr);
      // kubectl 1.33 sends the generator's object as protobuf; make sure this run really did.
      assert.match(protoRun.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/, 'kubectl 1.33 sent protobuf');
      const get = (k: Kubectl, name: string, ns: string) => k.ok(['get', g.resource, name, ...(g.clusterScoped ? [] : ['-n', ns]), '-o', 'json']).then((s) => JSON.parse(s) as Json);
      // Both read back with the same client so the output format is the same.
      const viaJson = await get(k33, nameJson, nsJson);
      const viaProto = await get(k33, nameProto, nsProto);
      const a = normalise(viaJson, nameJson, g.clusterScoped === true);
      const b = normalise(viaProto, nameProto, g.clusterScoped === true);
      const diffs = differences(a, b);
      assert.deepEqual(diffs, [], `${g.kind}: JSON-created and protobuf-created objects differ:\n${diffs.join('\n')}`);
    });
  }
});
