// The processes a Job needs, for the Job and CronJob e2e tests: `skiff apiserver`, `skiff controller-manager`,
// `skiff scheduler` and one `skiff kubelet`, with a RestClient as admin. Containers that run and exit are described
// once here (`workload`), so the tests can move from the simulated runtime to the process runtime in one place.
import type { Container, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { Http2Transport, loadClientConfig, RestClient } from '../../src/client/index.js';
import { startControllerManager, startKubelet, startScheduler, type ComponentProcess } from './component-process.js';
import { startApiserver, type SkiffProcess } from './skiff-process.js';

export interface BatchCluster {
  readonly server: SkiffProcess;
  readonly client: RestClient;
  readonly controllerManager: ComponentProcess;
  stop(): Promise<void>;
}

/** The runtime the kubelet uses; `process` once the process runtime exists. */
export const RUNTIME = 'simulated';

export async function startBatchCluster(controllerManagerArgs: readonly string[] = []): Promise<BatchCluster> {
  const server = await startApiserver();
  const components: ComponentProcess[] = [];
  const transport = new Http2Transport(loadClientConfig(server.kubeconfig));
  try {
    const controllerManager = await startControllerManager(server.dataDir, controllerManagerArgs);
    components.push(controllerManager);
    components.push(await startScheduler(server.dataDir));
    components.push(await startKubelet(server.dataDir, 'batch-node', ['--runtime', RUNTIME]));
    return {
      server,
      client: new RestClient(transport),
      controllerManager,
      async stop() {
        for (const c of components.reverse()) await c.stop();
        transport.close();
        await server.stop();
      },
    };
  } catch (err) {
    for (const c of components.reverse()) await c.stop();
    transport.close();
    await server.stop();
    throw err;
  }
}

/**
 * A Pod template whose one container `c` prints `done` and exits with `exitCode` after `runMs` (or runs until stopped
 * when `runMs` is undefined); restartPolicy Never. The simulated runtime reads the annotations, a process runtime the
 * command.
 */
export function workload(options: { runMs?: number; exitCode?: number; labels?: Record<string, string> } = {}): PodTemplateSpec {
  const annotations: Record<string, string> = {};
  if (options.runMs !== undefined) annotations['sim.skiff.dev/exit-after.c'] = `${options.runMs}ms`;
  if (options.exitCode !== undefined) annotations['sim.skiff.dev/exit-code.c'] = String(options.exitCode);
  // The same behaviour for a runtime that runs the command: print `done`, then exit as asked (or run on).
  const script = options.runMs === undefined ? 'echo done; sleep 3600' : `sleep ${options.runMs / 1000}; echo done; exit ${options.exitCode ?? 0}`;
  const container: Container = { name: 'c', image: 'busybox', command: ['sh', '-c', script] };
  return {
    metadata: { ...(options.labels ? { labels: options.labels } : {}), ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: { restartPolicy: 'Never', containers: [container] },
  };
}

/** The tests of Jobs and CronJobs wait on conditions as every e2e test does. */
export { until } from './until.js';
