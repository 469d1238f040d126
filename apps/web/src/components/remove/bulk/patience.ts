/**
 * The browser side of the per-user limits: uploads and ZIPs run with bounded concurrency, and a
 * 429 is waited out (its Retry-After) and tried again — it never fails an image.
 */

/** Runs `worker` over `items` with at most `concurrency` at once; resolves when all are done. */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      await worker(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds to wait when a 429 names none. */
const DEFAULT_WAIT_S = 5;

/**
 * Calls `attempt` until it succeeds or fails with something other than a rate limit.
 * `retryAfter(err)`: the seconds a refusal asks us to wait, or null when it is a real failure.
 */
export async function withRetryAfter<T>(
  attempt: () => Promise<T>,
  retryAfter: (err: unknown) => number | null,
  onWait: (seconds: number) => void = () => {},
  wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const seconds = retryAfter(err);
      if (seconds === null) throw err;
      const s = seconds > 0 ? seconds : DEFAULT_WAIT_S;
      onWait(s);
      await wait(s * 1000);
    }
  }
}

/** A batch id the server accepts (a v4 UUID), also where crypto.randomUUID is missing (plain HTTP). */
export function newBatchId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
