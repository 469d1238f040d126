/**
 * withCharge binds content the work fetched itself (an image_url's bytes) to the idempotency key,
 * so a replay can tell whether it fetched the same thing the captured call was paid for. Keys bound
 * before migration 0011 kept that digest in the fingerprint after a `#`; 0011 moves it to its column.
 */
import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../src/client';
import { findChargeKey, withCharge } from '../src/queries/charge';
import { balance, grant } from '../src/queries/ledger';
import { createUser } from '../src/queries/users';
import { createPgliteDataDir, DB_KINDS, forgetMigrationsFrom, withEmptyPostgres, withTestDb } from './support';

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

  it('replays a key a replica older than 0011 wrote during a rolling upgrade (fingerprint#digest, no column)', async () => {
    const userId = await newUser(8);
    const fingerprint = 'a'.repeat(64);
    const input = { userId, units: 4, kind: 'api', key: 'api:older', fingerprint, now };
    await withCharge(ctx.db, input, async () => ({ value: 1 }));
    // What the older code stored for a call that fetched 'bytes-a'.
    await ctx.db.execute(
      sql`UPDATE charge_keys SET fingerprint = ${`${fingerprint}#bytes-a`}, content_digest = NULL WHERE key = 'api:older'`,
    );
    const seen: Array<string | null> = [];
    const replay = await withCharge(ctx.db, { ...input, now: later(1000) }, async ({ boundContent }) => {
      seen.push(boundContent);
      return { value: 2 };
    });
    expect(replay).toMatchObject({ replayed: true, units: 0 });
    expect(seen).toEqual(['bytes-a']);
    await expect(
      withCharge(ctx.db, { ...input, fingerprint: 'b'.repeat(64) }, async () => ({ value: 0 })),
    ).rejects.toMatchObject({ code: 'key_reused' });
    expect((await balance(ctx.db, { userId, now })).totalUnits).toBe(4);
  });
});

describe.each(DB_KINDS)('migration 0011 on %s', (kind) => {
  const empty = kind === 'postgres' ? withEmptyPostgres() : undefined;
  const now = new Date('2027-03-01T12:00:00Z');

  it('splits a key stored as `fingerprint#digest` into its fingerprint and content digest', async () => {
    const dataDir = empty ? undefined : await createPgliteDataDir();
    const open = () => createDb(empty ? { url: empty.url } : { dataDir });
    let handle: DbHandle | undefined = await open();
    try {
      const userId = (await createUser(handle.db, { email: `charge-0011-${kind}@example.com` })).id;
      await grant(handle.db, { userId, units: 20, kind: 'promo', now });
      const url = { userId, units: 4, kind: 'api', key: 'api:url', fingerprint: 'fp-url', now };
      await withCharge(handle.db, url, async () => ({ value: 1, content: 'digest-a' }));
      const hd = { userId, units: 4, kind: 'hd', key: 'hd:abc', fingerprint: 'abc', ttlMs: null, now };
      await withCharge(handle.db, hd, async () => ({ value: 1 }));

      // Back to where 0010 left the database, the keys stored as the code before 0011 stored them.
      await handle.db.execute(sql`alter table "charge_keys" drop column "content_digest"`);
      await handle.db.execute(sql`update "charge_keys" set "fingerprint" = 'fp-url#digest-a' where "key" = 'api:url'`);
      await forgetMigrationsFrom(handle.db, '0011_charge_key_content');
      await handle.close();
      handle = undefined;

      handle = await open();
      const db = handle.db;
      expect(await findChargeKey(db, { userId, key: 'api:url', now })).toMatchObject({
        fingerprint: 'fp-url',
        content: 'digest-a',
        status: 'captured',
      });
      expect(await findChargeKey(db, { userId, key: 'hd:abc', now })).toMatchObject({
        fingerprint: 'abc',
        content: null,
        status: 'captured',
      });
      // The same request replays free with the digest its paid call bound; another one is refused.
      const replay = await withCharge(db, url, async ({ replayed, boundContent }) => ({
        value: { replayed, boundContent },
      }));
      expect(replay).toMatchObject({ value: { replayed: true, boundContent: 'digest-a' }, units: 0 });
      await expect(
        withCharge(db, { ...url, fingerprint: 'fp-other' }, async () => ({ value: 0 })),
      ).rejects.toMatchObject({ code: 'key_reused' });
      expect((await balance(db, { userId, now })).totalUnits).toBe(12);
    } finally {
      await handle?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
