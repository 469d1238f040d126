/**
 * withCharge binds content the work fetched itself (an image_url's bytes) to the idempotency key,
 * so a replay can tell whether it fetched the same thing the captured call was paid for.
 */
import { describe, expect, it } from 'vitest';
import { findChargeKey, withCharge } from '../src/queries/charge';
import { balance, grant } from '../src/queries/ledger';
import { createUser } from '../src/queries/users';
import { DB_KINDS, withTestDb } from './support';

let seq = 0;

describe.each(DB_KINDS)('withCharge content binding on %s', (kind) => {
  const ctx = withTestDb(kind, { reconcile: true });
  const now = new Date('2027-03-01T12:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const newUser = async (units: number) => {
    const id = (await createUser(ctx.db, { email: `charge-content${++seq}-${kind}@example.com` })).id;
    await grant(ctx.db, { userId: id, units, kind: 'promo', now });
    return id;
  };

  it('hands a replay the content the captured call bound; the key stays bound to its request', async () => {
    const userId = await newUser(8);
    const input = { userId, units: 4, kind: 'api', key: 'api:url', fingerprint: 'url-a|full', now };
    const seen: Array<string | null> = [];
    const first = await withCharge(ctx.db, input, async ({ boundContent }) => {
      seen.push(boundContent);
      return { value: 1, content: 'bytes-a' };
    });
    expect(first).toMatchObject({ units: 4, replayed: false });
    expect(await findChargeKey(ctx.db, { userId, key: 'api:url', now })).toMatchObject({
      fingerprint: 'url-a|full',
      content: 'bytes-a',
      status: 'captured',
    });
    const replay = await withCharge(ctx.db, { ...input, now: later(1000) }, async ({ replayed, boundContent }) => {
      seen.push(boundContent);
      return { value: replayed };
    });
    expect(replay).toMatchObject({ value: true, units: 0, replayed: true });
    expect(seen).toEqual([null, 'bytes-a']);
    // Another request under the key is still refused before its work.
    await expect(
      withCharge(ctx.db, { ...input, fingerprint: 'url-b|full' }, async () => ({ value: 0 })),
    ).rejects.toMatchObject({ code: 'key_reused' });
    expect((await balance(ctx.db, { userId, now })).totalUnits).toBe(4);
  });

  it('binds nothing for a work that fetched nothing, and nothing for a failed attempt', async () => {
    const userId = await newUser(8);
    const input = { userId, units: 4, kind: 'api', key: 'api:upload', fingerprint: 'bytes|full', now };
    await expect(
      withCharge(ctx.db, input, async () => {
        throw new Error('render failed');
      }),
    ).rejects.toThrow('render failed');
    expect(await findChargeKey(ctx.db, { userId, key: 'api:upload', now })).toBeNull();
    await withCharge(ctx.db, input, async () => ({ value: 1 }));
    expect(await findChargeKey(ctx.db, { userId, key: 'api:upload', now })).toMatchObject({
      fingerprint: 'bytes|full',
      content: null,
    });
    let bound: string | null | undefined;
    await withCharge(ctx.db, input, async ({ boundContent }) => {
      bound = boundContent;
      return { value: 1 };
    });
    expect(bound).toBeNull();
  });
});
