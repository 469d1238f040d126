/**
 * Bulk upload and "Download all in HD" on PostgreSQL with the real inference service (real
 * IS-Net): uploads carry their batch id, the quote prices only unpaid images, the ZIP holds one
 * full-size PNG per image and charges each once through withCharge (again: free), and every
 * refusal — signed out, too many, someone else's image, short balance, the HD render limit —
 * comes before any render or charge. An image that fails is released and listed in failed.txt.
 * A batch downloaded again lists its images in the order the person chose the files, whatever
 * order their uploads finished in.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import sharp from 'sharp';
import { createUser } from '@bgr/db/queries/users';
import { balance, grant } from '@bgr/db/queries/ledger';
import { countBatchImages, createImage, getImage } from '@bgr/db/queries/images';
import { holds, usageEvents } from '@bgr/db/schema';
import { handleBatchDownload } from '~/server/batch/http';
import { handleUpload } from '~/server/images/upload';
import { takeWebQuota } from '~/server/web-quota';
import { callerFor, trpcError } from '../support/context';
import { makePhoto } from '../support/fixtures';
import { withImageDb, withImageServices } from '../support/image-services';

const services = withImageServices('batch');

describe('bulk upload and Download all in HD on postgres', () => {
  const { t, deps } = withImageDb('postgres', services);
  let seq = 0;
  const newUser = async (credits: number) => {
    const user = await createUser(t.db, { email: `bulk${++seq}@example.com`, password: 'correct horse battery' });
    if (credits > 0) await grant(t.db, { userId: user.id, units: credits * 4, kind: 'payg' });
    return { ...user, role: 'user' };
  };
  const units = async (userId: string) => (await balance(t.db, { userId })).totalUnits;

  async function upload(
    user: { id: string },
    bytes: Buffer,
    name: string,
    batchId: string | null,
    batchPosition?: string,
  ) {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' }));
    if (batchId) form.set('batchId', batchId);
    if (batchPosition !== undefined) form.set('batchPosition', batchPosition);
    const res = await handleUpload(new Request('http://x/api/images', { method: 'POST', body: form }), {
      ...deps,
      currentUser: async () => user,
    });
    return { status: res.status, json: (await res.json()) as { image?: { id: string }; error?: { message: string } } };
  }

  function download(user: { id: string } | null, imageIds: string[]) {
    return handleBatchDownload(
      new Request('http://x/api/batches/download', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ imageIds }),
      }),
      { ...deps, currentUser: async () => user },
    );
  }

  async function zipOf(res: Response): Promise<Record<string, Uint8Array>> {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    return unzipSync(new Uint8Array(await res.arrayBuffer()));
  }

  const sizes = [
    { width: 200, height: 150 },
    { width: 150, height: 200 },
    { width: 240, height: 160 },
  ];

  it('uploads a batch, prices it, zips full-size PNGs for 1 credit each, and is free the second time', async () => {
    const user = await newUser(5);
    const batchId = randomUUID();
    const ids: string[] = [];
    for (const [i, size] of sizes.entries()) {
      const up = await upload(user, await makePhoto(size), i === 2 ? 'photo.jpg' : 'photo.jpg', batchId);
      expect(up.status).toBe(201);
      ids.push(up.json.image!.id);
    }
    expect((await getImage(t.db, ids[0]!))?.batchId).toBe(batchId);
    // A single upload stays out of the batch list.
    const single = await upload(user, await makePhoto({ width: 100, height: 100 }), 'single.jpg', null);
    expect((await getImage(t.db, single.json.image!.id))?.batchId).toBeNull();

    const caller = await callerFor(t.db, user);
    const quote = await caller.batches.quote({ imageIds: ids });
    expect(quote).toMatchObject({ count: 3, payCount: 3, freeCount: 0, costCredits: 3, balanceCredits: 5 });
    // Same original names: unique names inside the ZIP.
    expect(quote.files.map((f) => f.filename)).toEqual(['photo-no-bg.png', 'photo-no-bg-2.png', 'photo-no-bg-3.png']);
    expect((await caller.images.recent({ limit: 12, singles: true })).map((i) => i.id)).toEqual([
      single.json.image!.id,
    ]);

    const zip = await zipOf(await download(user, ids));
    expect(Object.keys(zip)).toEqual(['photo-no-bg.png', 'photo-no-bg-2.png', 'photo-no-bg-3.png']);
    for (const [i, name] of Object.keys(zip).entries()) {
      const meta = await sharp(zip[name]!).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height, alpha: meta.hasAlpha }).toEqual({
        format: 'png',
        ...sizes[i],
        alpha: true,
      });
    }
    expect(await units(user.id)).toBe(8); // 5 credits − 3
    const captured = await t.db.select().from(holds).where(eq(holds.userId, user.id));
    expect(captured.filter((h) => h.status === 'captured')).toHaveLength(3);

    const again = await caller.batches.quote({ imageIds: ids });
    expect(again).toMatchObject({ payCount: 0, freeCount: 3, costCredits: 0 });
    const second = await zipOf(await download(user, ids));
    expect(Buffer.from(second['photo-no-bg-2.png']!).equals(Buffer.from(zip['photo-no-bg-2.png']!))).toBe(true);
    expect(await units(user.id)).toBe(8);

    const [batch] = await caller.batches.recent();
    expect(batch).toMatchObject({ batchId });
    expect(batch!.images.map((i) => [i.id, i.hdPaid])).toEqual(ids.map((id) => [id, true]));
  });

  it('refuses before any render or charge: signed out, bad batch id, too many, foreign ids, short balance, the HD limit', async () => {
    const user = await newUser(1);
    const other = await newUser(0);
    const a = await upload(user, await makePhoto(sizes[0]), 'a.jpg', null);
    const b = await upload(user, await makePhoto(sizes[1]), 'b.jpg', null);
    const ids = [a.json.image!.id, b.json.image!.id];

    expect((await download(null, ids)).status).toBe(401);

    const badBatch = await upload(user, await makePhoto(sizes[2]), 'c.jpg', 'not-a-uuid');
    expect(badBatch).toEqual({
      status: 400,
      json: {
        error: {
          code: 'invalid_batch',
          message: 'The upload could not be added to its batch. Please drop the images again.',
        },
      },
    });

    const tooMany = await download(
      user,
      Array.from({ length: 51 }, () => randomUUID()),
    );
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toBe(
      'You can download up to 50 images at once; you chose 51.',
    );
    const otherCaller = await callerFor(t.db, other);
    expect(await trpcError(otherCaller.batches.quote({ imageIds: ids }))).toEqual({
      code: 'NOT_FOUND',
      message: '2 of these images do not exist or have been deleted. Nothing was charged.',
    });
    expect((await download(other, [ids[0]!])).status).toBe(404);

    // A batch holds at most 50 images: the 51st upload is refused with a sentence.
    const full = randomUUID();
    for (let i = 0; i < 50; i++) {
      await createImage(t.db, {
        userId: user.id,
        contentHash: `full-${i}`,
        originalName: `f${i}.jpg`,
        width: 10,
        height: 10,
        bytes: 10,
        storageKey: `missing/f${i}`,
        consentImprove: false,
        source: 'web',
        batchId: full,
      });
    }
    expect(await upload(user, await makePhoto(sizes[2]), 'fifty-one.jpg', full)).toEqual({
      status: 400,
      json: {
        error: {
          code: 'too_many_images',
          message: 'A batch holds at most 50 images. Please start a new batch for the rest.',
        },
      },
    });

    // 2 credits needed, 1 held: refused whole, nothing charged.
    const short = await download(user, ids);
    expect(short.status).toBe(402);
    expect(((await short.json()) as { error: { message: string } }).error.message).toBe(
      'You need 2 credits to download these images in HD, but your balance is 1 credit. Nothing was charged.',
    );
    expect(await units(user.id)).toBe(4);

    // The HD render limit (60 a minute) counts every image of the ZIP before any render.
    await grant(t.db, { userId: user.id, units: 4, kind: 'payg' });
    await takeWebQuota(t.db, user.id, 'hd', 59);
    const limited = await download(user, ids);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(
      /^You have reached the limit of 60 HD renders a minute\. Please try again in \d+ seconds?\.$/,
    );
    expect(await units(user.id)).toBe(8);
  });

  it('a batch downloaded again keeps the order the files were chosen in, not the order their uploads finished', async () => {
    const user = await newUser(3);
    const batchId = randomUUID();
    const chosen = ['first.jpg', 'second.jpg', 'third.jpg'];
    // The uploads finish third, first, second (each carries its place among the chosen files).
    const ids: Record<string, string> = {};
    for (const position of [2, 0, 1]) {
      const up = await upload(user, await makePhoto(sizes[position]!), chosen[position]!, batchId, String(position));
      expect(up.status).toBe(201);
      ids[chosen[position]!] = up.json.image!.id;
    }
    const caller = await callerFor(t.db, user);
    const [batch] = await caller.batches.recent();
    expect(batch!.images.map((i) => i.id)).toEqual(chosen.map((name) => ids[name]));
    // "Download again" posts the batch's ids as listed: the ZIP's entries come in the chosen order.
    const zip = await zipOf(
      await download(
        user,
        batch!.images.map((i) => i.id),
      ),
    );
    expect(Object.keys(zip)).toEqual(['first-no-bg.png', 'second-no-bg.png', 'third-no-bg.png']);
    for (const [i, name] of Object.keys(zip).entries()) {
      const meta = await sharp(zip[name]!).metadata();
      expect({ width: meta.width, height: meta.height }).toEqual(sizes[i]);
    }

    // A place that is not a small whole number is refused like a bad batch id.
    for (const bad of ['-1', '50', 'x', '1.5'])
      expect(await upload(user, await makePhoto(sizes[0]!), 'bad.jpg', batchId, bad), bad).toEqual({
        status: 400,
        json: {
          error: {
            code: 'invalid_batch',
            message: 'The upload could not be added to its batch. Please drop the images again.',
          },
        },
      });
  });

  it('an image that fails is released and listed; the rest still download', async () => {
    const user = await newUser(3);
    const batchId = randomUUID();
    const ids: string[] = [];
    for (const [i, size] of sizes.entries()) {
      ids.push((await upload(user, await makePhoto(size), `p${i}.jpg`, batchId)).json.image!.id);
    }
    // A file whose header reads but whose pixels do not: the preview fails, and nothing of it is
    // kept (no image row in the batch, so it never reaches the ZIP).
    const broken = (await makePhoto({ width: 400, height: 300 })).subarray(0, 1500);
    const refused = await upload(user, broken, 'broken.jpg', batchId);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.json.error?.message).toMatch(/\.$/);
    const previews = await t.db.select().from(usageEvents).where(eq(usageEvents.userId, user.id));
    expect(previews.filter((u) => u.kind === 'preview' && !u.ok)).toHaveLength(1);
    expect(await countBatchImages(t.db, { userId: user.id, batchId })).toBe(3);

    // The middle one's original is gone (retention, a storage fault): its render fails.
    const gone = await getImage(t.db, ids[1]!);
    await deps.storage.delete(gone!.storageKey);

    const zip = await zipOf(await download(user, ids));
    expect(Object.keys(zip)).toEqual(['p0-no-bg.png', 'p2-no-bg.png', 'failed.txt']);
    expect(strFromU8(zip['failed.txt']!)).toBe(
      'p1.jpg: The original of this image has been deleted. Please upload it again.\n',
    );
    expect(await units(user.id)).toBe(4); // 3 credits − 2
    const rows = await t.db.select().from(holds).where(eq(holds.userId, user.id));
    expect(rows.map((h) => h.status).sort()).toEqual(['captured', 'captured', 'released']);
  });
});
