import { spawn } from 'node:child_process';
import type { ExecResult } from '../runtime.js';

/** Output kept per stream (CRI's ExecSync caps it too). */
const MAX_OUTPUT = 64 * 1024;

/**
 * Runs `cmd` with the container's environment and working directory in a process group of its own, and collects its
 * output; one still running after `timeoutSeconds` is killed (group and all) and answered with exit code -1 and
 * `timedOut`. A command that cannot be started exits 126 (127 when not found), as a shell would.
 */
export function runExec(cmd: readonly string[], env: Record<string, string>, cwd: string, timeoutSeconds: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    if (cmd.length === 0) return resolve({ exitCode: 126, stdout: '', stderr: 'no command' });
    const child = spawn(cmd[0]!, cmd.slice(1), { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(0, MAX_OUTPUT)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(0, MAX_OUTPUT)));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, Math.max(1, timeoutSeconds) * 1000);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ exitCode: err.code === 'ENOENT' ? 127 : 126, stdout, stderr: `${stderr}${err.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ exitCode: -1, stdout, stderr, timedOut: true });
      resolve({ exitCode: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), stdout, stderr });
    });
  });
}
