/**
 * "Download all in HD" with the same picture chosen twice (uploaded twice: two images, one
 * content). downloadHd charges a picture once (`hd:<content hash>`), so the quote asks for one
 * credit, not two, and the ZIP holds both images: the second waits for the first one's charge
 * instead of finding it open and being left out. PostgreSQL and the real inference service.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { createUser } from '@bgr/db/queries/users';
import { balance, grant } from '@bgr/db/queries/ledger';
import { holds } from '@bgr/db/schema';
import { handleBatchDownload } from '~/server/batch/http';
import { quoteBatch } from '~/server/batch/quote';
import { handleUpload } from '~/server/images/upload';
import { makePhoto } from '../support/fixtures';
import { withImageDb, withImageServices } from '../support/image-services';

const services = withImageServices('same-picture');

describe('the same picture twice in one Download all in HD, on postgres', () => {
  const { t, deps } = withImageDb('postgres', services);

  async function upload(user: { id: string }, bytes: Buffer, name: string, batchId: string, position: number) {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' }));
    form.set('batchId', batchId);
    form.set('batchPosition', String(position));
    const res = await handleUpload(new Request('http://x/api/images', { method: 'POST', body: form }), {
      ...deps,
      currentUser: async () => user,
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { image: { id: string } }).image.id;
  }

  it('is quoted and charged once, and both images are in the ZIP', async () => {
    const user = await createUser(t.db, { email: 'same-picture@example.com', password: 'correct horse battery' });
    await grant(t.db, { userId: user.id, units: 4, kind: 'payg' }); // 1 credit: one picture's worth
    const picture = await makePhoto({ width: 200, height: 150 });
    const other = await makePhoto({ width: 150, height: 200 });
    const batchId = randomUUID();
    const ids = [
      await upload(user, picture, 'first.jpg', batchId, 0),
      await upload(user, picture, 'again.jpg', batchId, 1),
    ];

    const quote = await quoteBatch(t.db, user.id, ids);
    expect({ payCount: quote.payCount, freeCount: quote.freeCount, costCredits: quote.costCredits }).toEqual({
      payCount: 1,
      freeCount: 1,
      costCredits: 1,
    });

    const res = await handleBatchDownload(
      new Request('http://x/api/batches/download', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ imageIds: ids }),
      }),
      { ...deps, currentUser: async () => user },
    );
    expect(res.status).toBe(200);
    const zip = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(zip)).toEqual(['first-no-bg.png', 'again-no-bg.png']);
    for (const name of Object.keys(zip)) {
      const meta = await sharp(zip[name]!).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 200, 150]);
    }
    expect((await balance(t.db, { userId: user.id })).totalUnits).toBe(0);
    const userHolds = await t.db.select().from(holds).where(eq(holds.userId, user.id));
    expect(userHolds.filter((h) => h.status === 'captured').map((h) => h.capturedUnits)).toEqual([4]);

    // A different picture alongside still costs its own credit, which this person no longer has.
    const third = await upload(user, other, 'other.jpg', batchId, 2);
    expect((await quoteBatch(t.db, user.id, [...ids, third])).payCount).toBe(1);
  });
});
