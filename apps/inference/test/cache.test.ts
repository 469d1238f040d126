// The mask cache: byte-bounded LRU, and one computation for identical requests in flight.
import { describe, expect, it } from 'vitest';
import { MaskCache } from '../src/cache/mask-cache.ts';

const map = (n: number) => new Uint8Array(n);

describe('MaskCache', () => {
  it('computes once for concurrent identical keys', async () => {
    const cache = new MaskCache(1 << 20);
    let computed = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const compute = async () => {
      computed++;
      await gate;
      return map(16);
    };
    const a = cache.get('k', compute);
    const b = cache.get('k', compute);
    release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(computed).toBe(1);
    expect(ra.mask).toBe(rb.mask);
    expect([ra.cached, rb.cached].sort()).toEqual([false, true]);
    expect((await cache.get('k', compute)).cached).toBe(true);
    expect(computed).toBe(1);
  });

  it('evicts the least recently used entry beyond the byte bound', async () => {
    const cache = new MaskCache(3 * 100); // room for three 100-byte masks
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => map(100));
    await cache.get('a', async () => map(100)); // touch a: b is now the oldest
    await cache.get('d', async () => map(100));
    expect(cache.stats().entries).toBe(3);
    expect(cache.stats().bytes).toBeLessThanOrEqual(1200);
    let recomputed = 0;
    await cache.get('b', async () => (recomputed++, map(100)));
    expect(recomputed).toBe(1);
    // Order was c, a, d; adding b evicted c, so a is still cached.
    expect((await cache.get('a', async () => (recomputed++, map(100)))).cached).toBe(true);
    expect((await cache.get('c', async () => (recomputed++, map(100)))).cached).toBe(false);
    expect(recomputed).toBe(2);
  });

  it('does not keep a failed computation', async () => {
    const cache = new MaskCache(1 << 20);
    await expect(cache.get('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.get('x', async () => map(4))).cached).toBe(false);
  });
});
