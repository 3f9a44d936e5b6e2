import { Worker } from 'node:worker_threads';
import { compiledFile } from '../../lib/index.js';

/** The worker thread that checkpoints a database's WAL (see checkpoint-worker.ts). */
export class CheckpointWorker {
  private readonly worker: Worker | undefined;

  constructor(path: string, intervalMs: number) {
    if (path === ':memory:') return;
    this.worker = new Worker(compiledFile('storage/sqlite/checkpoint-worker.js'), { workerData: { path, intervalMs } });
    this.worker.unref();
  }

  async stop(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    await new Promise<void>((resolve) => {
      w.once('message', () => resolve());
      w.once('exit', () => resolve());
      w.postMessage('stop');
    });
    await w.terminate();
  }
}
