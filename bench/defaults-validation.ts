// node dist/bench/defaults-validation.js [iterations] [rounds]: the per-object cost of the create path's
// defaulting and validation (applyDefaults, materializeZeroValues, validateObjectMeta, validateObject)
// for a typical Pod and for the seed's ReplicaSet, with structuredClone alone as the baseline.
import { applyDefaults } from '../src/api/defaults/apply-defaults.js';
import { materializeZeroValues } from '../src/api/defaults/zero-values.js';
import { fieldErrorMessage } from '../src/api/field-error.js';
import { nameValidatorFor } from '../src/api/name-validation.js';
import { validateObjectMeta } from '../src/api/object-meta.js';
import { validateObject } from '../src/api/validation/validate-object.js';
import { fmt, printTable, type Row } from './stats.js';

type Json = Record<string, unknown>;

interface Case {
  readonly label: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly template: Json;
}

const POD: Json = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'bench-1', namespace: 'default', labels: { app: 'bench', 'pod-template-hash': '7d9f8c6b5' } },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'registry.example/app:1.2.3',
        ports: [{ containerPort: 8080, name: 'http' }],
        env: [
          { name: 'MODE', value: 'production' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
      },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
  },
};

/** examples/replicaset.yaml, the seed's manifest. */
const REPLICA_SET: Json = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { namespace: 'default', name: 'my-replicaset' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'my-app' } },
    template: {
      metadata: { labels: { app: 'my-app' } },
      spec: { containers: [{ name: 'my-container', image: 'nginx', ports: [{ containerPort: 80 }] }] },
    },
  },
};

const CASES: readonly Case[] = [
  { label: 'Pod', group: '', version: 'v1', kind: 'Pod', template: POD },
  { label: 'ReplicaSet', group: 'apps', version: 'v1', kind: 'ReplicaSet', template: REPLICA_SET },
];

const iterations = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 5);
const POOL_SIZE = 1024;

let sink = 0;

/**
 * Microseconds per call of each op: every round times each op over `iterations` calls, ops
 * interleaved so that a disturbance hits them alike; the best round counts. One untimed round
 * warms up first.
 */
function time(ops: ReadonlyArray<(i: number) => void>): number[] {
  const best = ops.map(() => Infinity);
  for (let r = -1; r < rounds; r++) {
    ops.forEach((op, k) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) op(i);
      const us = Number(process.hrtime.bigint() - started) / 1000 / iterations;
      if (r >= 0) best[k] = Math.min(best[k] ?? Infinity, us);
    });
  }
  return best;
}

function metadataOf(obj: Json): Json {
  return obj['metadata'] as Json;
}

function benchCase(c: Case): void {
  const { group, version, kind, template } = c;
  const metaOptions = { requiresNamespace: true, nameValidator: nameValidatorFor({ group, kind }) };
  const defaulted = (): Json => {
    const obj = structuredClone(template);
    applyDefaults(group, version, kind, obj);
    materializeZeroValues(group, kind, obj);
    return obj;
  };
  const sample = defaulted();
  const errors = [...validateObjectMeta(metadataOf(sample), metaOptions), ...validateObject(group, version, kind, sample, {})];
  if (errors.length > 0) throw new Error(`${c.label} does not validate: ${errors.map(fieldErrorMessage).join('; ')}`);
  // Validation only reads; a pool of distinct objects keeps it from seeing one object over and over.
  const pool = Array.from({ length: POOL_SIZE }, defaulted);
  const at = (i: number): Json => pool[i % POOL_SIZE] as Json;

  const [clone = NaN, defaults = NaN, zero = NaN, meta = NaN, validate = NaN, full = NaN] = time([
    () => {
      sink += Object.keys(structuredClone(template)).length;
    },
    () => {
      const obj = structuredClone(template);
      applyDefaults(group, version, kind, obj);
      sink += Object.keys(obj).length;
    },
    () => {
      const obj = structuredClone(template);
      applyDefaults(group, version, kind, obj);
      materializeZeroValues(group, kind, obj);
      sink += Object.keys(obj).length;
    },
    (i) => {
      sink += validateObjectMeta(metadataOf(at(i)), metaOptions).length;
    },
    (i) => {
      sink += validateObject(group, version, kind, at(i), {}).length;
    },
    () => {
      const obj = structuredClone(template);
      applyDefaults(group, version, kind, obj);
      materializeZeroValues(group, kind, obj);
      sink += validateObjectMeta(metadataOf(obj), metaOptions).length;
      sink += validateObject(group, version, kind, obj, {}).length;
    },
  ]);
  const us = (n: number): string => `${fmt(n, 2)} µs`;
  const rows: Row[] = [
    { metric: 'structuredClone (the baseline)', figure: us(clone) },
    { metric: 'applyDefaults', figure: us(defaults - clone) },
    { metric: 'materializeZeroValues', figure: us(zero - defaults) },
    { metric: 'validateObjectMeta', figure: us(meta) },
    { metric: 'validateObject', figure: us(validate) },
    { metric: 'clone + defaults + zero values + both validations', figure: us(full) },
    { metric: 'the same without structuredClone', figure: us(full - clone) },
  ];
  printTable(`${c.label}: µs per object, best of ${rounds} rounds of ${iterations}`, rows);
}

for (const c of CASES) benchCase(c);
if (sink === 0) console.log('(no work done?)');
