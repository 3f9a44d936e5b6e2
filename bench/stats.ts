/** Percentile of a sample (nearest rank), in the sample's unit. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `op(i)` for i in [0, total) with `concurrency` loops in flight; returns operations per second. */
export async function rate(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A ~2 KB JSON object shaped like a ConfigMap, distinct per `i`. */
export function payload(i: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${i}`, namespace: 'bench', labels: { app: 'bench', index: String(i) } },
    data: { config: 'k=v\n'.repeat(480) },
  });
}

export interface Row {
  readonly metric: string;
  readonly figure: string;
  readonly baseline?: string;
  readonly ratio?: string;
  readonly target?: string;
}

export function printTable(title: string, rows: readonly Row[]): void {
  console.log(`\n## ${title}\n`);
  console.log('| metric | figure | same-run baseline | ratio | target |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.metric} | ${r.figure} | ${r.baseline ?? ''} | ${r.ratio ?? ''} | ${r.target ?? ''} |`);
}
