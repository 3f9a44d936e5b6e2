import type { QueuedPodInfo, QueueSortPlugin } from '../../framework/interfaces.js';

/** Higher spec.priority first; equal priorities in the order they entered the queue. */
export class PrioritySort implements QueueSortPlugin {
  static readonly pluginName = 'PrioritySort';
  readonly name = PrioritySort.pluginName;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const pa = a.podInfo.priority;
    const pb = b.podInfo.priority;
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  }
}
