import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/index.js';

/** Resource amounts as plain numbers: milli-CPU, bytes, Pod count, and any other resource in its base unit. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
  /** Extended and hugepages resources, by name. */
  scalar: Map<string, number>;
}

/** upstream's DefaultMilliCPURequest and DefaultMemoryRequest: what a container without requests counts as when spreading. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: new Map() };
}

const parsed = new Map<string, Quantity>();
function quantity(text: string): Quantity {
  let q = parsed.get(text);
  if (q === undefined) {
    q = Quantity.parse(text);
    if (parsed.size > 4096) parsed.clear();
    parsed.set(text, q);
  }
  return q;
}

function amount(name: string, text: string | number): number {
  const q = quantity(String(text));
  return name === 'cpu' ? Number(q.milliValue()) : Number(q.value());
}

function addList(into: Resources, list: Record<string, string | number> | undefined): void {
  if (!list) return;
  for (const [name, text] of Object.entries(list)) {
    const v = amount(name, text);
    if (name === 'cpu') into.milliCPU += v;
    else if (name === 'memory') into.memory += v;
    else if (name === 'ephemeral-storage') into.ephemeralStorage += v;
    else if (name === 'pods') into.pods += v;
    else into.scalar.set(name, (into.scalar.get(name) ?? 0) + v);
  }
}

function maxInto(into: Resources, other: Resources): void {
  into.milliCPU = Math.max(into.milliCPU, other.milliCPU);
  into.memory = Math.max(into.memory, other.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage);
  for (const [k, v] of other.scalar) into.scalar.set(k, Math.max(into.scalar.get(k) ?? 0, v));
}

function addInto(into: Resources, other: Resources): void {
  into.milliCPU += other.milliCPU;
  into.memory += other.memory;
  into.ephemeralStorage += other.ephemeralStorage;
  for (const [k, v] of other.scalar) into.scalar.set(k, (into.scalar.get(k) ?? 0) + v);
}

function containerRequests(c: Container, nonZero: boolean): Resources {
  const r = emptyResources();
  addList(r, c.resources?.requests);
  if (nonZero) {
    if (c.resources?.requests?.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (c.resources?.requests?.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * What a Pod asks of a node, as upstream's resource.PodRequests: the sum of its containers' requests (restartable init
 * containers, "sidecars", included), at least the largest request of any other init container together with the
 * sidecars started before it, plus the Pod's overhead. With `nonZero`, containers without a cpu or memory request count
 * as 100m and 200Mi (used for scoring only).
 */
export function podRequests(pod: Pod, nonZero = false): Resources {
  const spec = pod.spec;
  const total = emptyResources();
  if (!spec) return total;
  for (const c of spec.containers ?? []) addInto(total, containerRequests(c, nonZero));
  const sidecars = emptyResources();
  const initMax = emptyResources();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      addInto(total, r);
    } else {
      addInto(r, sidecars);
      maxInto(initMax, r);
    }
  }
  maxInto(total, initMax);
  addList(total, spec.overhead);
  return total;
}

/** A node's status.allocatable (capacity when allocatable is missing). */
export function nodeAllocatable(node: Node): Resources {
  const r = emptyResources();
  addList(r, node.status?.allocatable ?? node.status?.capacity);
  return r;
}
