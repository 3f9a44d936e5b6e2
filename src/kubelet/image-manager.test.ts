import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { ManualClock } from '../lib/index.js';
import { ImageManager } from './image-manager.js';
import { ImagePullError, type PodSandboxConfig, SIMULATION_ANNOTATIONS, SimulatedRuntime } from './runtime/index.js';

const sandbox: PodSandboxConfig = { metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt: 0 } };
const pod = (): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [] } });
const reason = async (p: Promise<unknown>) => p.then(() => 'ok', (err: unknown) => (err instanceof ImagePullError ? err.reason : String(err)));

describe('ImageManager', () => {
  it('Never: ErrImageNeverPull unless present; IfNotPresent uses what is there; a failed pull backs off', async () => {
    const clock = new ManualClock(0);
    const runtime = new SimulatedRuntime({ clock });
    const images = new ImageManager({ runtime, clock, baseMs: 10_000 });
    const c = (image: string, imagePullPolicy?: string): Container => ({ name: 'c', image, imagePullPolicy });
    assert.equal(await reason(images.ensureImageExists(pod(), c('nginx:1', 'Never'), sandbox)), 'ErrImageNeverPull');
    assert.match(await images.ensureImageExists(pod(), c('nginx:1'), sandbox), /@sha256:/);
    assert.match(await images.ensureImageExists(pod(), c('nginx:1', 'Never'), sandbox), /@sha256:/);
    const failing = pod();
    const failingSandbox = { ...sandbox, annotations: { [SIMULATION_ANNOTATIONS.pullError]: 'redis' } };
    assert.equal(await reason(images.ensureImageExists(failing, c('redis', 'Always'), failingSandbox)), 'ErrImagePull');
    assert.equal(await reason(images.ensureImageExists(failing, c('redis', 'Always'), failingSandbox)), 'ImagePullBackOff');
    clock.advance(10_000);
    assert.equal(await reason(images.ensureImageExists(failing, c('redis', 'Always'), failingSandbox)), 'ErrImagePull');
    clock.advance(10_000);
    assert.equal(await reason(images.ensureImageExists(failing, c('redis', 'Always'), failingSandbox)), 'ImagePullBackOff', 'the delay doubled');
  });
});
