/**
 * One index, shared by every controller that looks up objects by their controller: the controller's uid, or
 * `orphan/<namespace>` for objects without one. Registered once per informer, whichever controller comes first.
 */
import type { SharedInformer } from '../../client/index.js';
import { getControllerOf, type OwnedObject } from './controller-ref.js';

export const CONTROLLER_UID_INDEX = 'podControllerUID';

export const orphanIndexKey = (namespace: string) => `orphan/${namespace}`;

const registered = new WeakSet<object>();

/** Adds the index to the informer unless it already has it. */
export function addControllerUIDIndex<T extends OwnedObject>(informer: SharedInformer<T>): void {
  if (registered.has(informer)) return;
  registered.add(informer);
  informer.addIndexers({
    [CONTROLLER_UID_INDEX]: (obj) => {
      const ref = getControllerOf(obj);
      return [ref ? ref.uid : orphanIndexKey(obj.metadata?.namespace ?? '')];
    },
  });
}
