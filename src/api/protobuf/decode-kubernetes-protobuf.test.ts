import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf, decodableKinds, ProtobufDecodeError } from './index.js';
import { envelope, objectMeta, WireWriter } from './test-wire-writer.js';

function body(apiVersion: string, kind: string, build: (w: WireWriter) => unknown): Uint8Array {
  const w = new WireWriter();
  build(w);
  return envelope(apiVersion, kind, w.finish());
}

function decodeError(data: Uint8Array): ProtobufDecodeError {
  try {
    decodeKubernetesProtobuf(data);
  } catch (err) {
    assert.ok(err instanceof ProtobufDecodeError);
    return err;
  }
  assert.fail('expected a ProtobufDecodeError');
}

const namespaceBody = body('v1', 'Namespace', (w) =>
  w
    .message(1, (m) => objectMeta(m, { name: 'x' }))
    .message(2)
    .message(3, (s) => s.string(1, '')),
);

describe('decodeKubernetesProtobuf', () => {
  it('decodes the Namespace kubectl create namespace x sends', () => {
    assert.deepEqual(decodeKubernetesProtobuf(namespaceBody), {
      apiVersion: 'v1',
      kind: 'Namespace',
      object: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'x', creationTimestamp: null },
        spec: {},
        status: {},
      },
      unknownFields: [],
    });
  });

  it('reports field numbers its tables do not know, and drops their values', () => {
    const withUnknown = body('v1', 'Namespace', (w) => w.message(1, (m) => objectMeta(m.string(99, 'future'), { name: 'x' })).varint(42, 7));
    const decoded = decodeKubernetesProtobuf(withUnknown);
    assert.deepEqual(decoded.unknownFields, ['ObjectMeta.99', 'Namespace.42']);
    assert.deepEqual(decoded.object.metadata, { name: 'x', creationTimestamp: null });
  });

  it('decodes ConfigMap data and Secret bytes as base64', () => {
    const cm = body('v1', 'ConfigMap', (w) =>
      w
        .message(1, (m) => objectMeta(m, { name: 'cfg', namespace: 'default' }))
        .mapEntry(2, 'a', '1')
        .mapEntry(2, 'b', 'two'),
    );
    assert.deepEqual(decodeKubernetesProtobuf(cm).object, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default', creationTimestamp: null },
      data: { a: '1', b: 'two' },
    });
    const secret = body('v1', 'Secret', (w) =>
      w
        .message(1, (m) => objectMeta(m, { name: 's' }))
        .mapEntry(2, 'password', new TextEncoder().encode('hunter2'))
        .mapEntry(2, 'bin', Uint8Array.from([0, 255, 1]))
        .string(3, 'Opaque'),
    );
    assert.deepEqual(decodeKubernetesProtobuf(secret).object, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', creationTimestamp: null },
      data: { password: 'aHVudGVyMg==', bin: 'AP8B' },
      type: 'Opaque',
    });
  });

  it('decodes kubectl create deployment web --image=nginx --replicas=2 --port=80', () => {
    const labels = { app: 'web' };
    const podSpec = (s: WireWriter): void => {
      s.message(2, (c) =>
        c
          .string(1, 'nginx')
          .string(2, 'nginx')
          .message(6, (p) => p.string(1, '').varint(2, 0).varint(3, 80).string(4, '').string(5, ''))
          .message(8)
          .string(13, '')
          .string(14, '')
          .bool(16, false)
          .string(20, ''),
      );
      s.string(3, '').string(6, '').bool(11, false).string(19, '');
    };
    const deployment = body('apps/v1', 'Deployment', (w) =>
      w
        .message(1, (m) => objectMeta(m, { name: 'web', labels }))
        .message(2, (spec) =>
          spec
            .varint(1, 2)
            .message(2, (sel) => sel.mapEntry(1, 'app', 'web'))
            .message(3, (t) => t.message(1, (m) => objectMeta(m, { labels })).message(2, podSpec))
            .message(4, (st) => st.string(1, ''))
            .varint(5, 0)
            .bool(7, false),
        )
        .message(3, (st) => st.varint(1, 0).varint(2, 0).varint(3, 0).varint(4, 0).varint(5, 0).varint(7, 0)),
    );
    assert.deepEqual(decodeKubernetesProtobuf(deployment).object, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: null, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { creationTimestamp: null, labels },
          spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it('decodes a SelfSubjectAccessReview from kubectl auth can-i', () => {
    const review = body('authorization.k8s.io/v1', 'SelfSubjectAccessReview', (w) =>
      w
        .message(1, (m) => objectMeta(m, {}))
        .message(2, (spec) =>
          spec.message(1, (ra) =>
            ra
              .string(1, 'default')
              .string(2, 'list')
              .string(3, '')
              .string(4, '')
              .string(5, 'pods')
              .string(6, '')
              .string(7, '')
              .message(9, (ls) => ls.string(1, 'app=web')),
          ),
        )
        .message(3, (st) => st.bool(1, false).string(2, '').string(3, '').bool(4, false)),
    );
    assert.deepEqual(decodeKubernetesProtobuf(review).object, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: {
        resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods', labelSelector: { rawSelector: 'app=web' } },
      },
      status: { allowed: false },
    });
  });

  it('decodes times, int-or-strings, quantities and inlined probe handlers', () => {
    const pod = body('v1', 'Pod', (w) =>
      w
        .message(1, (m) => m.string(1, 'p').message(8, (t) => t.varint(1, 1723646410)))
        .message(2, (s) =>
          s
            .message(2, (c) =>
              c
                .string(1, 'app')
                .message(8, (r) => r.message(1, (e) => e.string(1, 'cpu').message(2, (q) => q.string(1, '500m'))))
                .message(10, (p) =>
                  p.message(1, (h) => h.message(2, (g) => g.string(1, '/healthz').message(2, (i) => i.varint(1, 1).string(3, 'http')))),
                )
                .message(11, (p) => p.message(1, (h) => h.message(3, (t) => t.message(1, (i) => i.varint(2, 8080))))),
            )
            .varint(4, 30)
            .message(22, (t) => t.string(1, 'node').string(2, 'Exists').string(4, 'NoSchedule').varint(5, -1)),
        ),
    );
    const object = decodeKubernetesProtobuf(pod).object;
    assert.deepEqual(object['metadata'], { name: 'p', creationTimestamp: '2024-08-14T14:40:10Z' });
    assert.deepEqual(object['spec'], {
      containers: [
        {
          name: 'app',
          resources: { limits: { cpu: '500m' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
          readinessProbe: { tcpSocket: { port: 8080 } },
        },
      ],
      terminationGracePeriodSeconds: 30,
      tolerations: [{ key: 'node', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: -1 }],
    });
  });

  it('rejects a body without the magic as malformed', () => {
    const err = decodeError(new TextEncoder().encode('{"kind":"Namespace"}'));
    assert.equal(err.reason, 'malformed');
    assert.match(err.message, /magic/);
  });

  it('rejects truncated data as malformed', () => {
    for (const length of [3, 10, namespaceBody.length - 1]) {
      const err = decodeError(namespaceBody.subarray(0, length));
      assert.equal(err.reason, 'malformed');
    }
  });

  it('rejects a kind it has no schema for as unsupported', () => {
    const err = decodeError(body('v1', 'Widget', (w) => w.message(1)));
    assert.equal(err.reason, 'unsupported');
    assert.match(err.message, /Widget/);
  });

  it('lists every kind kubectl create sends', () => {
    const kinds = decodableKinds().map((k) => `${k.apiVersion}/${k.kind}`);
    for (const kind of ['v1/ServiceAccount', 'batch/v1/CronJob', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding', 'v1/ResourceQuota']) {
      assert.ok(kinds.includes(kind), kind);
    }
  });
});
