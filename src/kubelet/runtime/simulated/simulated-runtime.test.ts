import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../lib/index.js';
import { runtimeContract } from '../../../../test/support/runtime-contract.js';
import { SIMULATION_ANNOTATIONS, SimulatedRuntime } from './simulated-runtime.js';
import { parseSimulatedDuration } from './simulated-duration.js';

runtimeContract('simulated', () => {
  const clock = new ManualClock(1_700_000_000_000);
  const runtime = new SimulatedRuntime({ clock, pullDelayMs: 30, createDelayMs: 10, startDelayMs: 10 });
  // Delays sleep on the manual clock: keep it moving while the contract awaits.
  const ticker = setInterval(() => clock.advance(10), 1);
  return Promise.resolve({
    runtime,
    elapse: async (ms: number) => {
      clock.advance(ms);
      await new Promise((r) => setImmediate(r));
    },
    exitingAnnotations: (name: string, code: number, afterMs: number) => ({
      [SIMULATION_ANNOTATIONS.exitAfter + name]: `${afterMs}ms`,
      [SIMULATION_ANNOTATIONS.exitCode + name]: String(code),
    }),
    close: () => {
      clearInterval(ticker);
      return Promise.resolve();
    },
  });
});

describe('SimulatedRuntime', () => {
  it('takes the configured pull delay once per image, and fails pulls the Pod asks to fail', async () => {
    const clock = new ManualClock(0);
    const runtime = new SimulatedRuntime({ clock, pullDelayMs: 5000 });
    const config = { metadata: { name: 'p', namespace: 'n', uid: 'u', attempt: 0 }, annotations: { [SIMULATION_ANNOTATIONS.pullError]: 'bad:1' } };
    let done = false;
    const pull = runtime.pullImage('nginx', config).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    clock.advance(4999);
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    clock.advance(1);
    await pull;
    assert.equal(await runtime.pullImage('nginx', config), await runtime.pullImage('docker.io/library/nginx:latest', config));
    await assert.rejects(runtime.pullImage('bad:1', config), /simulated pull failure/);
  });

  it('keeps a log in memory until its path is asked for, then writes it and appends later lines to it', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'skiff-simlog-'));
    try {
      const runtime = new SimulatedRuntime({ clock: new ManualClock(1_700_000_000_000), logDir });
      const config = { metadata: { name: 'p', namespace: 'n', uid: 'u', attempt: 0 } };
      const sandbox = await runtime.runPodSandbox(config);
      const start = async (name: string) => {
        const id = await runtime.createContainer(sandbox, { name, attempt: 0, image: 'img', imageRef: 'img' }, config);
        await runtime.startContainer(id);
        return id;
      };
      const read = await start('read');
      const unread = await start('unread');
      assert.deepEqual(readdirSync(logDir), [], 'nothing on disk before a log is asked for');
      const path = runtime.containerLogPath(read);
      assert.match(readFileSync(path, 'utf8'), /^\S+ stdout F simulated container read started \(attempt 0\)\n$/);
      await runtime.stopContainer(read, 0);
      const deadline = Date.now() + 5000;
      while (!readFileSync(path, 'utf8').includes('exited') && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      assert.match(readFileSync(path, 'utf8'), /started \(attempt 0\)\n\S+ stdout F simulated container read exited with code \d+\n$/);
      await runtime.stopContainer(unread, 0);
      assert.match(readFileSync(runtime.containerLogPath(unread), 'utf8'), /started[^]*exited/, 'lines logged before the first read are all there');
      await runtime.removeContainer(read);
      assert.equal(existsSync(path), false);
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  });

  it('parses simulated durations', () => {
    assert.equal(parseSimulatedDuration('250ms'), 250);
    assert.equal(parseSimulatedDuration('2s'), 2000);
    assert.equal(parseSimulatedDuration('1.5m'), 90_000);
    assert.equal(parseSimulatedDuration('40'), 40);
    assert.throws(() => parseSimulatedDuration('soon'));
  });
});
