// npm run bench -- <scenario>: runs one benchmark and prints its figures next to same-run baselines.
import { apiBenchmark } from './api.js';
import { controllersBenchmark } from './controllers.js';
import { e2eBenchmark } from './e2e.js';
import { kubeletBenchmark } from './kubelet.js';
import { schedulerBenchmark } from './scheduler.js';
import { storageBenchmark } from './storage.js';

const scenarios: Record<string, () => Promise<void>> = {
  storage: storageBenchmark,
  api: apiBenchmark,
  controllers: controllersBenchmark,
  scheduler: schedulerBenchmark,
  kubelet: kubeletBenchmark,
  e2e: e2eBenchmark,
};

const name = process.argv[2];
const run = name === undefined ? undefined : scenarios[name];
if (!run) {
  console.error(`usage: npm run bench -- <scenario>   (scenarios: ${Object.keys(scenarios).join(', ')})`);
  process.exit(2);
}
await run();
