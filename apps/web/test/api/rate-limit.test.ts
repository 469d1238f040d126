import { describe, expect, it } from 'vitest';
import { megapixelUnits, RateLimiter } from '../../src/server/rate-limit';

describe('RateLimiter', () => {
  it('counts committed costs in a sliding window and says when to retry', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ limit: 10, windowMs: 60_000, now: () => now });
    const a = limiter.take('k', 6);
    expect(a.ok).toBe(true);
    if (a.ok) a.commit();
    now += 20_000;
    const b = limiter.take('k', 4);
    expect(b.ok && b.remaining).toBe(0);
    if (b.ok) b.commit();
    const c = limiter.take('k', 1);
    expect(c.ok).toBe(false);
    // The first call (6 units) leaves the window 40 s from now.
    expect(!c.ok && c.retryAfterSeconds).toBe(40);
    expect(c.resetAt).toBe(Math.ceil((1_000_000 + 60_000) / 1000));
    expect(limiter.take('other', 1).ok).toBe(true);
    now += 40_000;
    expect(limiter.take('k', 6).ok).toBe(true);
  });

  it('does not count cancelled (failed) calls, but does hold their slot while running', () => {
    const limiter = new RateLimiter({ limit: 2, now: () => 0 });
    const first = limiter.take('k', 2);
    expect(first.ok).toBe(true);
    expect(limiter.take('k', 1).ok).toBe(false);
    if (first.ok) first.cancel();
    expect(limiter.peek('k').remaining).toBe(2);
    expect(limiter.take('k', 2).ok).toBe(true);
  });

  it('lets one oversized call through an empty window', () => {
    const limiter = new RateLimiter({ limit: 5, now: () => 0 });
    expect(limiter.take('k', 50).ok).toBe(true);
    expect(limiter.take('k', 1).ok).toBe(false);
  });
});

describe('megapixelUnits', () => {
  it('is max(1, ceil(MP))', () => {
    expect(megapixelUnits(10, 10)).toBe(1);
    expect(megapixelUnits(1000, 1000)).toBe(1);
    expect(megapixelUnits(1000, 1001)).toBe(2);
    expect(megapixelUnits(8000, 6250)).toBe(50);
  });
});

describe('limitsFromEnv', () => {
  it('reads API_RATE_LIMIT_MPU and API_FREE_CALLS with remove.bg-like defaults', async () => {
    const { limitsFromEnv } = await import('../../src/server/removebg/deps');
    const defaults = limitsFromEnv({});
    expect([defaults.rateLimiter.limit, defaults.freeCalls, defaults.improvePerDay]).toEqual([500, 0, 100]);
    const configured = limitsFromEnv({ API_RATE_LIMIT_MPU: '50', API_FREE_CALLS: '25' });
    expect([configured.rateLimiter.limit, configured.freeCalls]).toEqual([50, 25]);
    expect(limitsFromEnv({ API_RATE_LIMIT_MPU: 'lots', API_FREE_CALLS: '' }).rateLimiter.limit).toBe(500);
  });
});
