import type { Attributes, Authorizer, Decision } from './authorizer.js';

/**
 * upstream's union authorizer: asks each in order; the first Allow or Deny decides; otherwise NoOpinion with every
 * reason given, one per line.
 */
export class UnionAuthorizer implements Authorizer {
  constructor(private readonly authorizers: readonly Authorizer[]) {}

  async authorize(attrs: Attributes): Promise<{ decision: Decision; reason: string }> {
    const reasons: string[] = [];
    for (const a of this.authorizers) {
      const { decision, reason } = await a.authorize(attrs);
      if (decision !== 'NoOpinion') return { decision, reason };
      if (reason !== '') reasons.push(reason);
    }
    return { decision: 'NoOpinion', reason: reasons.join('\n') };
  }
}

export type AuthorizationMode = 'AlwaysAllow' | 'AlwaysDeny' | 'Node' | 'RBAC';
const MODES: readonly AuthorizationMode[] = ['AlwaysAllow', 'AlwaysDeny', 'Node', 'RBAC'];

/** Parses --authorization-mode (`Node,RBAC`); throws with upstream's wording on an unknown or repeated mode. */
export function parseAuthorizationModes(value: string): AuthorizationMode[] {
  const modes = value.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (modes.length === 0) throw new Error('at least one authorization-mode must be passed');
  const seen = new Set<string>();
  for (const m of modes) {
    if (!MODES.includes(m as AuthorizationMode)) throw new Error(`authorization-mode "${m}" is not a valid mode`);
    if (seen.has(m)) throw new Error(`authorization-mode "${m}" has mode specified more than once`);
    seen.add(m);
  }
  return modes as AuthorizationMode[];
}
