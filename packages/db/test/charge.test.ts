import { describe, expect, it } from 'vitest';
import { ChargeError, findChargeKey, IDEMPOTENCY_TTL_MS, pruneChargeKeys, withCharge } from '../src/queries/charge';
import { balance, getHold, grant, history } from '../src/queries/ledger';
import { createUser } from '../src/queries/users';
import { DB_KINDS, withTestDb } from './support';

let seq = 0;

describe.each(DB_KINDS)('withCharge on %s', (kind) => {
  const ctx = withTestDb(kind, { reconcile: true });

  const now = new Date('2027-03-01T12:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const newUser = async (units: number) => {
    const id = (await createUser(ctx.db, { email: `charge${++seq}-${kind}@example.com` })).id;
    if (units > 0) await grant(ctx.db, { userId: id, units, kind: 'promo', now });
    return id;
  };
  const left = async (userId: string, at = now) => (await balance(ctx.db, { userId, now: at })).totalUnits;
  const charges = async (userId: string) =>
    (await history(ctx.db, { userId })).filter((e) => e.type === 'charge').map((e) => e.units);

  it('captures what the work cost and releases the rest', async () => {
    const userId = await newUser(8);
    const done = await withCharge(ctx.db, { userId, units: 4, kind: 'api', now }, async () => ({
      value: 'ok',
      units: 1,
    }));
    expect(done).toMatchObject({ value: 'ok', units: 1, replayed: false });
    expect(await getHold(ctx.db, done.holdId)).toMatchObject({ status: 'captured', capturedUnits: 1 });
    expect(await left(userId)).toBe(7);
  });

  it('releases on a thrown error and on a client that hung up, charging nothing', async () => {
    const userId = await newUser(4);
    await expect(
      withCharge(ctx.db, { userId, units: 4, kind: 'api', now }, async () => {
        throw new Error('render failed');
      }),
    ).rejects.toThrow('render failed');
    const gone = new AbortController();
    await expect(
      withCharge(ctx.db, { userId, units: 4, kind: 'api', signal: gone.signal, now }, async () => {
        gone.abort();
        return { value: 'too late' };
      }),
    ).rejects.toMatchObject({ code: 'aborted' });
    expect(await left(userId)).toBe(4);
    expect(await charges(userId)).toEqual([]);
    expect((await balance(ctx.db, { userId, now })).heldUnits).toBe(0);
  });

  it('refuses a short balance before the work runs', async () => {
    const userId = await newUser(3);
    let ran = false;
    const err = await withCharge(
      ctx.db,
      { userId, units: 4, kind: 'api', key: 'api:k', fingerprint: 'f', now },
      async () => {
        ran = true;
        return { value: 1 };
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChargeError);
    expect(err).toMatchObject({ code: 'insufficient', units: 4, available: 3 });
    expect(ran).toBe(false);
    // A refused call stores nothing under its key.
    expect(await findChargeKey(ctx.db, { userId, key: 'api:k', now })).toBeNull();
  });

  it('binds a key to its fingerprint: replay free, another request refused, running refused', async () => {
    const userId = await newUser(8);
    const input = { userId, units: 4, kind: 'api', key: 'api:order-1', fingerprint: 'image-a|full', now };
    const first = await withCharge(ctx.db, input, async ({ replayed }) => ({ value: replayed }));
    expect(first).toMatchObject({ value: false, units: 4, replayed: false });
    // Same key, same request: the work runs again (results are not stored), nothing charged.
    const replay = await withCharge(ctx.db, { ...input, now: later(1000) }, async ({ replayed }) => ({
      value: replayed,
    }));
    expect(replay).toMatchObject({ value: true, units: 0, replayed: true, holdId: first.holdId });
    // Same key, another request: refused before the work.
    let ran = false;
    await expect(
      withCharge(ctx.db, { ...input, fingerprint: 'image-b|full' }, async () => {
        ran = true;
        return { value: true };
      }),
    ).rejects.toMatchObject({ code: 'key_reused' });
    expect(ran).toBe(false);
    expect(await left(userId)).toBe(4);
    expect(await charges(userId)).toEqual([-4]);
  });

  it('answers in_progress while the first call runs, and key_reused for another request meanwhile', async () => {
    const userId = await newUser(8);
    const input = { userId, units: 4, kind: 'api', key: 'api:slow', fingerprint: 'x', now };
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const running = withCharge(ctx.db, input, async () => {
      await gate;
      return { value: 'first' };
    });
    // Wait until the first call holds its key.
    for (let i = 0; i < 200 && !(await findChargeKey(ctx.db, { userId, key: input.key, now })); i++)
      await new Promise((r) => setTimeout(r, 10));
    await expect(withCharge(ctx.db, input, async () => ({ value: 'second' }))).rejects.toMatchObject({
      code: 'in_progress',
    });
    await expect(
      withCharge(ctx.db, { ...input, fingerprint: 'y' }, async () => ({ value: 'third' })),
    ).rejects.toMatchObject({ code: 'key_reused' });
    finish();
    expect((await running).value).toBe('first');
    expect(await left(userId)).toBe(4);
  });

  it('a failed call stores nothing: the key is free for any request, charged only when it succeeds', async () => {
    const userId = await newUser(4);
    const input = { userId, units: 4, kind: 'api', key: 'api:retry', fingerprint: 'first', now };
    await expect(
      withCharge(ctx.db, input, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await findChargeKey(ctx.db, { userId, key: input.key, now })).toBeNull();
    const retried = await withCharge(ctx.db, { ...input, fingerprint: 'other' }, async () => ({ value: 1 }));
    expect(retried).toMatchObject({ units: 4, replayed: false });
    expect(await findChargeKey(ctx.db, { userId, key: input.key, now })).toMatchObject({
      fingerprint: 'other',
      status: 'captured',
    });
    expect(await left(userId)).toBe(0);
  });

  it('a replay needs no credits; keys are per user and forgotten after 24 hours', async () => {
    const userId = await newUser(4);
    const input = { userId, units: 4, kind: 'api', key: 'api:once', fingerprint: 'f', now };
    await withCharge(ctx.db, input, async () => ({ value: 1 }));
    expect(await left(userId)).toBe(0);
    expect(
      await withCharge(ctx.db, { ...input, now: later(IDEMPOTENCY_TTL_MS - 1) }, async () => ({ value: 2 })),
    ).toMatchObject({ replayed: true, units: 0 });
    // Another user's same key is their own call.
    const other = await newUser(4);
    expect(await withCharge(ctx.db, { ...input, userId: other }, async () => ({ value: 3 }))).toMatchObject({
      replayed: false,
      units: 4,
    });
    // After 24 hours the key is a new call (here: refused, the balance is empty).
    await expect(
      withCharge(ctx.db, { ...input, now: later(IDEMPOTENCY_TTL_MS) }, async () => ({ value: 4 })),
    ).rejects.toMatchObject({ code: 'insufficient' });
    expect(await pruneChargeKeys(ctx.db, later(IDEMPOTENCY_TTL_MS))).toBeGreaterThanOrEqual(1);
    expect(await findChargeKey(ctx.db, { userId, key: input.key, now })).toBeNull();
  });

  it('keeps a key with no expiry (HD paid) for ever, pruning aside', async () => {
    const userId = await newUser(4);
    const input = { userId, units: 4, kind: 'hd', key: 'hd:abc', fingerprint: 'abc', ttlMs: null, now };
    await withCharge(ctx.db, input, async () => ({ value: 1 }));
    const year = 365 * 24 * 3600 * 1000;
    await pruneChargeKeys(ctx.db, later(year));
    expect(await withCharge(ctx.db, { ...input, now: later(year) }, async () => ({ value: 2 }))).toMatchObject({
      replayed: true,
      units: 0,
    });
  });
});
