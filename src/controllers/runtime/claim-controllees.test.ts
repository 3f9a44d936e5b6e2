import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, LabelSelector } from '../../api/index.js';
import { claimControllees } from './claim-controllees.js';

const owner = { metadata: { name: 'o', namespace: 'ns', uid: 'owner-uid' } };
const gvk = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const selector = LabelSelector.fromSpec({ matchLabels: { app: 'a' } });
const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'o', uid: 'owner-uid', controller: true };
const pod = (name: string, app: string, owned: boolean): Pod => ({ metadata: { name, namespace: 'ns', uid: `${name}-uid`, labels: { app }, ...(owned ? { ownerReferences: [ref] } : {}) } });

describe('claimControllees', () => {
  it('keeps owned matches, adopts matching orphans, releases owned objects that stopped matching', async () => {
    const patches: [string, object][] = [];
    const claimed = await claimControllees({
      owner,
      gvk,
      selector,
      candidates: [pod('owned', 'a', true), pod('orphan', 'a', false), pod('gone', 'a', false), pod('moved', 'b', true), pod('other', 'b', false)],
      readOwner: async () => owner,
      patch: async (p, body) => {
        patches.push([p.metadata!.name!, body]);
        if (p.metadata?.name === 'gone') throw new ApiError({ code: 404, reason: 'NotFound', message: 'gone' });
        return { ...p, metadata: { ...p.metadata, ownerReferences: [ref] } };
      },
    });
    assert.deepEqual(claimed.map((p) => p.metadata?.name).sort(), ['orphan', 'owned']);
    assert.deepEqual(patches.map(([n]) => n).sort(), ['gone', 'moved', 'orphan']);
    assert.deepEqual(patches.find(([n]) => n === 'moved')?.[1], { metadata: { uid: 'moved-uid', ownerReferences: [{ $patch: 'delete', uid: 'owner-uid' }] } });
  });

  it('adopts nothing when the live owner is another object or being deleted', async () => {
    for (const fresh of [{ metadata: { uid: 'new-uid' } }, { metadata: { uid: 'owner-uid', deletionTimestamp: '2026-01-01T00:00:00Z' } }]) {
      const claimed = await claimControllees({
        owner,
        gvk,
        selector,
        candidates: [pod('orphan', 'a', false)],
        readOwner: async () => fresh,
        patch: () => Promise.reject(new Error('no patch expected')),
      });
      assert.deepEqual(claimed, []);
    }
  });
});
