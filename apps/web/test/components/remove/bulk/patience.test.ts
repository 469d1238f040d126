/** The queue's patience: bounded concurrency, and a 429 waited out (Retry-After) instead of failing. */
import { describe, expect, it } from 'vitest';
import { newBatchId, runPool, withRetryAfter } from '~/components/remove/bulk/patience';

describe('runPool', () => {
  it('runs every item with at most `concurrency` at once', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5 + (n % 3) * 5));
      inFlight--;
      done.push(n);
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });
});

describe('withRetryAfter', () => {
  class Limited extends Error {
    constructor(readonly seconds: number) {
      super('slow down');
    }
  }
  const retryAfter = (err: unknown) => (err instanceof Limited ? err.seconds : null);

  it('waits out each 429 for its Retry-After and then succeeds', async () => {
    const waits: number[] = [];
    const slept: number[] = [];
    let calls = 0;
    const value = await withRetryAfter(
      async () => {
        calls++;
        if (calls === 1) throw new Limited(7);
        if (calls === 2) throw new Limited(0);
        return 'uploaded';
      },
      retryAfter,
      (s) => waits.push(s),
      async (ms) => {
        slept.push(ms);
      },
    );
    expect(value).toBe('uploaded');
    expect(waits).toEqual([7, 5]);
    expect(slept).toEqual([7000, 5000]);
  });

  it('passes any other failure through at once', async () => {
    await expect(
      withRetryAfter(
        async () => {
          throw new Error('Only JPEG, PNG and WebP images are supported.');
        },
        retryAfter,
        () => {},
        async () => {},
      ),
    ).rejects.toThrow('Only JPEG, PNG and WebP images are supported.');
  });
});

describe('newBatchId', () => {
  it('makes distinct v4 UUIDs', () => {
    const a = newBatchId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newBatchId()).not.toBe(a);
  });
});
