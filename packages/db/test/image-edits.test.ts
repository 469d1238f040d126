/**
 * Stored brush edits (migration 0007): save replaces, get reads back, reset deletes; another user's
 * id reads nothing and writes nothing; deleting the image deletes its edit.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listUserImages } from '../src/queries/admin';
import { getImageEdit, resetImageEdit, saveImageEdit } from '../src/queries/image-edits';
import { createImage, deleteImage } from '../src/queries/images';
import { createUser } from '../src/queries/users';
import { DB_KINDS, withTestDb } from './support';

describe.each(DB_KINDS)('image edits on %s', (kind) => {
  const ctx = withTestDb(kind);

  const doc = (x: number) => ({
    version: 1,
    strokes: [{ mode: 'erase', radius: 0.02, softness: 0.5, points: [x, 0.5] }],
  });

  async function image(userId: string) {
    return createImage(ctx.db, {
      userId,
      contentHash: randomUUID(),
      originalName: 'a.jpg',
      width: 10,
      height: 10,
      bytes: 100,
      storageKey: `k/${randomUUID()}`,
      consentImprove: false,
      source: 'web',
    });
  }

  it('saves, replaces, reads back and resets an edit, for the owner only', async () => {
    const ann = await createUser(ctx.db, { email: `edit-ann-${kind}@example.com`, password: 'correct horse' });
    const bob = await createUser(ctx.db, { email: `edit-bob-${kind}@example.com`, password: 'correct horse' });
    const img = await image(ann.id);
    expect(await getImageEdit(ctx.db, { imageId: img.id, userId: ann.id })).toBeNull();

    const at = new Date(Date.UTC(2026, 5, 1));
    const saved = await saveImageEdit(ctx.db, {
      imageId: img.id,
      userId: ann.id,
      document: doc(0.1),
      strokeCount: 1,
      bytes: 80,
      revision: 'r1',
      now: at,
    });
    expect(saved).toMatchObject({ imageId: img.id, document: doc(0.1), strokeCount: 1, bytes: 80, revision: 'r1' });
    expect(saved!.updatedAt.toISOString()).toBe(at.toISOString());

    await saveImageEdit(ctx.db, {
      imageId: img.id,
      userId: ann.id,
      document: doc(0.2),
      strokeCount: 1,
      bytes: 81,
      revision: 'r2',
    });
    expect(await getImageEdit(ctx.db, { imageId: img.id, userId: ann.id })).toMatchObject({
      document: doc(0.2),
      revision: 'r2',
    });

    // Bob can neither read nor write nor reset Ann's edit.
    expect(await getImageEdit(ctx.db, { imageId: img.id, userId: bob.id })).toBeNull();
    expect(
      await saveImageEdit(ctx.db, {
        imageId: img.id,
        userId: bob.id,
        document: doc(0.9),
        strokeCount: 1,
        bytes: 80,
        revision: 'x',
      }),
    ).toBeNull();
    expect(await resetImageEdit(ctx.db, { imageId: img.id, userId: bob.id })).toBe(false);
    expect(await getImageEdit(ctx.db, { imageId: img.id, userId: ann.id })).toMatchObject({ revision: 'r2' });

    expect(await resetImageEdit(ctx.db, { imageId: img.id, userId: ann.id })).toBe(true);
    expect(await getImageEdit(ctx.db, { imageId: img.id, userId: ann.id })).toBeNull();
    expect(await resetImageEdit(ctx.db, { imageId: img.id, userId: ann.id })).toBe(false);
    // An unknown image: nothing stored.
    expect(
      await saveImageEdit(ctx.db, {
        imageId: randomUUID(),
        userId: ann.id,
        document: doc(0.1),
        strokeCount: 1,
        bytes: 1,
        revision: 'r',
      }),
    ).toBeNull();
  });

  it('goes with its image', async () => {
    const cy = await createUser(ctx.db, { email: `edit-cy-${kind}@example.com`, password: 'correct horse' });
    const img = await image(cy.id);
    await saveImageEdit(ctx.db, {
      imageId: img.id,
      userId: cy.id,
      document: doc(0.3),
      strokeCount: 1,
      bytes: 80,
      revision: 'r',
    });
    await deleteImage(ctx.db, img.id);
    expect(await getImageEdit(ctx.db, { imageId: img.id, userId: cy.id })).toBeNull();
  });

  it('marks edited images in the admin list', async () => {
    const di = await createUser(ctx.db, { email: `edit-di-${kind}@example.com`, password: 'correct horse' });
    const plain = await image(di.id);
    const edited = await image(di.id);
    await saveImageEdit(ctx.db, {
      imageId: edited.id,
      userId: di.id,
      document: doc(0.4),
      strokeCount: 1,
      bytes: 80,
      revision: 'r',
    });
    const rows = await listUserImages(ctx.db, { userId: di.id });
    expect(rows).toHaveLength(2);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.edited]))).toEqual({ [plain.id]: false, [edited.id]: true });
    await resetImageEdit(ctx.db, { imageId: edited.id, userId: di.id });
    expect((await listUserImages(ctx.db, { userId: di.id })).every((r) => r.edited === false)).toBe(true);
  });
});
