/**
 * Brush edits through the images router on PostgreSQL with the real inference service (real
 * IS-Net): save / get / reset for the owner only; an edit over a cap is BAD_REQUEST with its
 * sentence and stores nothing; HD of an edited image applies the strokes (alpha 0 under an erase)
 * as its own stored variant, free when the picture is already paid for and 1 credit once when it
 * is not; the bulk ZIP carries the edited cut-out; the admin's image list marks edited images.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { createUser } from '@bgr/db/queries/users';
import { grant } from '@bgr/db/queries/ledger';
import { getImage, listImageVariants } from '@bgr/db/queries/images';
import { imageEdits } from '@bgr/db/schema';
import { type EditDocument, strokesRevision } from '@bgr/strokes';
import { startBatchDownload } from '~/server/batch/download';
import { downloadHd } from '~/server/images/hd';
import { ingestImage } from '~/server/images/ingest';
import { storageKeys } from '~/server/storage/index';
import { callerFor, trpcError } from '../support/context';
import { makePhoto } from '../support/fixtures';
import { chargedUnits, withImageDb, withImageServices } from '../support/image-services';

const services = withImageServices('edits');
let photo: Buffer;

beforeAll(async () => {
  photo = await makePhoto({ width: 320, height: 240 });
});

/** An erase stroke over the middle of the subject's body (the photo's blue block). */
const erase: EditDocument = {
  version: 1,
  strokes: [{ mode: 'erase', radius: 0.05, softness: 0.2, points: [0.45, 0.6, 0.55, 0.6] }],
};
const erase2: EditDocument = {
  version: 1,
  strokes: [...erase.strokes, { mode: 'erase', radius: 0.03, softness: 0, points: [0.5, 0.75] }],
};

async function alphaAt(png: Uint8Array, x: number, y: number) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return data[(Math.floor(y) * info.width + Math.floor(x)) * 4 + 3]!;
}

describe('brush edits on postgres', () => {
  const { t, deps } = withImageDb('postgres', services);
  let seq = 0;
  const newUser = async (units: number) => {
    const user = await createUser(t.db, { email: `edit${++seq}-${Date.now()}@example.com`, password: 'correct horse' });
    if (units > 0) await grant(t.db, { userId: user.id, units, kind: 'payg' });
    return user;
  };
  const charged = (userId: string) => chargedUnits(t.db, userId);

  it('saves, reads back and resets an edit; editing is free', async () => {
    const ann = await newUser(0);
    const caller = await callerFor(t.db, ann);
    const image = await ingestImage(deps, { userId: ann.id, bytes: photo, originalName: 'ann.jpg' });
    expect(await caller.images.getEdit({ imageId: image.id })).toEqual({
      document: null,
      revision: null,
      updatedAt: null,
    });
    const saved = await caller.images.saveEdit({ imageId: image.id, document: { ...erase, note: 'dropped' } });
    expect(saved.revision).toBe(strokesRevision(erase));
    expect(saved.strokeCount).toBe(1);
    const got = await caller.images.getEdit({ imageId: image.id });
    expect(got.document).toEqual(erase);
    expect(got.revision).toBe(strokesRevision(erase));
    expect(got.updatedAt).toBeInstanceOf(Date);

    const again = await caller.images.saveEdit({ imageId: image.id, document: erase2 });
    expect(again.revision).toBe(strokesRevision(erase2));
    expect((await caller.images.getEdit({ imageId: image.id })).document).toEqual(erase2);

    expect(await caller.images.resetEdit({ imageId: image.id })).toEqual({ reset: true });
    expect((await caller.images.getEdit({ imageId: image.id })).document).toBeNull();
    // An edit with no strokes is a reset too.
    await caller.images.saveEdit({ imageId: image.id, document: erase });
    expect(await caller.images.saveEdit({ imageId: image.id, document: { version: 1, strokes: [] } })).toMatchObject({
      revision: null,
    });
    expect((await caller.images.getEdit({ imageId: image.id })).document).toBeNull();
    expect(await charged(ann.id)).toBe(0);
  });

  it('refuses an edit over a cap or malformed with BAD_REQUEST and a sentence; nothing is stored', async () => {
    const bea = await newUser(0);
    const caller = await callerFor(t.db, bea);
    const image = await ingestImage(deps, { userId: bea.id, bytes: photo, originalName: 'bea.jpg' });
    await caller.images.saveEdit({ imageId: image.id, document: erase });
    const many = {
      version: 1,
      strokes: Array.from({ length: 2412 }, () => ({ mode: 'erase', radius: 0.01, softness: 0, points: [0.5, 0.5] })),
    };
    expect(await trpcError(caller.images.saveEdit({ imageId: image.id, document: many }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'An edit may hold at most 2,000 strokes; this one has 2,412.',
    });
    const long = Array.from({ length: 3998 }, () => 0.123456789012345);
    const big = {
      version: 1,
      strokes: Array.from({ length: 12 }, () => ({ mode: 'erase', radius: 0.01, softness: 0, points: long })),
    };
    const refused = await trpcError(caller.images.saveEdit({ imageId: image.id, document: big }));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toMatch(/^An edit may be at most 256 KB; this one is [\d,]+ KB\.$/);
    expect(
      await trpcError(
        caller.images.saveEdit({
          imageId: image.id,
          document: { version: 1, strokes: [{ mode: 'erase', radius: 0.5, softness: 0, points: [0.5, 0.5] }] },
        }),
      ),
    ).toEqual({
      code: 'BAD_REQUEST',
      message: "Stroke 1 of the edit is not valid: the radius must be at most 0.25 of the image's longer side.",
    });
    // The earlier edit is still the stored one.
    const rows = await t.db.select().from(imageEdits).where(eq(imageEdits.imageId, image.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.revision).toBe(strokesRevision(erase));
  });

  it('another person can neither read, save nor reset the edit', async () => {
    const cy = await newUser(0);
    const dan = await newUser(0);
    const image = await ingestImage(deps, { userId: cy.id, bytes: photo, originalName: 'cy.jpg' });
    await (await callerFor(t.db, cy)).images.saveEdit({ imageId: image.id, document: erase });
    const other = await callerFor(t.db, dan);
    const notFound = { code: 'NOT_FOUND', message: 'That image does not exist or has been deleted.' };
    expect(await trpcError(other.images.getEdit({ imageId: image.id }))).toEqual(notFound);
    expect(await trpcError(other.images.saveEdit({ imageId: image.id, document: erase2 }))).toEqual(notFound);
    expect(await trpcError(other.images.resetEdit({ imageId: image.id }))).toEqual(notFound);
    expect((await trpcError((await callerFor(t.db, null)).images.getEdit({ imageId: image.id }))).code).toBe(
      'UNAUTHORIZED',
    );
    expect((await (await callerFor(t.db, cy)).images.getEdit({ imageId: image.id })).revision).toBe(
      strokesRevision(erase),
    );
  });

  it('HD of an edited image that is already paid for is free, applies the strokes and is its own variant', async () => {
    const eve = await newUser(4);
    const caller = await callerFor(t.db, eve);
    const image = await ingestImage(deps, { userId: eve.id, bytes: photo, originalName: 'eve.jpg' });
    expect(await caller.images.hd({ id: image.id, format: 'png' })).toMatchObject({ charged: true, chargedCredits: 1 });
    const hdReq = { userId: eve.id, imageId: image.id, format: 'png' as const, allowCharge: false };
    const plain = await downloadHd(deps, hdReq);
    expect(await alphaAt(plain.body, 160, 144)).toBe(255);

    await caller.images.saveEdit({ imageId: image.id, document: erase });
    expect(await caller.images.hdQuote({ id: image.id })).toMatchObject({ paid: true, costCredits: 0 });
    expect(await caller.images.hd({ id: image.id, format: 'png' })).toMatchObject({
      charged: false,
      chargedCredits: 0,
    });
    const edited = await downloadHd(deps, hdReq);
    expect(edited.charged).toBe(false);
    expect(edited.body.equals(plain.body)).toBe(false);
    expect(await alphaAt(edited.body, 160, 144)).toBe(0);
    expect(await alphaAt(edited.body, 160, 100)).toBe(await alphaAt(plain.body, 160, 100));

    const folder = path.join(services.storageDir, storageKeys.folderOf((await getImage(t.db, image.id))!.storageKey));
    const files = readdirSync(folder).filter((f) => f.startsWith('result-'));
    expect(files.sort()).toEqual(
      ['result-transparent.png', `result-transparent-e${strokesRevision(erase)}.png`].sort(),
    );
    expect(await listImageVariants(t.db, image.id)).toHaveLength(2);

    // After a reset the plain cut-out comes back (the stored one, same bytes).
    await caller.images.resetEdit({ imageId: image.id });
    expect((await downloadHd(deps, hdReq)).body.equals(plain.body)).toBe(true);
    expect(await charged(eve.id)).toBe(4);
  });

  it('HD of an edited image not yet paid for charges exactly 1 credit, once, whatever the edits after', async () => {
    const fay = await newUser(8);
    const caller = await callerFor(t.db, fay);
    const image = await ingestImage(deps, {
      userId: fay.id,
      bytes: await makePhoto({ width: 300, height: 220 }),
      originalName: 'fay.jpg',
    });
    await caller.images.saveEdit({ imageId: image.id, document: erase });
    expect(await caller.images.hdQuote({ id: image.id })).toMatchObject({ paid: false, costCredits: 1 });
    expect(await caller.images.hd({ id: image.id, format: 'png' })).toMatchObject({ charged: true, chargedCredits: 1 });
    const first = await downloadHd(deps, { userId: fay.id, imageId: image.id, format: 'png', allowCharge: false });
    expect(await alphaAt(first.body, 150, 132)).toBe(0);
    expect(await caller.images.hd({ id: image.id, format: 'png' })).toMatchObject({ charged: false });
    await caller.images.saveEdit({ imageId: image.id, document: erase2 });
    expect(await caller.images.hd({ id: image.id, format: 'webp' })).toMatchObject({ charged: false });
    expect(await charged(fay.id)).toBe(4);
  });

  it('the bulk ZIP carries the edited cut-out', async () => {
    const gus = await newUser(8);
    const caller = await callerFor(t.db, gus);
    const a = await ingestImage(deps, { userId: gus.id, bytes: photo, originalName: 'a.jpg' });
    const b = await ingestImage(deps, {
      userId: gus.id,
      bytes: await makePhoto({ width: 320, height: 240, format: 'png' }),
      originalName: 'b.png',
    });
    await caller.images.saveEdit({ imageId: a.id, document: erase });
    const zip = await startBatchDownload(deps, { userId: gus.id, imageIds: [a.id, b.id] });
    const bytes = new Uint8Array(await new Response(zip.body).arrayBuffer());
    const entries = unzipSync(bytes);
    expect(Object.keys(entries).sort()).toEqual(['a-no-bg.png', 'b-no-bg.png']);
    expect(await alphaAt(entries['a-no-bg.png']!, 160, 144)).toBe(0);
    expect(await alphaAt(entries['b-no-bg.png']!, 160, 144)).toBe(255);
    expect(await charged(gus.id)).toBe(8);
  });

  it('the admin image list marks edited images', async () => {
    const admin = { ...(await newUser(0)), role: 'admin' };
    await t.db.execute(`update users set role = 'admin' where id = '${admin.id}'`);
    const hal = await newUser(0);
    const plain = await ingestImage(deps, { userId: hal.id, bytes: photo, originalName: 'plain.jpg' });
    const edited = await ingestImage(deps, { userId: hal.id, bytes: photo, originalName: 'edited.jpg' });
    await (await callerFor(t.db, hal)).images.saveEdit({ imageId: edited.id, document: erase });
    const view = await (await callerFor(t.db, admin)).admin.user({ userId: hal.id });
    expect(Object.fromEntries(view.images.map((i) => [i.id, i.edited]))).toEqual({
      [plain.id]: false,
      [edited.id]: true,
    });
  });
});
