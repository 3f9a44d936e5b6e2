import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from './apply-defaults.js';

type Json = Record<string, unknown>;

function pod(spec: Json): Json {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
}

function defaulted(obj: Json): Json {
  applyDefaults('', 'v1', 'Pod', obj);
  return obj;
}

function specOf(obj: Json): Json {
  return obj['spec'] as Json;
}

function firstContainer(spec: Json, key = 'containers'): Json {
  return (spec[key] as Json[])[0] as Json;
}

test('a Pod gets the PodSpec defaults plus enableServiceLinks, in Go field order', () => {
  const spec = specOf(defaulted(pod({ containers: [{ name: 'c', image: 'nginx:1.25' }] })));
  assert.equal(
    JSON.stringify(spec),
    JSON.stringify({
      containers: [
        {
          name: 'c',
          image: 'nginx:1.25',
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
    }),
  );
});

test('templates do not get enableServiceLinks nor requests from limits', () => {
  const rs: Json = {
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: {
        metadata: { labels: { a: 'b' } },
        spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '1' } } }] },
      },
    },
  };
  applyDefaults('apps', 'v1', 'ReplicaSet', rs);
  const template = (rs['spec'] as Json)['template'] as Json;
  const spec = template['spec'] as Json;
  assert.equal(spec['enableServiceLinks'], undefined);
  assert.deepEqual(firstContainer(spec)['resources'], { limits: { cpu: '1' } });
});

test('explicit values are kept', () => {
  const spec = specOf(
    defaulted(
      pod({
        containers: [{ name: 'c', image: 'i', imagePullPolicy: 'Never', terminationMessagePolicy: 'FallbackToLogsOnError' }],
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 0,
        enableServiceLinks: false,
        schedulerName: 'mine',
      }),
    ),
  );
  assert.equal(firstContainer(spec)['imagePullPolicy'], 'Never');
  assert.equal(firstContainer(spec)['terminationMessagePolicy'], 'FallbackToLogsOnError');
  assert.equal(spec['restartPolicy'], 'Never');
  assert.equal(spec['terminationGracePeriodSeconds'], 0);
  assert.equal(spec['enableServiceLinks'], false);
  assert.equal(spec['schedulerName'], 'mine');
});

test('Pod requests default to limits and quantities are canonicalised', () => {
  const spec = specOf(
    defaulted(
      pod({
        containers: [{ name: 'c', image: 'i', resources: { limits: { memory: '1Gi', cpu: '0.5' }, requests: { cpu: '0.1' } } }],
        initContainers: [{ name: 'init', image: 'i', resources: { limits: { cpu: 2 } } }],
      }),
    ),
  );
  assert.equal(
    JSON.stringify(firstContainer(spec)['resources']),
    JSON.stringify({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '100m', memory: '1Gi' } }),
  );
  assert.deepEqual(firstContainer(spec, 'initContainers')['resources'], { limits: { cpu: '2' }, requests: { cpu: '2' } });
});

test('quantities finer than a milli round up', () => {
  const spec = specOf(defaulted(pod({ containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '0.0001' } } }] })));
  assert.deepEqual(firstContainer(spec)['resources'], { requests: { cpu: '1m' } });
});

test('host networking turns container ports into host ports on Pods', () => {
  const spec = specOf(
    defaulted(pod({ hostNetwork: true, containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080 }] }] })),
  );
  assert.equal(JSON.stringify(firstContainer(spec)['ports']), '[{"hostPort":8080,"containerPort":8080,"protocol":"TCP"}]');
});

test('probes, handlers and env field references are defaulted', () => {
  const spec = specOf(
    defaulted(
      pod({
        containers: [
          {
            name: 'c',
            image: 'i',
            env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            livenessProbe: { httpGet: { port: 80 } },
            readinessProbe: { grpc: { port: 9000 }, periodSeconds: 5 },
            lifecycle: { preStop: { httpGet: { port: 'http' } } },
          },
        ],
      }),
    ),
  );
  const container = firstContainer(spec);
  assert.deepEqual((container['env'] as Json[])[0], {
    name: 'N',
    valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
  });
  assert.equal(
    JSON.stringify(container['livenessProbe']),
    '{"httpGet":{"path":"/","port":80,"scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}',
  );
  assert.deepEqual(container['readinessProbe'], {
    grpc: { port: 9000, service: '' },
    timeoutSeconds: 1,
    periodSeconds: 5,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(container['lifecycle'], { preStop: { httpGet: { path: '/', port: 'http', scheme: 'HTTP' } } });
});

test('volumes get their source defaults', () => {
  const spec = specOf(
    defaulted(
      pod({
        containers: [{ name: 'c', image: 'i' }],
        volumes: [
          { name: 'empty' },
          { name: 's', secret: { secretName: 'x' } },
          { name: 'cm', configMap: { name: 'x', defaultMode: 256 } },
          { name: 'h', hostPath: { path: '/tmp' } },
          { name: 'd', downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } },
          { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
        ],
      }),
    ),
  );
  assert.deepEqual(spec['volumes'], [
    { name: 'empty', emptyDir: {} },
    { name: 's', secret: { secretName: 'x', defaultMode: 420 } },
    { name: 'cm', configMap: { name: 'x', defaultMode: 256 } },
    { name: 'h', hostPath: { path: '/tmp', type: '' } },
    {
      name: 'd',
      downwardAPI: { items: [{ path: 'n', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } }], defaultMode: 420 },
    },
    { name: 'p', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3600, path: 'token' } }], defaultMode: 420 } },
  ]);
});

test('ephemeral containers get container defaults too', () => {
  const spec = specOf(
    defaulted(pod({ containers: [{ name: 'c', image: 'i' }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] })),
  );
  const debug = firstContainer(spec, 'ephemeralContainers');
  assert.equal(debug['imagePullPolicy'], 'Always');
  assert.deepEqual(debug['resources'], {});
});

test('a Pod status is materialised as an empty object', () => {
  assert.deepEqual(defaulted(pod({ containers: [] }))['status'], {});
});

test('the deprecated serviceAccount field echoes serviceAccountName', () => {
  const fromAlias = specOf(defaulted(pod({ serviceAccount: 'builder', containers: [] })));
  assert.equal(fromAlias['serviceAccountName'], 'builder');
  assert.equal(fromAlias['serviceAccount'], 'builder');
  const fromName = specOf(defaulted(pod({ serviceAccountName: 'a', serviceAccount: 'b', containers: [] })));
  assert.deepEqual([fromName['serviceAccountName'], fromName['serviceAccount']], ['a', 'a']);
  const keys = Object.keys(fromName);
  assert.equal(keys.indexOf('serviceAccount'), keys.indexOf('serviceAccountName') + 1);
  const admitted = defaulted(pod({ containers: [] }));
  specOf(admitted)['serviceAccountName'] = 'default';
  applyDefaults('', 'v1', 'Pod', admitted);
  assert.equal(specOf(admitted)['serviceAccount'], 'default');
});
