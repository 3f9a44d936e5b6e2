import type { Binding } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { BindPlugin, Handle } from '../../framework/interfaces.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';

/** Binds with POST pods/<name>/binding (the API server sets spec.nodeName and the PodScheduled condition). */
export class DefaultBinder implements BindPlugin {
  static readonly pluginName = 'DefaultBinder';
  readonly name = DefaultBinder.pluginName;

  constructor(private readonly handle: Handle) {}

  async bind(_state: CycleState, pod: PodInfo, nodeName: string, signal?: AbortSignal): Promise<Result> {
    const meta = pod.pod.metadata ?? {};
    const binding: Binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { namespace: meta.namespace, name: meta.name, uid: meta.uid },
      target: { kind: 'Node', name: nodeName },
    };
    try {
      await this.handle.client.kind('v1', 'Pod').createSubresource(meta.namespace ?? '', meta.name ?? '', 'binding', binding, signal);
      return undefined;
    } catch (err) {
      return Status.error(err);
    }
  }
}
