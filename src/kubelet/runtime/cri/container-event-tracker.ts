import type { ContainerEvent, ContainerEventType, ContainerState } from '../runtime.js';
import { transitions } from './cri-wire.js';

interface Known {
  state: ContainerState;
  podUid: string;
  sandboxId: string;
  since: number;
}

/**
 * The last state seen of each container, and the container events between what was seen before and what is seen now
 * (CREATED → STARTED → STOPPED, in order, never backwards; DELETED when it goes). Fed by the runtime's calls and by its
 * relist, whichever sees a change first.
 */
export class ContainerEventTracker {
  private readonly listeners = new Set<(event: ContainerEvent) => void>();
  private readonly known = new Map<string, Known>();

  onContainerEvent(listener: (event: ContainerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  sandboxOf(id: string): string | undefined {
    return this.known.get(id)?.sandboxId;
  }

  has(id: string): boolean {
    return this.known.has(id);
  }

  /** Records a container's state and reports the transitions since the last known one. */
  observe(id: string, state: ContainerState, podUid: string, sandboxId: string): void {
    const k = this.known.get(id);
    const events = transitions(k?.state, state);
    if (events.length === 0 && k) return;
    this.known.set(id, { state: events.length > 0 ? state : (k?.state ?? state), podUid, sandboxId, since: k?.since ?? Date.now() });
    for (const type of events) this.emit(type, id, podUid, sandboxId);
  }

  /** The container is gone: reports its deletion if it was known. */
  deleted(id: string): void {
    const k = this.known.get(id);
    if (!k) return;
    this.known.delete(id);
    this.emit('CONTAINER_DELETED_EVENT', id, k.podUid, k.sandboxId);
  }

  /** The known containers of a sandbox. */
  containersOf(sandboxId: string): string[] {
    return [...this.known].filter(([, k]) => k.sandboxId === sandboxId).map(([id]) => id);
  }

  /** The known containers not in `seen` that were known before `listedAt` (a list started then could have shown them). */
  missingFrom(seen: ReadonlySet<string>, listedAt: number): string[] {
    return [...this.known].filter(([id, k]) => !seen.has(id) && k.since < listedAt).map(([id]) => id);
  }

  private emit(type: ContainerEventType, containerId: string, podUid: string, podSandboxId: string): void {
    const event: ContainerEvent = { type, containerId, podSandboxId, podUid, at: Date.now() };
    for (const listener of this.listeners) listener(event);
  }
}
