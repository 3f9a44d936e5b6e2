import type { Trace, TraceRequestRecord, TraceWatchRecord } from '../apiserver/index.js';

/** One line of the timeline: the seed's step it belongs to, when, how long since the hop before, and what. */
export interface TimelineLine {
  readonly step: number;
  /** MicroTime; undefined when the rings no longer hold the record. */
  readonly time?: string;
  readonly sinceMs?: number;
  readonly text: string;
}

const STEP_TITLES: Readonly<Record<number, string>> = {
  1: 'kubectl creates the object',
  2: 'the API server authenticates, authorizes, defaults, admits, validates and stores it',
  3: 'storage sends the event to the API server (watch cache)',
  4: 'the API server pushes it to the controller-manager',
  5: 'the controller creates the Pods',
  6: 'the API server stores each Pod',
  7: 'storage sends the Pod events',
  8: 'the API server pushes them to the scheduler',
  9: 'the scheduler binds each Pod to a node',
  10: 'the API server stores the binding',
  11: 'storage sends the Pod update',
  12: 'the node\'s kubelet receives it, starts the containers and reports the status',
};

/** The component a User-Agent names: its first word before the slash. */
export function component(userAgent: string | undefined): string {
  const first = (userAgent ?? '').split(/[\s/]/)[0] ?? '';
  return first === '' ? 'unknown client' : first.startsWith('kubectl') ? 'kubectl' : first;
}

const ms = (t: string) => Date.parse(t) + Number(`0.${t.slice(23, 26) || '0'}`);

/** Milliseconds from `a` to `b` (MicroTime strings), with microsecond precision. */
export function between(a: string, b: string): number {
  return Math.round((ms(b) - ms(a)) * 1000) / 1000;
}

function firstDelivery(trace: Trace | undefined, rv: string | undefined, who?: (w: TraceWatchRecord) => boolean): TraceWatchRecord | undefined {
  if (!trace || rv === undefined) return undefined;
  return trace.records.find((r): r is TraceWatchRecord => r.type === 'WatchDelivery' && r.resourceVersion === rv && (!who || who(r)));
}

function requests(trace: Trace | undefined, keep: (r: TraceRequestRecord) => boolean): TraceRequestRecord[] {
  return (trace?.records ?? []).filter((r): r is TraceRequestRecord => r.type === 'Request' && keep(r));
}

/**
 * The seed's steps 1–12 for an owner (e.g. a ReplicaSet) and the Pods it caused, from their Traces. Steps 5–12 are
 * given once per Pod. Each line's latency is measured from the hop before it on the same path.
 */
export function timeline(owner: Trace, pods: ReadonlyMap<string, Trace>): TimelineLine[] {
  const out: TimelineLine[] = [];
  let prev: string | undefined;
  const at = (step: number, time: string | undefined, text: string) => {
    out.push({ step, time, sinceMs: time !== undefined && prev !== undefined ? between(prev, time) : undefined, text });
    if (time !== undefined) prev = time;
  };
  const create = requests(owner, (r) => r.verb === 'create' && r.subresource === undefined)[0];
  const kind = owner.subject.resource;
  if (create) {
    at(1, create.received, `${component(create.userAgent)} POST ${create.requestURI} (user ${create.user})`);
    at(2, create.stored ?? create.completed, `${create.code} stored ${kind}/${create.name} at resourceVersion ${create.resourceVersion ?? '?'} (uid ${create.uid ?? '?'})`);
  } else {
    at(1, undefined, `no create of ${kind}/${owner.subject.name} in the API server's audit ring (created before it started, or rotated out)`);
    at(2, undefined, 'not in the audit ring');
  }
  const event = firstDelivery(owner, create?.resourceVersion);
  at(3, event?.time, event ? `${event.eventType} ${kind}/${event.name} at resourceVersion ${event.resourceVersion} reached the watch cache and fanned out` : 'no watch event recorded');
  const cm = firstDelivery(owner, create?.resourceVersion, (w) => component(w.userAgent) === 'kube-controller-manager');
  at(4, cm?.time, cm ? `delivered to the controller-manager's watch (${cm.user})` : 'no delivery to the controller-manager recorded');
  const afterOwner = prev;
  const podList = [...pods.entries()].sort(([, a], [, b]) => (podCreate(a)?.received ?? '').localeCompare(podCreate(b)?.received ?? ''));
  if (podList.length === 0) at(5, undefined, 'no Pods created');
  for (const [name, pod] of podList) {
    prev = afterOwner;
    podTimeline(name, pod, at);
  }
  return out;
}

function podCreate(pod: Trace): TraceRequestRecord | undefined {
  return requests(pod, (r) => r.verb === 'create' && r.subresource === undefined)[0];
}

function podTimeline(name: string, pod: Trace, record: (step: number, time: string | undefined, text: string) => void): void {
  const at = (step: number, time: string | undefined, text: string) => record(step, time, text.includes(name) ? text : `${text}, pod ${name}`);
  const create = podCreate(pod);
  at(5, create?.received, create ? `${component(create.userAgent)} POST ${create.requestURI} → pod ${name}` : `pod ${name}: its create is not in the audit ring`);
  at(6, create?.stored ?? create?.completed, create ? `${create.code} stored pod ${name} at resourceVersion ${create.resourceVersion ?? '?'}` : `pod ${name}`);
  const added = firstDelivery(pod, create?.resourceVersion);
  at(7, added?.time, added ? `${added.eventType} pod ${name} at resourceVersion ${added.resourceVersion}` : `pod ${name}: no watch event recorded`);
  const sched = firstDelivery(pod, create?.resourceVersion, (w) => component(w.userAgent) === 'kube-scheduler');
  at(8, sched?.time, sched ? `delivered to the scheduler's watch (${sched.user})` : `pod ${name}: no delivery to the scheduler recorded`);
  const binding = requests(pod, (r) => r.subresource === 'binding' && r.code < 300)[0];
  const node = binding?.nodeName;
  at(9, binding?.received, binding ? `${component(binding.userAgent)} POST ${binding.requestURI} → bound to ${node ?? '?'}` : `pod ${name}: no binding recorded`);
  at(10, binding?.stored ?? binding?.completed, binding ? `${binding.code} stored the binding of pod ${name} at resourceVersion ${binding.resourceVersion ?? '?'}` : `pod ${name}`);
  const modified = firstDelivery(pod, binding?.resourceVersion);
  at(11, modified?.time, modified ? `${modified.eventType} pod ${name} at resourceVersion ${modified.resourceVersion}` : `pod ${name}: no watch event recorded`);
  const kubelet = firstDelivery(pod, binding?.resourceVersion, (w) => component(w.userAgent) === 'kubelet');
  at(12, kubelet?.time, kubelet ? `delivered to ${node ?? 'the node'}'s kubelet (${kubelet.user})` : `pod ${name}: no delivery to a kubelet recorded`);
  for (const s of requests(pod, (r) => r.subresource === 'status' && component(r.userAgent) === 'kubelet' && r.code < 300)) {
    const what = s.phase === 'Running' ? 'container started, status Running' : `status ${s.phase ?? '?'}`;
    at(12, s.stored ?? s.completed, `${what} (PATCH ${s.requestURI.split('?')[0] ?? ''}, resourceVersion ${s.resourceVersion ?? '?'})`);
  }
}

/** The watchers seen delivering any of the traces' events: the standing List-Watches of step 0. */
export function standingWatches(traces: readonly Trace[]): string[] {
  const seen = new Map<string, Set<string>>();
  for (const t of traces) {
    for (const r of t.records) {
      if (r.type !== 'WatchDelivery') continue;
      const key = `${component(r.userAgent)} (${r.user})`;
      const set = seen.get(key) ?? new Set<string>();
      set.add(r.resource.split('/').pop() ?? r.resource);
      seen.set(key, set);
    }
  }
  return [...seen.entries()].map(([who, resources]) => `${who}: ${[...resources].sort().join(', ')}`);
}

/** Renders the timeline as text: a header with step 0, then one line per hop with its time and latency. */
export function renderTimeline(owner: Trace, pods: ReadonlyMap<string, Trace>): string {
  const lines: string[] = [];
  const s = owner.subject;
  lines.push(`Trace of ${s.resource}/${s.name}${s.namespace ? ` in namespace ${s.namespace}` : ''}${s.uid ? ` (uid ${s.uid})` : ''}`);
  lines.push('Step 0, before it: every component lists, then watches the API server (List-Watch). Watches that delivered these objects:');
  const watches = standingWatches([owner, ...pods.values()]);
  for (const w of watches.length > 0 ? watches : ['(none recorded)']) lines.push(`    ${w}`);
  let lastStep = 0;
  const steps = timeline(owner, pods);
  // Steps in order; within a step, the Pods' lines in the order they happened.
  const ordered = steps.map((l, i) => ({ l, i })).sort((a, b) => a.l.step - b.l.step || a.i - b.i).map(({ l }) => l);
  for (const l of ordered) {
    if (l.step !== lastStep) {
      lines.push(`Step ${l.step}. ${STEP_TITLES[l.step] ?? ''}`);
      lastStep = l.step;
    }
    const time = l.time === undefined ? '—'.padEnd(15) : l.time.slice(11, 26);
    const since = l.sinceMs === undefined ? ''.padStart(11) : `+${l.sinceMs.toFixed(3)} ms`.padStart(11);
    lines.push(`    ${time} ${since}  ${l.text}`);
  }
  const ends = [...pods.entries()].map(([name, pod]) => {
    const created = podCreate(pod)?.received;
    const running = requests(pod, (r) => r.subresource === 'status' && r.phase === 'Running')[0];
    const runningAt = running?.stored ?? running?.completed;
    return created && runningAt ? `${name} ${between(created, runningAt).toFixed(1)} ms` : undefined;
  });
  const start = requests(owner, (r) => r.verb === 'create' && r.subresource === undefined)[0]?.received;
  const lastRunning = [...pods.values()].map((p) => requests(p, (r) => r.subresource === 'status' && r.phase === 'Running')[0]).map((r) => r?.stored ?? r?.completed).filter((t): t is string => t !== undefined).sort().pop();
  if (start && lastRunning) lines.push(`Total: ${between(start, lastRunning).toFixed(1)} ms from the create to the last Pod Running (Pod create → Running: ${ends.filter(Boolean).join(', ')})`);
  return `${lines.join('\n')}\n`;
}
