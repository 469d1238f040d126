/**
 * The shadow preview shows the person's saved hand edit, as the HD download does, with the real
 * inference service on PGlite: the spot an erase stroke covers is opaque subject in the shadowed
 * preview before the edit and transparent (or shadow alone) after it; a reset brings it back. The
 * browser may keep a shadow preview only under a URL naming the edit revision drawn, so a changed
 * edit is never answered from its cache.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createUser } from '@bgr/db/queries/users';
import { getImage } from '@bgr/db/queries/images';
import { type EditDocument, strokesRevision } from '@bgr/strokes';
import { resetEdit, saveEdit } from '~/server/images/edits';
import { ingestImage } from '~/server/images/ingest';
import { previewBytes, previewCacheable, renderPreview } from '~/server/images/preview';
import { fileResponse } from '~/server/images/serve';
import { makePhoto } from '../../support/fixtures';
import { withImageDb, withImageServices } from '../../support/image-services';

const services = withImageServices('preview-edit');
const { t, deps } = withImageDb('pglite', services);

/** An erase stroke across the middle of the subject's body (the photo's blue block). */
const erase: EditDocument = {
  version: 1,
  strokes: [{ mode: 'erase', radius: 0.05, softness: 0.2, points: [0.45, 0.6, 0.55, 0.6] }],
};
const shadow = { type: 'drop', opacity: 80 } as const;

/** RGBA of the pixel at normalised (x, y), and the image's size. */
async function pixelAt(png: Uint8Array, x: number, y: number) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const o = (Math.floor(y * info.height) * info.width + Math.floor(x * info.width)) * 4;
  return { rgba: [...data.subarray(o, o + 4)], width: info.width, height: info.height };
}

const url = (query: string) => new URL(`http://x.test/api/images/1/preview?${query}`);

describe('the shadow preview of an edited image', () => {
  it('shows the saved erase: opaque subject before, transparent or shadow only after; a reset brings it back', async () => {
    const user = await createUser(t.db, { email: `preview-edit-${Date.now()}@example.com`, password: 'correct horse' });
    // 800×600: the preview (0.25 MP) is smaller than the photo, so the stroke is drawn at the preview's size.
    const view = await ingestImage(deps, {
      userId: user.id,
      bytes: await makePhoto({ width: 800, height: 600 }),
      originalName: 'edited.jpg',
    });
    const image = (await getImage(t.db, view.id))!;

    const before = await renderPreview(deps, image, shadow);
    expect(before.editRevision).toBeNull();
    const opaque = await pixelAt(before.body, 0.5, 0.6);
    expect(opaque.width).toBeLessThan(800);
    expect(opaque.rgba[3]).toBe(255);
    expect(opaque.rgba[2]).toBeGreaterThan(100); // the blue block

    const saved = await saveEdit(t.db, user.id, image.id, erase);
    expect(saved.revision).toBe(strokesRevision(erase));
    const after = await renderPreview(deps, image, shadow);
    expect(after.editRevision).toBe(saved.revision);
    const erased = await pixelAt(after.body, 0.5, 0.6);
    expect([erased.width, erased.height]).toEqual([opaque.width, opaque.height]);
    // No subject left there: fully transparent, or the shadow (dark and partly transparent).
    expect(erased.rgba[3]).toBeLessThan(255);
    if (erased.rgba[3]! > 0) expect(Math.max(...erased.rgba.slice(0, 3))).toBeLessThan(40);
    // Beyond the stroke the subject is still there.
    expect((await pixelAt(after.body, 0.5, 0.4)).rgba[3]).toBe(255);
    // The plain preview stays the model's own (the browser paints the strokes over it).
    expect((await pixelAt(await previewBytes(deps, image, null), 0.5, 0.6)).rgba[3]).toBe(255);

    await resetEdit(t.db, user.id, image.id);
    const reset = await renderPreview(deps, image, shadow);
    expect(reset.editRevision).toBeNull();
    expect(Buffer.compare(Buffer.from(reset.body), Buffer.from(before.body))).toBe(0);
  });

  it('may be kept by the browser only under a URL naming the edit revision it shows', () => {
    const revision = strokesRevision(erase);
    const edited = { body: new Uint8Array(1), editRevision: revision };
    const plain = { body: new Uint8Array(1), editRevision: null };
    expect(previewCacheable(url(`shadow=drop&opacity=80&edit=${revision}`), shadow, edited)).toBe(true);
    expect(previewCacheable(url('shadow=drop&opacity=80'), shadow, edited)).toBe(false);
    expect(previewCacheable(url('shadow=drop&opacity=80&edit=0123456789abcdef'), shadow, edited)).toBe(false);
    expect(previewCacheable(url('shadow=drop&opacity=80'), shadow, plain)).toBe(true);
    expect(previewCacheable(url(`shadow=drop&opacity=80&edit=${revision}`), shadow, plain)).toBe(false);
    // The plain preview's bytes never change.
    expect(previewCacheable(url(''), null, plain)).toBe(true);
    expect(fileResponse(new Uint8Array(1), 'image/png', { cache: false }).headers.get('cache-control')).toBe(
      'private, no-store',
    );
    expect(fileResponse(new Uint8Array(1), 'image/png').headers.get('cache-control')).toBe('private, max-age=3600');
  });
});
