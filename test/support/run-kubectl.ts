// Runs a real kubectl binary against a server, with its own cache dir and HOME.
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlBinary } from './kubectl.js';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Kubectl {
  readonly version: string;
  run(args: readonly string[], options?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** Runs and fails the test (with kubectl's output) unless it exits 0; returns stdout. */
  ok(args: readonly string[], options?: { input?: string }): Promise<string>;
  /** Starts a long-running kubectl (e.g. `get -w`); `waitFor` resolves once a line matches, failing after a deadline. */
  start(args: readonly string[]): { waitFor(re: RegExp, count?: number, timeoutMs?: number): Promise<void>; lines(): string[]; stop(): void };
  cleanup(): void;
}

/** kubectl `version` (e.g. '1.33') talking to the cluster in `kubeconfig`, with a fresh --cache-dir and HOME. */
export function kubectl(version: string, kubeconfig: string): Kubectl {
  const bin = kubectlBinary(version);
  if (bin === undefined) throw new Error(`kubectl.${version} not found (set SKIFF_KUBECTL_DIR)`);
  const home = mkdtempSync(join(tmpdir(), `kubectl-${version}-`));
  const run = (args: readonly string[], options: { input?: string; timeoutMs?: number } = {}) =>
    new Promise<KubectlResult>((resolve) => {
      const child = execFile(
        bin,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args],
        { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
      if (options.input !== undefined) child.stdin!.end(options.input);
    });
  return {
    version,
    run,
    async ok(args, options) {
      const r = await run(args, options);
      if (r.code !== 0) throw new Error(`kubectl.${version} ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return r.stdout;
    },
    start(args) {
      const child = spawn(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: home },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const seen: string[] = [];
      let stderr = '';
      let changed: () => void = () => {};
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      createInterface({ input: child.stdout }).on('line', (line) => {
        seen.push(line);
        changed();
      });
      return {
        lines: () => [...seen],
        /** Resolves once `count` lines in all have matched `re`. */
        async waitFor(re, count = 1, timeoutMs = 15_000) {
          const deadline = Date.now() + timeoutMs;
          while (seen.filter((l) => re.test(l)).length < count) {
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`fewer than ${count} lines matching ${re} within ${timeoutMs} ms; lines: ${JSON.stringify(seen)}; stderr: ${stderr}`);
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, left);
              changed = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
        },
        stop: () => void child.kill('SIGKILL'),
      };
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

export const KUBECTL_VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;
