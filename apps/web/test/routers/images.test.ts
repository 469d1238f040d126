/**
 * Upload → free preview → HD download, through the real inference service (real IS-Net) and the
 * real ledger, on PGlite and PostgreSQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { TestDbKind } from '@bgr/db/test/support';
import { createUser } from '@bgr/db/queries/users';
import { balance, grant } from '@bgr/db/queries/ledger';
import { createImage, getImage } from '@bgr/db/queries/images';
import { holds, images, ledgerEntries, usageEvents } from '@bgr/db/schema';
import { ingestImage } from '~/server/images/ingest';
import { downloadHd } from '~/server/images/hd';
import { deleteExpiredImages } from '~/server/images/retention';
import { storageKeys } from '~/server/storage/index';
import { callerFor, trpcError } from '../support/context';
import { makePhoto } from '../support/fixtures';
import { withImageDb, withImageServices } from '../support/image-services';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const services = withImageServices('web-storage');
let photo: Buffer;

beforeAll(async () => {
  photo = await makePhoto({ width: 320, height: 240 });
});

describe.each(['pglite', 'postgres'] as TestDbKind[])('images on %s', (kind) => {
  const { t, deps } = withImageDb(kind, services);
  let user: { id: string; email: string; role: string };
  let other: { id: string; email: string; role: string };

  beforeAll(async () => {
    user = await createUser(t.db, { email: `u-${kind}@example.com`, password: 'correct horse battery' });
    other = await createUser(t.db, { email: `o-${kind}@example.com`, password: 'correct horse battery' });
    await grant(t.db, { userId: user.id, units: 4, kind: 'payg', note: 'test' });
  });

  it('upload stores the original and a free preview: no ledger entry, a 0-unit usage event', async () => {
    const image = await ingestImage(deps, { userId: user.id, bytes: photo, originalName: '../holiday/me.jpg' });
    expect(image).toMatchObject({
      width: 320,
      height: 240,
      originalName: 'me.jpg',
      consentImprove: false,
      hdPaid: false,
    });
    const row = await getImage(t.db, image.id);
    expect(row?.userId).toBe(user.id);
    expect(await deps.storage.get(row!.storageKey)).toEqual(photo);
    const preview = await deps.storage.get(storageKeys.preview(row!.storageKey));
    expect(preview?.subarray(0, 4)).toEqual(PNG_SIGNATURE);

    const entries = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, user.id));
    expect(entries.map((e) => e.type)).toEqual(['grant']);
    const usage = await t.db.select().from(usageEvents).where(eq(usageEvents.userId, user.id));
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({ channel: 'web', kind: 'preview', units: 0, ok: true });
    expect((await balance(t.db, { userId: user.id })).totalUnits).toBe(4);
  });

  it('refuses a file that is not an image, with a sentence, storing nothing', async () => {
    await expect(
      ingestImage(deps, {
        userId: other.id,
        bytes: new TextEncoder().encode('hello, not an image'),
        originalName: 'x.txt',
      }),
    ).rejects.toMatchObject({ code: 'invalid_file_type', message: expect.stringMatching(/JPEG, PNG and WebP/) });
    expect(await t.db.select().from(images).where(eq(images.userId, other.id))).toHaveLength(0);
  });

  it('consent is refused by default and stored per image; only the owner may change it', async () => {
    const caller = await callerFor(t.db, user);
    const [image] = await caller.images.recent();
    expect(image!.consentImprove).toBe(false);
    await caller.images.setConsent({ id: image!.id, allow: true });
    expect((await getImage(t.db, image!.id))?.consentImprove).toBe(true);
    const stranger = await callerFor(t.db, other);
    expect((await trpcError(stranger.images.setConsent({ id: image!.id, allow: false }))).code).toBe('NOT_FOUND');
    expect((await getImage(t.db, image!.id))?.consentImprove).toBe(true);
  });

  it('HD costs 1 credit once; downloading the same image again is free', async () => {
    const caller = await callerFor(t.db, user);
    const [image] = await caller.images.recent();
    const quote = await caller.images.hdQuote({ id: image!.id });
    expect(quote).toMatchObject({ paid: false, costCredits: 1, balanceCredits: 1, formats: ['png', 'webp', 'zip'] });

    const first = await caller.images.hd({ id: image!.id, format: 'png' });
    expect(first).toMatchObject({ charged: true, chargedCredits: 1, balanceCredits: 0 });
    expect(first.downloadUrl).toBe(`/api/images/${image!.id}/hd?format=png`);

    const file = await downloadHd(deps, { userId: user.id, imageId: image!.id, format: 'png', allowCharge: false });
    expect(file.charged).toBe(false);
    expect(file.body.subarray(0, 4)).toEqual(PNG_SIGNATURE);
    expect(file.contentType).toBe('image/png');

    const again = await caller.images.hd({ id: image!.id, format: 'png' });
    expect(again).toMatchObject({ charged: false, balanceCredits: 0 });
    const otherFormat = await caller.images.hd({ id: image!.id, format: 'webp' });
    expect(otherFormat.charged).toBe(false);
    expect((await caller.images.hdQuote({ id: image!.id })).paid).toBe(true);

    const charges = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, user.id));
    expect(charges.filter((e) => e.type === 'charge').reduce((s, e) => s + Math.abs(e.delta), 0)).toBe(4);
    const b = await balance(t.db, { userId: user.id });
    expect(b).toMatchObject({ totalUnits: 0, heldUnits: 0 });
  });

  it('a paid image can be downloaded again with a background colour, free, with the colour applied', async () => {
    const caller = await callerFor(t.db, user);
    const [image] = await caller.images.recent();
    const res = await caller.images.hd({ id: image!.id, format: 'png', bgColor: '#ff0000' });
    expect(res).toMatchObject({ charged: false, balanceCredits: 0 });
    expect(res.downloadUrl).toBe(`/api/images/${image!.id}/hd?format=png&bg=ff0000`);
    const file = await downloadHd(deps, {
      userId: user.id,
      imageId: image!.id,
      format: 'png',
      bgColor: 'ff0000',
      allowCharge: false,
    });
    const { data, info } = await sharp(file.body).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([320, 240]);
    // The top-left corner is background in the fixture: now solid red.
    const [r, g, b] = [data[0]!, data[1]!, data[2]!];
    expect(r).toBeGreaterThan(240);
    expect(g).toBeLessThan(15);
    expect(b).toBeLessThan(15);
    if (info.channels === 4) expect(data[3]).toBe(255);
  });

  it('the same picture uploaded again is the same image: its HD is free', async () => {
    const again = await ingestImage(deps, { userId: user.id, bytes: photo, originalName: 'me-again.jpg' });
    const caller = await callerFor(t.db, user);
    expect(await caller.images.hdQuote({ id: again.id })).toMatchObject({
      paid: true,
      costCredits: 0,
      balanceCredits: 0,
    });
    const res = await caller.images.hd({ id: again.id, format: 'png' });
    expect(res).toMatchObject({ charged: false, chargedCredits: 0, balanceCredits: 0 });
    expect((await getImage(t.db, again.id))?.hdHoldId).not.toBeNull();
    // Another person's identical upload is theirs to pay for.
    const theirs = await ingestImage(deps, { userId: other.id, bytes: photo, originalName: 'me.jpg' });
    const stranger = await callerFor(t.db, other);
    expect(await stranger.images.hdQuote({ id: theirs.id })).toMatchObject({ paid: false, costCredits: 1 });
    await t.db.delete(images).where(eq(images.id, again.id));
    await t.db.delete(images).where(eq(images.id, theirs.id));
  });

  it('with too few credits: a clear sentence and nothing charged', async () => {
    await ingestImage(deps, {
      userId: user.id,
      bytes: await makePhoto({ width: 200, height: 300, format: 'png' }),
      originalName: 'second.png',
    });
    const caller = await callerFor(t.db, user);
    const [second] = await caller.images.recent();
    expect(second!.originalName).toBe('second.png');
    const res = await trpcError(caller.images.hd({ id: second!.id, format: 'png' }));
    expect(res.code).toBe('PAYMENT_REQUIRED');
    expect(res.message).toBe(
      'You need 1 credit to download this image in HD, but your balance is 0 credits. Nothing was charged.',
    );
    const b = await balance(t.db, { userId: user.id });
    expect(b).toMatchObject({ totalUnits: 0, heldUnits: 0 });
    const open = await t.db.select().from(holds).where(eq(holds.userId, user.id));
    expect(open.filter((h) => h.status !== 'captured')).toHaveLength(0);
    expect((await getImage(t.db, second!.id))?.hdHoldId).toBeNull();
  });

  it('a failed HD render releases the hold: the credit is back and nothing was charged', async () => {
    await grant(t.db, { userId: other.id, units: 4, kind: 'payg' });
    const image = await ingestImage(deps, { userId: other.id, bytes: photo, originalName: 'lost.jpg' });
    const row = await getImage(t.db, image.id);
    await deps.storage.delete(row!.storageKey); // the original vanished: the render cannot happen
    const caller = await callerFor(t.db, other);
    const res = await trpcError(caller.images.hd({ id: image.id, format: 'png' }));
    expect(res.code).not.toBe('OK');
    expect(res.message).toMatch(/original of this image has been deleted/);
    expect(await balance(t.db, { userId: other.id })).toMatchObject({ totalUnits: 4, heldUnits: 0 });
    expect((await t.db.select().from(holds).where(eq(holds.userId, other.id))).map((h) => h.status)).toEqual([
      'released',
    ]);
    expect((await getImage(t.db, image.id))?.hdHoldId).toBeNull();
  });

  it('over 10 megapixels, PNG is not offered and a PNG request is refused before any charge', async () => {
    await grant(t.db, { userId: other.id, units: 4, kind: 'payg' });
    const before = await balance(t.db, { userId: other.id });
    const big = await createImage(t.db, {
      userId: other.id,
      contentHash: 'x'.repeat(64),
      originalName: 'big.jpg',
      width: 5000,
      height: 3000,
      bytes: 1000,
      storageKey: storageKeys.original(storageKeys.newFolder(other.id, 'big')),
      consentImprove: false,
      source: 'web',
    });
    const caller = await callerFor(t.db, other);
    expect((await caller.images.hdQuote({ id: big.id })).formats).toEqual(['webp', 'zip']);
    const res = await trpcError(caller.images.hd({ id: big.id, format: 'png' }));
    expect(res).toEqual({
      code: 'BAD_REQUEST',
      message: 'Images over 10 megapixels are available as WebP or ZIP, not PNG.',
    });
    expect(await balance(t.db, { userId: other.id })).toEqual(before);
  });

  it("other people's images are invisible", async () => {
    const mine = await (await callerFor(t.db, user)).images.recent();
    const stranger = await callerFor(t.db, other);
    expect((await trpcError(stranger.images.get({ id: mine[0]!.id }))).code).toBe('NOT_FOUND');
    expect((await trpcError(stranger.images.hd({ id: mine[0]!.id, format: 'png' }))).code).toBe('NOT_FOUND');
    expect((await stranger.images.recent()).map((i) => i.id)).not.toContain(mine[0]!.id);
  });

  it('retention deletes images older than RETENTION_DAYS with all their files, and keeps newer ones', async () => {
    const old = await ingestImage(deps, { userId: other.id, bytes: photo, originalName: 'old.jpg' });
    const fresh = await ingestImage(deps, { userId: other.id, bytes: photo, originalName: 'fresh.jpg' });
    const now = new Date();
    await t.db
      .update(images)
      .set({ createdAt: new Date(now.getTime() - 31 * 86_400_000) })
      .where(eq(images.id, old.id));
    const oldRow = (await getImage(t.db, old.id))!;
    const freshRow = (await getImage(t.db, fresh.id))!;

    const { deleted } = await deleteExpiredImages({ db: t.db, storage: deps.storage }, { now, days: 30 });
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await getImage(t.db, old.id)).toBeNull();
    expect(await deps.storage.get(oldRow.storageKey)).toBeNull();
    expect(await deps.storage.get(storageKeys.preview(oldRow.storageKey))).toBeNull();
    expect(await getImage(t.db, fresh.id)).not.toBeNull();
    expect(await deps.storage.get(storageKeys.preview(freshRow.storageKey))).not.toBeNull();
  });
});
