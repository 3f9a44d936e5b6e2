import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Pod, Probe } from 'kubernetes-types/core/v1.js';
import { ManualClock } from '../../lib/index.js';
import type { ContainerRuntime, ContainerStatus, ExecResult } from '../runtime/index.js';
import { Prober } from './prober.js';
import { runProbe } from './run-probe.js';

/** A runtime whose exec answers with the next scripted exit code (0 once the script runs out). */
function scriptedRuntime(codes: number[]): ContainerRuntime {
  return { execSync: (): Promise<ExecResult> => Promise.resolve({ exitCode: codes.shift() ?? 0, stdout: '', stderr: 'nope' }) } as unknown as ContainerRuntime;
}

const running = (startedAt: number): ContainerStatus => ({ id: 'c1', podSandboxId: 's', name: 'app', attempt: 0, state: 'CONTAINER_RUNNING', createdAt: startedAt, startedAt, finishedAt: 0, exitCode: 0, reason: '', message: '', image: 'x', imageRef: 'x', logPath: '/x' });
const exec = (extra: Partial<Probe> = {}): Probe => ({ exec: { command: ['check'] }, periodSeconds: 1, ...extra });
const pod = (probes: { startupProbe?: Probe; livenessProbe?: Probe; readinessProbe?: Probe }): Pod => ({ metadata: { uid: 'u1', name: 'p', namespace: 'n' }, spec: { containers: [{ name: 'app', ...probes }] } });

/** Lets the clock move in 1 s steps, settling the probes' promises after each. */
async function tick(clock: ManualClock, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    clock.advance(1000);
    for (let j = 0; j < 5; j++) await new Promise((r) => setImmediate(r));
  }
}

describe('Prober', () => {
  it('readiness starts failed, turns ready after successThreshold successes and unready after failureThreshold failures', async () => {
    const clock = new ManualClock(0);
    const wakes: string[] = [];
    const prober = new Prober({ clock, wake: (uid) => wakes.push(uid) });
    prober.update(pod({ readinessProbe: exec({ initialDelaySeconds: 2, successThreshold: 2, failureThreshold: 2 }) }), [running(0)], scriptedRuntime([0, 0, 1, 1]), '127.0.0.1');
    assert.deepEqual(prober.health('c1'), { started: true, ready: false });
    await tick(clock, 2);
    assert.equal(prober.health('c1')?.ready, false, 'one success of two');
    await tick(clock, 1);
    assert.equal(prober.health('c1')?.ready, true);
    await tick(clock, 2);
    assert.equal(prober.health('c1')?.ready, false);
    assert.deepEqual(wakes, ['u1', 'u1']);
  });

  it('liveness and readiness wait for the startup probe; a failed liveness probe asks for a restart', async () => {
    const clock = new ManualClock(0);
    const events: string[] = [];
    const prober = new Prober({ clock, wake: () => {}, event: (_p, _t, reason, message) => events.push(`${reason}: ${message}`) });
    // startup: fail, succeed; then liveness: fail ×3.
    const runtime = scriptedRuntime([1, 0, 1, 1, 1]);
    prober.update(pod({ startupProbe: exec({ failureThreshold: 5 }), livenessProbe: exec({ failureThreshold: 3 }) }), [running(0)], runtime, '127.0.0.1');
    await tick(clock, 1);
    assert.deepEqual(prober.health('c1'), { started: false, ready: false });
    await tick(clock, 1);
    assert.deepEqual(prober.health('c1'), { started: true, ready: true });
    assert.equal(prober.unhealthy('c1'), undefined);
    await tick(clock, 3);
    assert.deepEqual(prober.unhealthy('c1'), { message: 'Container app failed liveness probe, will be restarted', gracePeriodSeconds: undefined });
    assert.deepEqual(events, ['Unhealthy: Startup probe failed: nope', 'Unhealthy: Liveness probe failed: nope', 'Unhealthy: Liveness probe failed: nope', 'Unhealthy: Liveness probe failed: nope']);
    prober.forget('u1');
    assert.equal(prober.health('c1'), undefined);
    assert.equal(clock.pending(), 0);
  });

  it('tcpSocket and httpGet probes against real sockets', async () => {
    const server = createServer((s) => s.on('error', () => {}).end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const target = { runtime: scriptedRuntime([]), containerId: 'c1', container: { name: 'app', ports: [{ name: 'web', containerPort: port }] }, podIP: '127.0.0.1' };
    try {
      assert.deepEqual(await runProbe({ tcpSocket: { port: 'web' } }, target), { success: true, output: '' });
      assert.deepEqual(await runProbe({ httpGet: { port, path: '/healthz' } }, target), { success: false, output: 'HTTP probe failed with statuscode: 503' });
    } finally {
      server.close();
    }
    const refused = await runProbe({ tcpSocket: { port } }, target);
    assert.equal(refused.success, false);
    assert.match(refused.output, /^dial tcp 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });
});
