/** Upstream's slow-start batching of pod creations (pkg/controller/replicaset/replica_set.go). */

/** The most pods one sync creates or deletes (upstream's BurstReplicas). */
export const BurstReplicas = 500;

/** The size of the first slow-start batch (upstream's SlowStartInitialBatchSize). */
export const SlowStartInitialBatchSize = 1;

/**
 * Calls `fn` `count` times in batches of initialBatchSize, then twice the previous size, each capped
 * by the calls that remain. The calls of one batch run concurrently; the next batch starts only when
 * the whole batch has settled and none of it failed. Returns how many calls succeeded and, when a
 * batch failed, the first error in the order the calls failed; later batches are never started.
 */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: () => Promise<void>,
): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batchSize = Math.min(remaining, initialBatchSize); batchSize > 0; batchSize = Math.min(2 * batchSize, remaining)) {
    const errors: unknown[] = [];
    const calls: Promise<void>[] = [];
    for (let i = 0; i < batchSize; i++) {
      calls.push(
        (async () => fn())().then(
          () => undefined,
          (error: unknown) => {
            errors.push(error);
          },
        ),
      );
    }
    await Promise.all(calls);
    successes += batchSize - errors.length;
    if (errors.length > 0) return { successes, error: errors[0] };
    remaining -= batchSize;
  }
  return { successes };
}
