// Starts `bin/skiff <command>` as a real process on an ephemeral port and waits until it serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const skiffBin = new URL('../../../bin/skiff', import.meta.url).pathname;

export interface SkiffProcess {
  readonly url: string;
  readonly dataDir: string;
  /** The admin kubeconfig the server wrote. */
  readonly kubeconfig: string;
  readonly pid: number;
  /** Everything the process printed so far. */
  output(): string;
  /** Settles with the exit code (null after a signal) when the process ends. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartSkiffOptions {
  readonly storage?: 'sqlite' | 'etcd';
  readonly etcdEndpoint?: string;
  readonly args?: readonly string[];
  readonly readyTimeoutMs?: number;
  /** The subcommand (default `apiserver`). */
  readonly command?: 'apiserver' | 'server';
  /** Reuse this data dir (a restart); it is then left in place by stop(). */
  readonly dataDir?: string;
  /**
   * Run the ServiceAccount admission plugin. It refuses Pods until the ServiceAccount controller made their namespace's
   * `default` account, so a bare `skiff apiserver` (no controller-manager) runs without it unless asked, as envtest
   * users do; `skiff server` always runs it.
   */
  readonly serviceAccountAdmission?: boolean;
}

/** Runs `skiff apiserver --port 0` (or `skiff server`) in a fresh data dir; resolves once it reports that it is serving. */
export async function startApiserver(options: StartSkiffOptions = {}): Promise<SkiffProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
  const args = [options.command ?? 'apiserver', '--data-dir', dataDir, '--port', '0', '--storage', options.storage ?? 'sqlite'];
  if (options.storage === 'etcd') args.push('--etcd-endpoints', options.etcdEndpoint ?? '');
  const command = options.command ?? 'apiserver';
  if (command === 'apiserver' && !options.serviceAccountAdmission) args.push('--disable-admission-plugins', 'ServiceAccount');
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, [skiffBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`skiff apiserver did not start within the deadline:\n${log}`)), options.readyTimeoutMs ?? 20_000);
    child.once('exit', (code) => reject(new Error(`skiff apiserver exited with ${code}:\n${log}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log += `${line}\n`;
      const m = /serving (https:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return {
    url,
    dataDir,
    kubeconfig: join(dataDir, 'kubeconfig.yaml'),
    pid: child.pid!,
    output: () => log,
    exited,
    stop: () => stopProcess(child, options.dataDir === undefined ? dataDir : undefined),
  };
}

async function stopProcess(child: ChildProcess, dataDir: string | undefined): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
}
