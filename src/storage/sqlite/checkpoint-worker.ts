// Runs in a worker thread: checkpoints the WAL of the database at workerData.path every workerData.intervalMs.
// PASSIVE never waits for readers or writers, so the process's writer connection is never blocked by it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const db = new Database(path);
db.pragma('busy_timeout = 0');
// A checkpoint syncs the WAL before copying it into the database and the database before the WAL can be reused: the
// writer's connection commits without syncing (it fsyncs the WAL itself), this one must not skip them.
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy now; the next tick tries again.
  }
}, intervalMs);
parentPort?.on('message', (msg) => {
  if (msg === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort?.postMessage('stopped');
  }
});
