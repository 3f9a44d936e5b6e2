import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { defaultPullPolicy } from '../api/index.js';
import type { Clock } from '../lib/index.js';
import { type ContainerRuntime, type ImageInfo, ImagePullError, type PodSandboxConfig } from './runtime/index.js';

export interface ImageManagerOptions {
  readonly runtime: ContainerRuntime;
  readonly clock: Clock;
  /** First delay after a failed pull (doubles up to maxMs), as the kubelet's image back-off (10 s … 300 s). */
  readonly baseMs?: number;
  readonly maxMs?: number;
  readonly event?: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void;
}

/** What the kubelet reports as a container's imageID: the repo digest when the runtime knows one, else the image id. */
export const imageRefOf = (info: ImageInfo): string => info.repoDigests[0] ?? info.id;

/**
 * Upstream's image manager (EnsureImageExists): by the container's imagePullPolicy (Always; IfNotPresent; Never,
 * defaulted from the image as the API server does) uses the image the runtime has or pulls it; a missing image
 * under Never is ErrImageNeverPull, a failed pull ErrImagePull, and a pull asked again within its back-off
 * ImagePullBackOff (per Pod and image).
 */
export class ImageManager {
  private readonly backoff = new Map<string, { delayMs: number; failedAt: number }>();

  constructor(private readonly o: ImageManagerOptions) {}

  /** Resolves with the image ref to create the container from; rejects with ImagePullError. */
  async ensureImageExists(pod: Pod, container: Container, sandbox: PodSandboxConfig): Promise<string> {
    const image = container.image ?? '';
    const policy = container.imagePullPolicy ?? defaultPullPolicy(image);
    const present = policy === 'Always' ? undefined : await this.o.runtime.imageStatus(image);
    if (present) {
      this.o.event?.(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return imageRefOf(present);
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.o.event?.(pod, 'Warning', 'ErrImageNeverPull', message);
      throw new ImagePullError(message, 'ErrImageNeverPull');
    }
    const key = `${pod.metadata?.uid ?? ''}/${image}`;
    const entry = this.backoff.get(key);
    if (entry && this.o.clock.now() - entry.failedAt < entry.delayMs) {
      const message = `Back-off pulling image "${image}"`;
      this.o.event?.(pod, 'Normal', 'BackOff', message);
      throw new ImagePullError(message, 'ImagePullBackOff');
    }
    this.o.event?.(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const started = this.o.clock.now();
    try {
      const ref = await this.o.runtime.pullImage(image, sandbox);
      this.backoff.delete(key);
      this.o.event?.(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${this.o.clock.now() - started}ms`);
      return ref;
    } catch (err) {
      const base = this.o.baseMs ?? 10_000;
      this.backoff.set(key, { delayMs: entry ? Math.min(entry.delayMs * 2, this.o.maxMs ?? 300_000) : base, failedAt: this.o.clock.now() });
      const failure = err instanceof ImagePullError ? err : new ImagePullError(`Failed to pull image "${image}": ${err instanceof Error ? err.message : String(err)}`);
      this.o.event?.(pod, 'Warning', 'Failed', failure.message);
      throw failure;
    }
  }

  /** Forgets the back-off of a Pod's images. */
  forget(podUid: string): void {
    for (const key of this.backoff.keys()) if (key.startsWith(`${podUid}/`)) this.backoff.delete(key);
  }
}
