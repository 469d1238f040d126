import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/client';
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
import { apiKeys } from '../src/schema';
import { createTestDb, DB_KINDS } from './support';

describe.each(DB_KINDS)('accounts on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await createTestDb(kind));
  });
  afterAll(() => close?.());

  it('hashes passwords with argon2 and refuses wrong, disabled or duplicate accounts', async () => {
    const u = await createUser(db, { email: ' Ann@Example.com ', password: 'correct horse', name: 'Ann' });
    expect(u.email).toBe('ann@example.com');
    expect(u).not.toHaveProperty('passwordHash');
    await expect(createUser(db, { email: 'ann@example.com', password: 'another one' })).rejects.toThrow(
      /already exists/,
    );
    await expect(createUser(db, { email: 'not-an-email', password: 'whatever1' })).rejects.toThrow(/not an email/);
    await expect(createUser(db, { email: 'short@example.com', password: 'short' })).rejects.toThrow(/at least 8/);
    expect((await verifyPassword(db, 'ANN@example.com', 'correct horse'))?.id).toBe(u.id);
    expect(await verifyPassword(db, 'ann@example.com', 'wrong horse')).toBeNull();
    await setDisabled(db, u.id, true);
    expect(await verifyPassword(db, 'ann@example.com', 'correct horse')).toBeNull();
    await setDisabled(db, u.id, false);
    expect(await countAdmins(db)).toBe(0);
    await setRole(db, u.id, 'admin');
    expect(await countAdmins(db)).toBe(1);
    expect((await listUsers(db, { search: 'ANN' })).map((x) => x.email)).toEqual(['ann@example.com']);
    const sso = { issuer: 'https://sso.example.com', subject: 'o-1', emailVerified: false, name: 'O' };
    const o1 = await ssoSignIn(db, { ...sso, email: 'oidc@example.com' }, { mayCreate: true });
    const o2 = await ssoSignIn(db, { ...sso, email: 'OIDC@example.com' }, { mayCreate: true });
    expect(o1).toMatchObject({ ok: true, how: 'created' });
    expect(o2).toMatchObject({ ok: true, how: 'returning', user: { id: o1.ok ? o1.user.id : '' } });
    expect(await findUserByEmail(db, 'nobody@example.com')).toBeNull();
  });

  it('stores API keys hashed, shows them once, and stops accepting revoked keys', async () => {
    const u = await createUser(db, { email: 'keys@example.com', password: 'password123' });
    const { id, key } = await createApiKey(db, { userId: u.id, name: 'ci' });
    expect(key).toMatch(/^bgr_[0-9a-f]{40}$/);
    const [stored] = await db.select().from(apiKeys);
    expect(JSON.stringify(stored)).not.toContain(key);
    const found = await findUserByApiKey(db, key);
    expect(found?.user.id).toBe(u.id);
    expect(found?.apiKey.lastUsedAt).toBeInstanceOf(Date);
    expect(await findUserByApiKey(db, `${key}x`)).toBeNull();
    expect((await listApiKeys(db, u.id))[0]).toMatchObject({ id, prefix: key.slice(0, 12) });
    expect(await revokeApiKey(db, { id, userId: '00000000-0000-0000-0000-000000000000' })).toBeNull();
    expect((await revokeApiKey(db, { id, userId: u.id }))?.revokedAt).toBeInstanceOf(Date);
    expect(await findUserByApiKey(db, key)).toBeNull();
    const second = await createApiKey(db, { userId: u.id, name: 'other' });
    await setDisabled(db, u.id, true);
    expect(await findUserByApiKey(db, second.key)).toBeNull();
  });

  it('keeps images, consent, HD results, usage, audit, improvement and feedback rows', async () => {
    const u = await createUser(db, { email: 'img@example.com' });
    const old = new Date('2026-01-01T00:00:00Z');
    const img = await createImage(db, {
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
    const newer = await createImage(db, {
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
    expect((await listRecentImages(db, u.id, 10)).map((i) => i.id)).toEqual([newer.id, img.id]);
    expect((await setImageConsent(db, { imageId: img.id, userId: u.id, consentImprove: true }))?.consentImprove).toBe(
      true,
    );
    expect((await listExpiredImages(db, new Date('2026-02-01T00:00:00Z'))).map((i) => i.id)).toEqual([img.id]);
    const hd = await markImageHd(db, {
      imageId: img.id,
      holdId: null,
      resultKey: 'r/1',
      width: 10,
      height: 20,
      format: 'png',
    });
    expect(hd).toMatchObject({ status: 'hd', hdResultKey: 'r/1', hdWidth: 10, hdFormat: 'png' });
    expect((await getImage(db, img.id))?.originalName).toBe('cat.jpg');

    await recordUsage(db, {
      userId: u.id,
      channel: 'api',
      kind: 'preview',
      units: 1,
      megapixels: 0.2,
      ok: true,
      now: new Date('2026-03-01T10:00:00Z'),
    });
    await recordUsage(db, {
      userId: u.id,
      channel: 'api',
      kind: 'full',
      units: 0,
      ok: false,
      errorCode: 'invalid_size',
      now: new Date('2026-03-01T11:00:00Z'),
    });
    expect(
      await usageByDay(db, {
        userId: u.id,
        from: new Date('2026-03-01T00:00:00Z'),
        to: new Date('2026-03-02T00:00:00Z'),
      }),
    ).toEqual([
      { day: '2026-03-01', channel: 'api', calls: 2, failures: 1, units: 1, megapixels: expect.closeTo(0.2, 5) },
    ]);

    await writeAudit(db, { actorId: null, action: 'grant', targetUserId: u.id, details: { units: 4 } });
    expect((await listAudit(db, { targetUserId: u.id }))[0]).toMatchObject({ action: 'grant', details: { units: 4 } });

    await createImprovement(db, {
      userId: u.id,
      source: 'api',
      storageKey: 'improve/1',
      filename: 'x.jpg',
      tag: 'hair',
    });
    expect((await listImprovements(db))[0]).toMatchObject({ filename: 'x.jpg', tag: 'hair', source: 'api' });

    await recordHelpFeedback(db, { topic: 'api', helpful: true });
    await recordHelpFeedback(db, { topic: 'api', helpful: false, userId: u.id });
    await recordHelpFeedback(db, { topic: 'api', helpful: true });
    expect(await helpFeedbackCounts(db)).toEqual([{ topic: 'api', helpful: 2, notHelpful: 1 }]);
  });
});
