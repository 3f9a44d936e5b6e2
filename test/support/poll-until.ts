// Re-checks a condition of the cluster until it holds, with a deadline.

/** Calls `check` every 100 ms until it returns something truthy (returned), failing after `timeoutMs`. */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
