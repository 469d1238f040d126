import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  countAdmins,
  createUser,
  findUserByEmail,
  listUsers,
  setDisabled,
  setRole,
  verifyPassword,
} from '../src/queries/users';
import { ssoSignIn } from '../src/queries/sso';
import { createApiKey, findUserByApiKey, listApiKeys, revokeApiKey } from '../src/queries/api-keys';
import {
  createImage,
  getImage,
  listExpiredImages,
  listRecentImages,
  markImageHd,
  setImageConsent,
} from '../src/queries/images';
import { recordHelpFeedback, helpFeedbackCounts } from '../src/queries/feedback';
import { createImprovement, listImprovements } from '../src/queries/improvement';
import { listAudit, writeAudit } from '../src/queries/audit';
import { recordUsage, usageByDay } from '../src/queries/usage';
import { apiKeys, helpFeedback } from '../src/schema';
import { DB_KINDS, withTestDb } from './support';

describe.each(DB_KINDS)('accounts on %s', (kind) => {
  const ctx = withTestDb(kind);

  it('hashes passwords with argon2 and refuses wrong, disabled or duplicate accounts', async () => {
    const u = await createUser(ctx.db, { email: ' Ann@Example.com ', password: 'correct horse', name: 'Ann' });
    expect(u.email).toBe('ann@example.com');
    expect(u).not.toHaveProperty('passwordHash');
    await expect(createUser(ctx.db, { email: 'ann@example.com', password: 'another one' })).rejects.toThrow(
      /already exists/,
    );
    await expect(createUser(ctx.db, { email: 'not-an-email', password: 'whatever1' })).rejects.toThrow(/not an email/);
    await expect(createUser(ctx.db, { email: 'short@example.com', password: 'short' })).rejects.toThrow(/at least 8/);
    expect((await verifyPassword(ctx.db, 'ANN@example.com', 'correct horse'))?.id).toBe(u.id);
    expect(await verifyPassword(ctx.db, 'ann@example.com', 'wrong horse')).toBeNull();
    await setDisabled(ctx.db, u.id, true);
    expect(await verifyPassword(ctx.db, 'ann@example.com', 'correct horse')).toBeNull();
    await setDisabled(ctx.db, u.id, false);
    expect(await countAdmins(ctx.db)).toBe(0);
    await setRole(ctx.db, u.id, 'admin');
    expect(await countAdmins(ctx.db)).toBe(1);
    expect((await listUsers(ctx.db, { search: 'ANN' })).map((x) => x.email)).toEqual(['ann@example.com']);
    const sso = { issuer: 'https://sso.example.com', subject: 'o-1', emailVerified: false, name: 'O' };
    const o1 = await ssoSignIn(ctx.db, { ...sso, email: 'oidc@example.com' }, { mayCreate: true });
    const o2 = await ssoSignIn(ctx.db, { ...sso, email: 'OIDC@example.com' }, { mayCreate: true });
    expect(o1).toMatchObject({ ok: true, how: 'created' });
    expect(o2).toMatchObject({ ok: true, how: 'returning', user: { id: o1.ok ? o1.user.id : '' } });
    expect(await findUserByEmail(ctx.db, 'nobody@example.com')).toBeNull();
  });

  it('stores API keys hashed, shows them once, and stops accepting revoked keys', async () => {
    const u = await createUser(ctx.db, { email: 'keys@example.com', password: 'password123' });
    const { id, key } = await createApiKey(ctx.db, { userId: u.id, name: 'ci' });
    expect(key).toMatch(/^bgr_[0-9a-f]{40}$/);
    const [stored] = await ctx.db.select().from(apiKeys);
    expect(JSON.stringify(stored)).not.toContain(key);
    const found = await findUserByApiKey(ctx.db, key);
    expect(found?.user.id).toBe(u.id);
    expect(found?.apiKey.lastUsedAt).toBeInstanceOf(Date);
    expect(await findUserByApiKey(ctx.db, `${key}x`)).toBeNull();
    expect((await listApiKeys(ctx.db, u.id))[0]).toMatchObject({ id, prefix: key.slice(0, 12) });
    expect(await revokeApiKey(ctx.db, { id, userId: '00000000-0000-0000-0000-000000000000' })).toBeNull();
    expect((await revokeApiKey(ctx.db, { id, userId: u.id }))?.revokedAt).toBeInstanceOf(Date);
    expect(await findUserByApiKey(ctx.db, key)).toBeNull();
    const second = await createApiKey(ctx.db, { userId: u.id, name: 'other' });
    await setDisabled(ctx.db, u.id, true);
    expect(await findUserByApiKey(ctx.db, second.key)).toBeNull();
  });

  it('keeps images, consent, HD results, usage, audit, improvement and feedback rows', async () => {
    const u = await createUser(ctx.db, { email: 'img@example.com' });
    const old = new Date('2026-01-01T00:00:00Z');
    const img = await createImage(ctx.db, {
      userId: u.id,
      contentHash: 'abc',
      originalName: 'cat.jpg',
      width: 10,
      height: 20,
      bytes: 300,
      storageKey: 'k/1',
      consentImprove: false,
      source: 'web',
      now: old,
    });
    const newer = await createImage(ctx.db, {
      userId: u.id,
      contentHash: 'def',
      originalName: 'dog.png',
      width: 1,
      height: 1,
      bytes: 3,
      storageKey: 'k/2',
      consentImprove: true,
      source: 'api',
    });
    expect((await listRecentImages(ctx.db, u.id, 10)).map((i) => i.id)).toEqual([newer.id, img.id]);
    expect(
      (await setImageConsent(ctx.db, { imageId: img.id, userId: u.id, consentImprove: true }))?.consentImprove,
    ).toBe(true);
    expect((await listExpiredImages(ctx.db, new Date('2026-02-01T00:00:00Z'))).map((i) => i.id)).toEqual([img.id]);
    const hd = await markImageHd(ctx.db, {
      imageId: img.id,
      holdId: null,
      resultKey: 'r/1',
      width: 10,
      height: 20,
      format: 'png',
    });
    expect(hd).toMatchObject({ status: 'hd', hdResultKey: 'r/1', hdWidth: 10, hdFormat: 'png' });
    expect((await getImage(ctx.db, img.id))?.originalName).toBe('cat.jpg');

    await recordUsage(ctx.db, {
      userId: u.id,
      channel: 'api',
      kind: 'preview',
      units: 1,
      megapixels: 0.2,
      ok: true,
      now: new Date('2026-03-01T10:00:00Z'),
    });
    await recordUsage(ctx.db, {
      userId: u.id,
      channel: 'api',
      kind: 'full',
      units: 0,
      ok: false,
      errorCode: 'invalid_size',
      now: new Date('2026-03-01T11:00:00Z'),
    });
    expect(
      await usageByDay(ctx.db, {
        userId: u.id,
        from: new Date('2026-03-01T00:00:00Z'),
        to: new Date('2026-03-02T00:00:00Z'),
      }),
    ).toEqual([
      { day: '2026-03-01', channel: 'api', calls: 2, failures: 1, units: 1, megapixels: expect.closeTo(0.2, 5) },
    ]);

    await writeAudit(ctx.db, { actorId: null, action: 'grant', targetUserId: u.id, details: { units: 4 } });
    expect((await listAudit(ctx.db, { targetUserId: u.id }))[0]).toMatchObject({
      action: 'grant',
      details: { units: 4 },
    });

    await createImprovement(ctx.db, {
      userId: u.id,
      source: 'api',
      storageKey: 'improve/1',
      filename: 'x.jpg',
      tag: 'hair',
    });
    expect((await listImprovements(ctx.db))[0]).toMatchObject({ filename: 'x.jpg', tag: 'hair', source: 'api' });

    await recordHelpFeedback(ctx.db, { topic: 'api', helpful: true });
    await recordHelpFeedback(ctx.db, { topic: 'api', helpful: false, userId: u.id });
    await recordHelpFeedback(ctx.db, { topic: 'api', helpful: true });
    expect(await helpFeedbackCounts(ctx.db)).toEqual([{ topic: 'api', helpful: 2, notHelpful: 1 }]);
  });

  it('keeps one help vote per person and topic: voting again changes it, even many clicks at once', async () => {
    const u = await createUser(ctx.db, { email: 'voter@example.com' });
    const rows = async () =>
      ctx.db
        .select({ topic: helpFeedback.topic, helpful: helpFeedback.helpful })
        .from(helpFeedback)
        .where(eq(helpFeedback.userId, u.id))
        .orderBy(helpFeedback.topic);
    await recordHelpFeedback(ctx.db, { topic: 'credits', helpful: true, userId: u.id });
    await recordHelpFeedback(ctx.db, { topic: 'credits', helpful: true, userId: u.id });
    await recordHelpFeedback(ctx.db, { topic: 'credits', helpful: false, userId: u.id });
    await recordHelpFeedback(ctx.db, { topic: 'payg', helpful: true, userId: u.id });
    expect(await rows()).toEqual([
      { topic: 'credits', helpful: false },
      { topic: 'payg', helpful: true },
    ]);
    // Ten first clicks at once (on PostgreSQL each its own transaction, on connections opened
    // beforehand so they start together) still leave one vote.
    await Promise.all(Array.from({ length: 10 }, () => ctx.db.execute(sql`select pg_sleep(0.05)`)));
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordHelpFeedback(ctx.db, { topic: 'api', helpful: i % 2 === 0, userId: u.id }),
      ),
    );
    expect((await rows()).filter((r) => r.topic === 'api')).toHaveLength(1);
    // The database keeps the rule (unique index, migration 0012): a second row is refused.
    await expect(ctx.db.insert(helpFeedback).values({ userId: u.id, topic: 'payg', helpful: false })).rejects.toThrow();
    await recordHelpFeedback(ctx.db, { topic: 'payg', helpful: true, userId: u.id });
    expect(await rows()).toEqual([
      { topic: 'api', helpful: expect.any(Boolean) },
      { topic: 'credits', helpful: false },
      { topic: 'payg', helpful: true },
    ]);
    const counts = await helpFeedbackCounts(ctx.db);
    expect(counts.find((c) => c.topic === 'payg')).toEqual({ topic: 'payg', helpful: 1, notHelpful: 0 });
  });
});
