import { MAX_NODE_SCORE, type NodeScore } from './interfaces.js';

/**
 * Upstream's helper.DefaultNormalizeScore: scales scores so the highest becomes `max` (integer division); with
 * `reverse`, a score s becomes max − s. When every score is 0, all become 0 (or `max` when reversed).
 */
export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean, max = MAX_NODE_SCORE): void {
  let highest = 0;
  for (const s of scores) if (s.score > highest) highest = s.score;
  if (highest === 0) {
    if (reverse) for (const s of scores) s.score = max;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((max * s.score) / highest);
    if (reverse) v = max - v;
    s.score = v;
  }
}
