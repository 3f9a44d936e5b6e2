import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 may grow the heap past what survived the last full collection, in percent, for the long-running server
 * processes. Left to itself, V8 lets a process that allocates fast (an API server under a burst of writes) grow its
 * heap to two or more times its live objects before collecting again: `skiff server` with 10,000 Pods held 1.6 GB of
 * heap for 0.5–0.7 GB of live objects. At 40 % it stays within 1 GB at the same speed (docs/benchmarks.md), as Go's
 * GOGC bounds kube-apiserver's heap to twice its live set.
 */
export const SERVER_HEAP_GROWING_PERCENT = 40;

/** The V8 flag to set, unless the process was started with its own (on the command line or in NODE_OPTIONS). */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined, percent = SERVER_HEAP_GROWING_PERCENT): string | undefined {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a));
  return given ? undefined : `--heap-growing-percent=${percent}`;
}

/** Bounds the heap's growth for this process (see SERVER_HEAP_GROWING_PERCENT); V8 reads the flag at every full collection. */
export function boundHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag !== undefined) setFlagsFromString(flag);
}
