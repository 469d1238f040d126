/**
 * Bulk upload groups (migration 0005): images dropped together share a batch id; the recent list
 * shows batches newest first with their images in upload order, and single uploads stay apart.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/client';
import { createUser } from '../src/queries/users';
import {
  countBatchImages,
  createImage,
  listOwnImages,
  listRecentBatches,
  listRecentImages,
} from '../src/queries/images';
import { createTestDb, DB_KINDS } from './support';

describe.each(DB_KINDS)('image batches on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await createTestDb(kind));
  });
  afterAll(() => close?.());

  function image(userId: string, name: string, at: number, batchId: string | null) {
    return createImage(db, {
      userId,
      contentHash: randomUUID(),
      originalName: name,
      width: 10,
      height: 10,
      bytes: 100,
      storageKey: `k/${name}`,
      consentImprove: false,
      source: 'web',
      batchId,
      now: new Date(Date.UTC(2026, 0, 1, 0, 0, at)),
    });
  }

  it('groups a user’s batches, newest first, and keeps single uploads out of the batch list', async () => {
    const ann = await createUser(db, { email: 'batch-ann@example.com', password: 'correct horse' });
    const bob = await createUser(db, { email: 'batch-bob@example.com', password: 'correct horse' });
    const first = randomUUID();
    const second = randomUUID();
    const a1 = await image(ann.id, 'a1.jpg', 1, first);
    const a2 = await image(ann.id, 'a2.jpg', 2, first);
    const single = await image(ann.id, 'single.jpg', 3, null);
    const b1 = await image(ann.id, 'b1.jpg', 4, second);
    const bobs = await image(bob.id, 'bob.jpg', 5, first);

    const batches = await listRecentBatches(db, ann.id);
    expect(batches.map((b) => b.batchId)).toEqual([second, first]);
    expect(batches[1]!.images.map((i) => i.id)).toEqual([a1.id, a2.id]);
    expect(batches[0]!.images.map((i) => i.id)).toEqual([b1.id]);
    expect(await listRecentBatches(db, ann.id, 1)).toHaveLength(1);

    expect(await countBatchImages(db, { userId: ann.id, batchId: first })).toBe(2);
    expect(await countBatchImages(db, { userId: bob.id, batchId: first })).toBe(1);

    const singles = await listRecentImages(db, ann.id, 10, { excludeBatched: true });
    expect(singles.map((i) => i.id)).toEqual([single.id]);
    expect(await listRecentImages(db, ann.id, 10)).toHaveLength(4);

    const own = await listOwnImages(db, ann.id, [a1.id, bobs.id, randomUUID()]);
    expect(own.map((i) => i.id)).toEqual([a1.id]);
  });
});
