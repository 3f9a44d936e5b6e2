// Starts a throwaway single-member etcd from the `etcd` binary for tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { once } from 'node:events';

export interface EtcdServer {
  /** Client URL, e.g. http://127.0.0.1:40123. */
  readonly endpoint: string;
  readonly pid: number;
  /** Kills the process (SIGKILL, by PID), waits for it to exit and removes its data dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartEtcdOptions {
  /** Extra etcd flags, e.g. ['--max-request-bytes=4096']. */
  readonly args?: readonly string[];
  /** How long to wait for the member to report healthy. */
  readonly readyTimeoutMs?: number;
}

function findEtcd(): string | undefined {
  const explicit = process.env.ETCD_BIN;
  const candidates = explicit ? [explicit] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'etcd'));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether an etcd binary is on PATH (or named by ETCD_BIN). */
export function etcdAvailable(): boolean {
  return findEtcd() !== undefined;
}

/**
 * Why etcd tests must be skipped, or undefined when they can run. With REQUIRE_ETCD=1 they always run (and fail
 * in startEtcd when the binary is missing).
 */
export function etcdSkipReason(): string | undefined {
  if (etcdAvailable() || process.env.REQUIRE_ETCD === '1') return undefined;
  return 'etcd binary not found on PATH (set ETCD_BIN, or REQUIRE_ETCD=1 to fail instead of skipping)';
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

async function isHealthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: unknown };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

/** Resolves when the member answers /health, rejects when it exits first or the deadline passes. */
async function waitReady(child: ChildProcess, endpoint: string, timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  const onExit = (): void => void (exited = true);
  child.once('exit', onExit);
  try {
    while (Date.now() < deadline) {
      if (exited) throw new Error(`etcd exited during startup:\n${stderr()}`);
      if (await isHealthy(endpoint)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`etcd at ${endpoint} was not healthy within ${timeoutMs} ms:\n${stderr()}`);
  } finally {
    child.off('exit', onExit);
  }
}

async function startOnce(binary: string, options: StartEtcdOptions): Promise<EtcdServer> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-etcd-'));
  const child = spawn(
    binary,
    [
      '--name=skiff-test',
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${endpoint}`,
      `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=skiff-test=${peer}`,
      '--logger=zap',
      '--log-outputs=stderr',
      '--log-level=error',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  if (child.pid === undefined) {
    await once(child, 'error').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`could not start ${binary}`);
  }
  try {
    await waitReady(child, endpoint, options.readyTimeoutMs ?? 20_000, () => stderrTail);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, pid: child.pid, stop };
}

/**
 * Starts a single-member etcd on free loopback ports with a temporary data dir. Retries with fresh ports if the
 * chosen ones were taken in the meantime. Throws when no etcd binary is available.
 */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdServer> {
  const binary = findEtcd();
  if (binary === undefined) throw new Error('etcd binary not found on PATH (set ETCD_BIN)');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, options);
    } catch (err) {
      lastError = err;
      if (!String(err).includes('address already in use')) throw err;
    }
  }
  throw lastError;
}
