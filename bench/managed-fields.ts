// Micro-benchmark of updateManagedFields for a pod create and a label-only update.
// Build with `npm run build`, run `node dist/bench/managed-fields.js [iterations]`.
import { FieldSet, updateManagedFields, type FieldSchema } from '../src/api/managed-fields/index.js';
import { fieldSchemaFor } from '../src/apiserver/openapi/field-schema-of.js';
import { loadDefinitions } from '../src/apiserver/openapi/load-definitions.js';

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'bench-1', namespace: 'default', labels: { app: 'bench', 'pod-template-hash': '7d9f8c6b5' } },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'registry.example/app:1.2.3',
        ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
        env: [
          { name: 'MODE', value: 'production' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        readinessProbe: {
          httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
          periodSeconds: 5,
          timeoutSeconds: 1,
          successThreshold: 1,
          failureThreshold: 3,
        },
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
    nodeSelector: { 'kubernetes.io/os': 'linux' },
  },
  status: { phase: 'Pending', qosClass: 'Burstable' },
};

const IGNORED = FieldSet.of([{ field: 'status' }]);
const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-01T00:01:00Z';

/** Times `op` over fresh inputs (made beforehand, as decoded request bodies would be), after a warm-up. */
function time<T>(label: string, iterations: number, input: () => T, op: (value: T) => unknown): number {
  const warmup = Math.min(2000, iterations);
  const inputs = Array.from({ length: warmup + iterations }, input);
  for (let i = 0; i < warmup; i++) op(inputs[i] as T);
  const started = process.hrtime.bigint();
  for (let i = warmup; i < inputs.length; i++) op(inputs[i] as T);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  console.log(`${label.padEnd(28)} ${micros.toFixed(2).padStart(8)} µs/call`);
  return micros;
}

function main(): void {
  const iterations = Number(process.argv[2] ?? 10_000);
  const schema: FieldSchema | undefined = fieldSchemaFor(loadDefinitions(), '', 'v1', 'Pod');
  if (schema === undefined) throw new Error('no Pod schema');

  const create = (next: object): unknown[] =>
    updateManagedFields({ next, manager: 'kubectl-create', apiVersion: 'v1', time: T0, schema, ignored: IGNORED });
  const managedFields = create(structuredClone(POD));
  const stored = { ...POD, metadata: { ...POD.metadata, managedFields } };
  const labelled = (): object => {
    const next = structuredClone(stored);
    (next.metadata.labels as Record<string, string>)['tier'] = 'frontend';
    return next;
  };
  const label = (next: object): unknown[] =>
    updateManagedFields({ old: stored, next, manager: 'kubectl-label', apiVersion: 'v1', time: T1, schema, ignored: IGNORED });

  if (process.env['BENCH_PRINT'] !== undefined) {
    console.log(JSON.stringify({ create: managedFields, label: label(labelled()), relabel: label(structuredClone(stored)) }));
    return;
  }
  time('create (kubectl-create)', iterations, () => structuredClone(POD), create);
  time('label update (kubectl-label)', iterations, labelled, label);
}

main();
