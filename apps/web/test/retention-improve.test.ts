/** Retention deletes /improve submissions like images; the scheduler prunes old limit hits and idempotency keys. */
import { describe, expect, it } from 'vitest';
import { withTestDb } from '@bgr/db/test/support';
import { createUser } from '@bgr/db/queries/users';
import { createImprovement, listImprovements } from '@bgr/db/queries/improvement';
import { peekLimit, recordLimitHit } from '@bgr/db/queries/limits';
import { findChargeKey, withCharge } from '@bgr/db/queries/charge';
import { grant } from '@bgr/db/queries/ledger';
import { deleteExpiredImprovements } from '~/server/images/retention';
import { pruneCounters } from '~/server/scheduler';
import { withLocalStorage } from './support/local-storage';

describe('retention and pruning on postgres', () => {
  const t = withTestDb('postgres');
  const folder = withLocalStorage('retention');

  it('deletes /improve submissions older than RETENTION_DAYS, file and row, and keeps newer ones', async () => {
    const { storage } = folder;
    const user = await createUser(t.db, { email: `improve-${Date.now()}@example.com` });
    const now = new Date();
    const old = await createImprovement(t.db, {
      userId: user.id,
      source: 'api',
      storageKey: `improvements/${user.id}/old`,
      filename: 'a.jpg',
      now: new Date(now.getTime() - 31 * 86_400_000),
    });
    const fresh = await createImprovement(t.db, {
      userId: user.id,
      source: 'api',
      storageKey: `improvements/${user.id}/fresh`,
      filename: 'b.jpg',
      now,
    });
    await storage.put(old.storageKey, new Uint8Array([1, 2, 3]));
    await storage.put(fresh.storageKey, new Uint8Array([4, 5, 6]));
    expect(await deleteExpiredImprovements({ db: t.db, storage }, { now, days: 30 })).toEqual({ deleted: 1 });
    expect(await storage.get(old.storageKey)).toBeNull();
    expect(await storage.get(fresh.storageKey)).not.toBeNull();
    expect((await listImprovements(t.db, { limit: 10 })).map((s) => s.id)).toEqual([fresh.id]);
  });

  it('prunes limit hits older than a day and idempotency keys past their 24 hours', async () => {
    const user = await createUser(t.db, { email: `prune-${Date.now()}@example.com` });
    const now = new Date();
    await grant(t.db, { userId: user.id, units: 4, kind: 'promo', now: new Date(now.getTime() - 26 * 3_600_000) });
    const spec = { bucket: `test:prune:${user.id}`, limit: 100, windowMs: 2 * 86_400_000 };
    await recordLimitHit(t.db, { ...spec, cost: 5, now: new Date(now.getTime() - 25 * 3_600_000) });
    await recordLimitHit(t.db, { ...spec, cost: 1, now });
    await withCharge(
      t.db,
      {
        userId: user.id,
        units: 1,
        kind: 'api',
        key: 'api:old',
        fingerprint: 'f',
        now: new Date(now.getTime() - 25 * 3_600_000),
      },
      async () => ({ value: 1 }),
    );
    await withCharge(
      t.db,
      { userId: user.id, units: 1, kind: 'api', key: 'api:new', fingerprint: 'f', now },
      async () => ({ value: 1 }),
    );
    const pruned = await pruneCounters(t.db, now);
    expect(pruned.limitHits).toBeGreaterThanOrEqual(1);
    expect(pruned.chargeKeys).toBeGreaterThanOrEqual(1);
    expect((await peekLimit(t.db, { ...spec, now })).remaining).toBe(99);
    expect(await findChargeKey(t.db, { userId: user.id, key: 'api:new', now })).not.toBeNull();
  });
});
