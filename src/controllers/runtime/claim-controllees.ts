/**
 * ClaimPods / ClaimReplicaSets (upstream's BaseControllerRefManager.ClaimObject): adopts matching orphans and
 * releases owned objects that stopped matching, through strategic merge patches carrying the object's uid.
 */
import { ApiError, type LabelSelector } from '../../api/index.js';
import { adoptPatch, classifyPods, releasePatch, type GroupVersionKind, type OwnedObject } from './controller-ref.js';

export interface ClaimRequest<T extends OwnedObject> {
  readonly owner: OwnedObject;
  readonly gvk: GroupVersionKind;
  readonly selector: LabelSelector;
  /** The owner's controllees and the orphans in its namespace, from the cache. */
  readonly candidates: readonly T[];
  /** A live read of the owner, made only when something is to be adopted (it must still exist, not deleting). */
  readOwner(): Promise<OwnedObject>;
  /** Sends a strategic merge patch to a candidate; resolves with the patched object. */
  patch(candidate: T, body: object): Promise<T>;
}

/**
 * The controllees the owner keeps: those it controls that match, plus the orphans it adopted. An adoption answered
 * 404 is skipped; a release answered 404 or 422 (gone, or replaced by another object of that name) is not an error.
 */
export async function claimControllees<T extends OwnedObject>(req: ClaimRequest<T>): Promise<T[]> {
  const { owner, selector, candidates } = req;
  let plan = classifyPods(owner, selector, candidates);
  if (plan.adopt.length > 0) {
    const fresh = await req.readOwner();
    if (fresh.metadata?.uid !== owner.metadata?.uid || fresh.metadata?.deletionTimestamp) plan = classifyPods(owner, selector, candidates, false);
  }
  const claimed = [...plan.owned];
  await Promise.all([
    ...plan.adopt.map(async (obj) => {
      try {
        claimed.push(await req.patch(obj, adoptPatch(owner, req.gvk, obj.metadata?.uid ?? '')));
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }),
    ...plan.release.map(async (obj) => {
      try {
        await req.patch(obj, releasePatch(owner.metadata?.uid ?? '', obj.metadata?.uid ?? ''));
      } catch (err) {
        if (!(err instanceof ApiError && (err.code === 404 || err.code === 422))) throw err;
      }
    }),
  ]);
  return claimed;
}
