import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefinitions } from './load-definitions.js';
import { checkKindPatchCase, type KindPatchCase } from './patch-meta-cases.fixture.js';
import { OpenApiService } from './openapi-service.js';
import { patchMetaFor } from './patch-meta-of.js';

type Case = KindPatchCase;
const check = checkKindPatchCase;

// Patches as kubectl sends them, applied with the metadata of the served definitions; each expectation is what
// apimachinery's strategicpatch gives with the Go types' patchStrategy / patchMergeKey tags.
const CASES: readonly Case[] = [
  {
    name: 'kubectl set image',
    kind: 'Deployment',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'log', image: 'busybox:1.36', args: ['tail'] },
              {
                name: 'app',
                image: 'nginx:1.24',
                ports: [{ containerPort: 80, protocol: 'TCP' }],
                env: [{ name: 'MODE', value: 'prod' }],
              },
            ],
            restartPolicy: 'Always',
          },
        },
      },
    },
    patch: {
      spec: {
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ image: 'nginx:1.25', name: 'app' }] },
        },
      },
    },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'log', image: 'busybox:1.36', args: ['tail'] },
              {
                name: 'app',
                image: 'nginx:1.25',
                ports: [{ containerPort: 80, protocol: 'TCP' }],
                env: [{ name: 'MODE', value: 'prod' }],
              },
            ],
            restartPolicy: 'Always',
          },
        },
      },
    },
  },
  {
    name: 'kubectl apply switching the rollout strategy',
    kind: 'Deployment',
    original: {
      spec: {
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } },
    expected: {
      spec: {
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'Recreate' },
        template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    },
  },
  {
    name: 'containers by name, env by name, ports by containerPort, volumeMounts by mountPath',
    kind: 'Pod',
    original: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
      },
    },
    patch: {
      spec: {
        containers: [
          {
            name: 'app',
            env: [{ name: 'B', value: '20' }, { name: 'C', value: '3' }],
            ports: [{ containerPort: 443, protocol: 'TCP' }],
            volumeMounts: [{ mountPath: '/data', readOnly: true }, { name: 'cache', mountPath: '/cache' }],
          },
        ],
      },
    },
    expected: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            env: [{ name: 'A', value: '1' }, { name: 'B', value: '20' }, { name: 'C', value: '3' }],
            ports: [{ containerPort: 443, protocol: 'TCP' }, { containerPort: 80, protocol: 'TCP' }],
            volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }, { name: 'cache', mountPath: '/cache' }],
          },
        ],
      },
    },
  },
  {
    name: '$patch delete a container; tolerations and envFrom are replaced; imagePullSecrets and hostAliases merge',
    kind: 'Pod',
    original: {
      spec: {
        initContainers: [{ name: 'init', image: 'busybox' }],
        containers: [
          { name: 'app', image: 'app:1', envFrom: [{ configMapRef: { name: 'a' } }] },
          { name: 'debug', image: 'busybox' },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
        imagePullSecrets: [{ name: 'reg1' }],
        hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }],
      },
    },
    patch: {
      spec: {
        containers: [{ name: 'debug', $patch: 'delete' }, { name: 'app', envFrom: [{ configMapRef: { name: 'b' } }] }],
        tolerations: [{ key: 'b', operator: 'Exists' }],
        imagePullSecrets: [{ name: 'reg2' }],
        hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }, { ip: '10.0.0.2', hostnames: ['c'] }],
      },
    },
    expected: {
      spec: {
        initContainers: [{ name: 'init', image: 'busybox' }],
        containers: [{ name: 'app', image: 'app:1', envFrom: [{ configMapRef: { name: 'b' } }] }],
        tolerations: [{ key: 'b', operator: 'Exists' }],
        imagePullSecrets: [{ name: 'reg2' }, { name: 'reg1' }],
        hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }, { ip: '10.0.0.2', hostnames: ['c'] }],
      },
    },
  },
  {
    name: 'volumes merge by name and honour $retainKeys',
    kind: 'Pod',
    original: {
      spec: {
        containers: [{ name: 'app', image: 'app' }],
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'conf', configMap: { name: 'c1' } }],
      },
    },
    patch: {
      spec: {
        '$setElementOrder/volumes': [{ name: 'data' }, { name: 'conf' }],
        volumes: [{ $retainKeys: ['configMap', 'name'], name: 'data', configMap: { name: 'c2' } }],
      },
    },
    expected: {
      spec: {
        containers: [{ name: 'app', image: 'app' }],
        volumes: [{ name: 'data', configMap: { name: 'c2' } }, { name: 'conf', configMap: { name: 'c1' } }],
      },
    },
  },
];

describe('patchMetaFor: workloads', () => {
  for (const c of CASES) it(c.name, () => check(c));

  it('is what OpenApiService.patchMeta hands out', () => {
    const service = new OpenApiService([], { definitions: loadDefinitions() });
    assert.equal(service.patchMeta('apps', 'v1', 'Deployment')?.field('spec')?.typeName(), 'DeploymentSpec');
  });

  it('is undefined for a kind no definition carries', () => {
    assert.equal(patchMetaFor(loadDefinitions(), 'apps', 'v1', 'Nope'), undefined);
  });

  it("reads a field's strategy and its items' type", () => {
    const spec = patchMetaFor(loadDefinitions(), '', 'v1', 'Pod')?.field('spec');
    assert.equal(spec?.typeName(), 'PodSpec');
    const volumes = spec?.field('volumes');
    assert.deepEqual(volumes?.strategy(), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map' });
    assert.equal(volumes?.items()?.typeName(), 'Volume');
    assert.equal(spec?.field('nodeSelector')?.field('any-label')?.typeName(), '');
    assert.equal(spec?.field('nope'), undefined);
    assert.equal(spec?.field('nodeSelector')?.items(), undefined);
  });
});
