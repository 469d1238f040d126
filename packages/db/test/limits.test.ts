import { describe, expect, it } from 'vitest';
import {
  cancelLimitHit,
  clearLimit,
  peekLimit,
  pruneLimitHits,
  recordLimitHit,
  takeLimit,
} from '../src/queries/limits';
import { DB_KINDS, withTestDb } from './support';

describe.each(DB_KINDS)('limits on %s', (kind) => {
  const ctx = withTestDb(kind);

  const t0 = new Date('2027-01-01T00:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  it('counts costs in a sliding window, says when to retry, and forgets cancelled hits', async () => {
    const spec = { bucket: 'test:a', limit: 10, windowMs: 60_000 };
    const a = await takeLimit(ctx.db, { ...spec, cost: 6, now: at(0) });
    expect(a).toMatchObject({ ok: true, remaining: 4 });
    const b = await takeLimit(ctx.db, { ...spec, cost: 3, now: at(10) });
    expect(b).toMatchObject({ ok: true, remaining: 1 });
    const c = await takeLimit(ctx.db, { ...spec, cost: 3, now: at(20) });
    expect(c.ok).toBe(false);
    // The 6 leaves the window at 60 s: 40 s from now.
    expect(c.ok === false && c.retryAfterSeconds).toBe(40);
    if (!b.ok) throw new Error('unreachable');
    await cancelLimitHit(ctx.db, b.hitId);
    expect((await takeLimit(ctx.db, { ...spec, cost: 3, now: at(21) })).ok).toBe(true);
    // After the window the first hit no longer counts.
    expect(await takeLimit(ctx.db, { ...spec, cost: 7, now: at(61) })).toMatchObject({ ok: true, remaining: 0 });
    // Other buckets are separate.
    expect((await takeLimit(ctx.db, { ...spec, bucket: 'test:b', cost: 10, now: at(61) })).ok).toBe(true);
  });

  it('lets one oversized hit through an empty window only', async () => {
    const spec = { bucket: 'test:big', limit: 5, windowMs: 60_000 };
    expect((await takeLimit(ctx.db, { ...spec, cost: 50, now: at(0) })).ok).toBe(true);
    expect((await takeLimit(ctx.db, { ...spec, cost: 1, now: at(1) })).ok).toBe(false);
  });

  it('admits exactly the limit when many callers race', async () => {
    const spec = { bucket: 'test:race', limit: 7, windowMs: 60_000, now: at(0) };
    const results = await Promise.all(Array.from({ length: 20 }, () => takeLimit(ctx.db, spec)));
    expect(results.filter((r) => r.ok)).toHaveLength(7);
  });

  it('records failures unconditionally, peeks, clears and prunes', async () => {
    const spec = { bucket: 'test:signin', limit: 3, windowMs: 900_000 };
    for (let i = 0; i < 3; i++) await recordLimitHit(ctx.db, { ...spec, now: at(i) });
    const full = await peekLimit(ctx.db, { ...spec, now: at(5) });
    expect(full).toMatchObject({ ok: false, remaining: 0 });
    expect(full.retryAfterSeconds).toBe(895);
    await clearLimit(ctx.db, spec.bucket);
    expect((await peekLimit(ctx.db, { ...spec, now: at(6) })).ok).toBe(true);
    await recordLimitHit(ctx.db, { ...spec, now: at(0) });
    expect(await pruneLimitHits(ctx.db, at(3600))).toBeGreaterThan(0);
    expect((await peekLimit(ctx.db, { ...spec, now: at(1) })).remaining).toBe(3);
  });
});
