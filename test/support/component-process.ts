// Starts a Skiff component that talks to an API server (`skiff controller-manager …`) as a real process.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const skiffBin = new URL('../../../bin/skiff', import.meta.url).pathname;

export interface ComponentProcess {
  readonly pid: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Settles with the exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves once a line of output matches, failing after the deadline. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/** Runs `skiff <args…>`; resolves once it printed `readyLine`. */
export async function startComponent(args: readonly string[], readyLine: RegExp, timeoutMs = 20_000): Promise<ComponentProcess> {
  const child = spawn(process.execPath, [skiffBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const listeners = new Set<() => void>();
  const onLine = (line: string) => {
    log += `${line}\n`;
    for (const l of listeners) l();
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitForOutput = (re: RegExp, ms = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!re.test(log)) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no output matching ${re} within ${ms} ms:\n${log}`));
      }, ms);
      listeners.add(check);
      check();
    });
  await Promise.race([waitForOutput(readyLine, timeoutMs), exited.then((code) => Promise.reject(new Error(`skiff ${args[0]} exited with ${code}:\n${log}`)))]);
  return {
    pid: child.pid!,
    output: () => log,
    exited,
    waitForOutput,
    kill: (signal) => child.kill(signal),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `skiff controller-manager` with the component kubeconfig the API server in `dataDir` wrote. */
export function startControllerManager(dataDir: string, args: readonly string[] = []): Promise<ComponentProcess> {
  return startComponent(['controller-manager', '--kubeconfig', `${dataDir}/kubeconfigs/controller-manager.yaml`, '--kube-api-qps', '0', ...args], /controller-manager: .* starting/);
}

/**
 * `skiff kubelet` for simulated node(s) `nodeName`, with an identity minted from the API server's CA in `dataDir`:
 * the node's own (`system:node:<name>`, group `system:nodes`), or with `--simulated-nodes` the one identity that may act
 * for many nodes (`system:skiff:simulated-nodes`).
 */
export async function startKubelet(dataDir: string, nodeName: string, args: readonly string[] = []): Promise<ComponentProcess> {
  const { execFileSync } = await import('node:child_process');
  const kubeconfig = `${dataDir}/kubeconfigs/kubelet-${nodeName}.yaml`;
  const many = args.includes('--simulated-nodes');
  const [user, group] = many ? ['system:skiff:simulated-nodes', 'system:skiff:simulated-nodes'] : [`system:node:${nodeName}`, 'system:nodes'];
  execFileSync(process.execPath, [skiffBin, 'kubeconfig', '--data-dir', dataDir, '--user', user, '--group', group, '-o', kubeconfig]);
  return startComponent(['kubelet', '--kubeconfig', kubeconfig, '--node-name', nodeName, '--data-dir', `${dataDir}/kubelet/${nodeName}`, ...args], /skiff kubelet: .* registered/);
}

/** `skiff scheduler` with the component kubeconfig the API server in `dataDir` wrote. */
export function startScheduler(dataDir: string, args: readonly string[] = []): Promise<ComponentProcess> {
  return startComponent(['scheduler', '--kubeconfig', `${dataDir}/kubeconfigs/scheduler.yaml`, '--kube-api-qps', '0', ...args], /scheduler: .* starting/);
}
