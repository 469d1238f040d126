import { beforeAll, describe, expect, it } from 'vitest';
import { withTestDb } from '@bgr/db/test/support';
import { createUser } from '@bgr/db/queries/users';
import type { Db } from '@bgr/db/client';
import {
  chargeApiRate,
  megapixelUnits,
  peekApiRate,
  settleFailedApiRate,
  takeApiRate,
} from '../../src/server/rate-limit';

describe('the API rate limit, per user in PostgreSQL', () => {
  const t = withTestDb('postgres');
  let db: Db;
  beforeAll(() => {
    db = t.db;
  });

  it('admits on one unit, raises to the probed cost, counts a failure as one unit, and is per user', async () => {
    const user = await createUser(db, { email: `rate-${Date.now()}@example.com` });
    const a = await takeApiRate(db, user.id, 10);
    expect(a).toMatchObject({ ok: true, remaining: 9 });
    if (!a.ok) throw new Error('unreachable');
    await chargeApiRate(db, a.hitId, 8);
    expect(await peekApiRate(db, user.id, 10)).toMatchObject({ limit: 10, remaining: 2 });
    const b = await takeApiRate(db, user.id, 10);
    const c = await takeApiRate(db, user.id, 10);
    const d = await takeApiRate(db, user.id, 10);
    expect([b.ok, c.ok, d.ok]).toEqual([true, true, false]);
    expect(!d.ok && d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    if (!b.ok) throw new Error('unreachable');
    // a (8) + b + c = 10; b fails: still 10 (a failure counts one unit, and no less).
    await settleFailedApiRate(db, b.hitId);
    expect((await peekApiRate(db, user.id, 10)).remaining).toBe(0);
    await chargeApiRate(db, a.hitId, 3); // a failed too, after its probe: back to one unit
    await settleFailedApiRate(db, a.hitId);
    expect((await peekApiRate(db, user.id, 10)).remaining).toBe(7);
    // Another user has a budget of their own.
    const other = await createUser(db, { email: `rate-other-${Date.now()}@example.com` });
    expect((await peekApiRate(db, other.id, 10)).remaining).toBe(10);
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
    const { readWebEnv } = await import('../../src/env');
    const defaults = limitsFromEnv(readWebEnv({}));
    expect([defaults.rateLimitMpu, defaults.freeCalls, defaults.improvePerDay]).toEqual([500, 0, 100]);
    const configured = limitsFromEnv(readWebEnv({ API_RATE_LIMIT_MPU: '50', API_FREE_CALLS: '25' }));
    expect([configured.rateLimitMpu, configured.freeCalls]).toEqual([50, 25]);
    // Issue 12: a bad value is no longer replaced by the default; it stops the server in one sentence.
    expect(() => readWebEnv({ API_RATE_LIMIT_MPU: 'lots', API_FREE_CALLS: '' })).toThrow(
      'API_RATE_LIMIT_MPU must be a number of megapixel-units per minute, 0 or more (got "lots").',
    );
  });
});
