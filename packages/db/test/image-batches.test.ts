/**
 * Bulk upload groups (migration 0005): images dropped together share a batch id; the recent list
 * shows batches newest first, and single uploads stay apart. Within a batch the images come in the
 * order the files were chosen (migration 0010's batch position), not the order the uploads
 * finished; rows from before 0010 get their created order as their position.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createUser } from '../src/queries/users';
import {
  countBatchImages,
  createImage,
  listOwnImages,
  listRecentBatches,
  listRecentImages,
} from '../src/queries/images';
import { migrationsFolder } from '../src/paths';
import { images } from '../src/schema';
import { DB_KINDS, withTestDb } from './support';

describe.each(DB_KINDS)('image batches on %s', (kind) => {
  const ctx = withTestDb(kind);

  function image(userId: string, name: string, at: number, batchId: string | null, batchPosition?: number) {
    return createImage(ctx.db, {
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
      ...(batchPosition === undefined ? {} : { batchPosition }),
      now: new Date(Date.UTC(2026, 0, 1, 0, 0, at)),
    });
  }

  it('groups a user’s batches, newest first, and keeps single uploads out of the batch list', async () => {
    const ann = await createUser(ctx.db, { email: 'batch-ann@example.com', password: 'correct horse' });
    const bob = await createUser(ctx.db, { email: 'batch-bob@example.com', password: 'correct horse' });
    const first = randomUUID();
    const second = randomUUID();
    const a1 = await image(ann.id, 'a1.jpg', 1, first);
    const a2 = await image(ann.id, 'a2.jpg', 2, first);
    const single = await image(ann.id, 'single.jpg', 3, null);
    const b1 = await image(ann.id, 'b1.jpg', 4, second);
    const bobs = await image(bob.id, 'bob.jpg', 5, first);

    const batches = await listRecentBatches(ctx.db, ann.id);
    expect(batches.map((b) => b.batchId)).toEqual([second, first]);
    expect(batches[1]!.images.map((i) => i.id)).toEqual([a1.id, a2.id]);
    expect(batches[0]!.images.map((i) => i.id)).toEqual([b1.id]);
    expect(await listRecentBatches(ctx.db, ann.id, 1)).toHaveLength(1);

    expect(await countBatchImages(ctx.db, { userId: ann.id, batchId: first })).toBe(2);
    expect(await countBatchImages(ctx.db, { userId: bob.id, batchId: first })).toBe(1);

    const singles = await listRecentImages(ctx.db, ann.id, 10, { excludeBatched: true });
    expect(singles.map((i) => i.id)).toEqual([single.id]);
    expect(await listRecentImages(ctx.db, ann.id, 10)).toHaveLength(4);

    const own = await listOwnImages(ctx.db, ann.id, [a1.id, bobs.id, randomUUID()]);
    expect(own.map((i) => i.id)).toEqual([a1.id]);
  });

  it('lists a batch in the order its files were chosen, not the order the uploads finished', async () => {
    const cy = await createUser(ctx.db, { email: 'batch-cy@example.com', password: 'correct horse' });
    const batch = randomUUID();
    // Chosen: first, second, third; finished: third, first, second.
    const third = await image(cy.id, 'third.jpg', 10, batch, 2);
    const first = await image(cy.id, 'first.jpg', 11, batch, 0);
    const second = await image(cy.id, 'second.jpg', 12, batch, 1);
    const [listed] = await listRecentBatches(ctx.db, cy.id);
    expect(listed!.images.map((i) => i.originalName)).toEqual(['first.jpg', 'second.jpg', 'third.jpg']);
    expect(listed!.images.map((i) => i.id)).toEqual([first.id, second.id, third.id]);
  });

  it("migration 0010 gives a batch's existing rows their created order as position, and nothing else one", async () => {
    const dee = await createUser(ctx.db, { email: 'batch-dee@example.com', password: 'correct horse' });
    const eve = await createUser(ctx.db, { email: 'batch-eve@example.com', password: 'correct horse' });
    const batch = randomUUID();
    // Rows as they were before 0010 (no position), created out of id order.
    const late = await image(dee.id, 'late.jpg', 30, batch);
    const early = await image(dee.id, 'early.jpg', 20, batch);
    const middle = await image(dee.id, 'middle.jpg', 25, batch);
    const eves = await image(eve.id, 'eve.jpg', 40, batch);
    const single = await image(dee.id, 'single.jpg', 21, null);
    const placed = await image(eve.id, 'placed.jpg', 41, randomUUID(), 7);
    for (const row of [late, early, middle, eves])
      await ctx.db.update(images).set({ batchPosition: null }).where(eq(images.id, row.id));

    const [, backfill] = readFileSync(path.join(migrationsFolder(), '0010_batch_position.sql'), 'utf8').split(
      '--> statement-breakpoint',
    );
    await ctx.db.execute(sql.raw(backfill!));

    const position = async (id: string) =>
      (await ctx.db.select({ p: images.batchPosition }).from(images).where(eq(images.id, id)))[0]!.p;
    expect(await Promise.all([early, middle, late].map((r) => position(r.id)))).toEqual([0, 1, 2]);
    // Per person and batch: Eve's row with the same batch id starts at 0 too.
    expect(await position(eves.id)).toBe(0);
    expect(await position(single.id)).toBeNull();
    expect(await position(placed.id)).toBe(7);
    const [listed] = await listRecentBatches(ctx.db, dee.id);
    expect(listed!.images.map((i) => i.originalName)).toEqual(['early.jpg', 'middle.jpg', 'late.jpg']);
  });
});
