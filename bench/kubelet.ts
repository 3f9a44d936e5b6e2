// npm run bench -- kubelet: simulated nodes in one `skiff kubelet --simulated-nodes N` process against a `skiff
// apiserver` process (SQLite). Figures: the CPU the kubelet process spends on 1,000 idle nodes' heartbeats (Lease
// renewals every 10 s, status checks), measured from /proc next to the API server's share; and the time from starting
// 5,000 nodes to all of them Ready in a list. Baseline: the same kubelet process idling with a single node.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Node } from 'kubernetes-types/core/v1.js';
import { Http2Transport, loadClientConfig, RestClient } from '../src/client/index.js';
import { fmt, printTable, type Row } from './stats.js';

const skiffBin = new URL('../../bin/skiff', import.meta.url).pathname;
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Proc {
  child: ChildProcess;
  waitFor(re: RegExp, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [skiffBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const onLine = (l: string) => {
    lines.push(l);
    for (const w of waiters) w();
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  return {
    child,
    waitFor: (re, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find((l) => re.test(l));
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => reject(new Error(`no ${re} within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`)), timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

async function cores(pids: number[], windowMs: number): Promise<number[]> {
  const before = pids.map(cpuSeconds);
  await new Promise((r) => setTimeout(r, windowMs));
  return pids.map((pid, i) => (cpuSeconds(pid) - before[i]!) / (windowMs / 1000));
}

async function cluster(): Promise<{ api: Proc; dir: string; kubeconfig: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-kubelet-'));
  const api = start(['apiserver', '--data-dir', dir, '--port', '0', '--max-requests-inflight', '0', '--max-mutating-requests-inflight', '0']);
  await api.waitFor(/serving https/, 30_000);
  // One process acting for many simulated nodes writes as the group system:skiff:simulated-nodes (docs/apiserver.md).
  const kubeconfig = join(dir, 'kubeconfigs', 'simulated-nodes.yaml');
  execFileSync(process.execPath, [skiffBin, 'kubeconfig', '--data-dir', dir, '--user', 'system:skiff:simulated-nodes', '--group', 'system:skiff:simulated-nodes', '-o', kubeconfig]);
  return { api, dir, kubeconfig };
}

async function idleNodes(count: number, windowMs: number): Promise<{ kubelet: number; api: number; registerMs: number }> {
  const { api, dir, kubeconfig } = await cluster();
  const kubelet = start(['kubelet', '--kubeconfig', kubeconfig, '--node-name', 'idle', '--data-dir', join(dir, 'kubelet'), ...(count > 1 ? ['--simulated-nodes', String(count)] : [])]);
  try {
    const line = await kubelet.waitFor(/registered in \d+ ms/, 120_000);
    const registerMs = Number(/registered in (\d+) ms/.exec(line)![1]);
    // Let the first status checks and the spread-out first renewals pass.
    await new Promise((r) => setTimeout(r, 12_000));
    const [k, a] = await cores([kubelet.child.pid!, api.child.pid!], windowMs);
    return { kubelet: k!, api: a!, registerMs };
  } finally {
    await kubelet.stop();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startToReady(count: number): Promise<number> {
  const { api, dir, kubeconfig } = await cluster();
  const transport = new Http2Transport(loadClientConfig(join(dir, 'kubeconfig.yaml')));
  const nodes = new RestClient(transport).kind<Node>('v1', 'Node');
  const began = performance.now();
  const kubelet = start(['kubelet', '--kubeconfig', kubeconfig, '--node-name', 'scale', '--data-dir', join(dir, 'kubelet'), '--simulated-nodes', String(count)]);
  try {
    for (let i = 0; i < 600; i++) {
      const list = await nodes.list('');
      const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
      if (ready === count) return performance.now() - began;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${count} nodes were not Ready within the deadline`);
  } finally {
    transport.close();
    await kubelet.stop();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function kubeletBenchmark(): Promise<void> {
  const windowMs = 30_000;
  const only = process.env.SKIFF_BENCH_KUBELET_ONLY;
  const one = await idleNodes(1, windowMs);
  const thousand = await idleNodes(1000, windowMs);
  const readyMs = only === 'idle' ? Number.NaN : await startToReady(5000);
  const rows: Row[] = [
    { metric: `1,000 idle simulated nodes: kubelet process CPU over ${windowMs / 1000} s (cores)`, figure: fmt(thousand.kubelet, 3), baseline: `${fmt(one.kubelet, 3)} (1 node)`, ratio: fmt(thousand.kubelet / Math.max(one.kubelet, 0.001), 1), target: '≤ 0.1' },
    { metric: '1,000 idle simulated nodes: API server CPU for their heartbeats (cores)', figure: fmt(thousand.api, 3), baseline: `${fmt(one.api, 3)} (1 node)`, target: '' },
    { metric: '1,000 nodes registered (ms)', figure: fmt(thousand.registerMs), target: '' },
    { metric: '5,000 simulated nodes: start to all Ready in a list (s)', figure: fmt(readyMs / 1000, 1), target: '≤ 30' },
  ];
  printTable('kubelet: simulated nodes', rows);
}
