/**
 * Shadows on the remove page's server side, with the real inference service on PGlite: the free
 * preview drawn again with a shadow (nothing charged, nothing stored), a bad choice refused with a
 * sentence, and the HD download with the same shadow — an image already paid for downloads again
 * free with another shadow, each shadow one stored variant under the variant cap.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createUser } from '@bgr/db/queries/users';
import { balance, grant } from '@bgr/db/queries/ledger';
import { getImage, listImageVariants } from '@bgr/db/queries/images';
import { AppError } from '~/server/errors/app-error';
import { downloadHd } from '~/server/images/hd';
import { ingestImage } from '~/server/images/ingest';
import { previewBytes } from '~/server/images/preview';
import { readShadowQuery } from '~/server/images/shadow-query';
import { storageKeys } from '~/server/storage/index';
import { makePhoto } from '../../support/fixtures';
import { withImageDb, withImageServices } from '../../support/image-services';

const services = withImageServices('shadow');
const { t, deps } = withImageDb('pglite', services);

/** Pixels that are dark and partly transparent: what a shadow on transparency looks like. */
async function darkPartial(body: Uint8Array): Promise<{ count: number; width: number; height: number }> {
  const { data, info } = await sharp(body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let o = 0; o < data.length; o += 4) {
    const a = data[o + 3]!;
    if (a > 0 && a < 255 && data[o]! < 40 && data[o + 1]! < 40 && data[o + 2]! < 40) count++;
  }
  return { count, width: info.width, height: info.height };
}

async function newUser(units: number) {
  const user = await createUser(t.db, {
    email: `shadow-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`,
    password: 'correct horse battery',
  });
  if (units > 0) await grant(t.db, { userId: user.id, units, kind: 'payg' });
  return user;
}

describe('shadow preview', () => {
  it('draws the shadow on the free preview: same size, nothing charged, nothing stored', async () => {
    const user = await newUser(0);
    const view = await ingestImage(deps, { userId: user.id, bytes: await makePhoto(), originalName: 'a.jpg' });
    const image = (await getImage(t.db, view.id))!;
    const folder = path.join(services.storageDir, storageKeys.folderOf(image.storageKey));
    const filesBefore = readdirSync(folder).sort();
    const plain = await darkPartial(await previewBytes(deps, image, null));
    const shaded = await darkPartial(await previewBytes(deps, image, { type: 'drop', opacity: 80 }));
    expect([shaded.width, shaded.height]).toEqual([plain.width, plain.height]);
    expect(shaded.count).toBeGreaterThan(plain.count + 50);
    const car = await darkPartial(await previewBytes(deps, image, { type: 'car', opacity: 90 }));
    expect(car.count).toBeGreaterThan(plain.count + 20);
    expect(readdirSync(folder).sort()).toEqual(filesBefore);
    expect((await balance(t.db, { userId: user.id })).totalUnits).toBe(0);
  });

  it('refuses an unknown shadow or opacity with a sentence (400)', () => {
    const read = (q: string) => readShadowQuery(new URL(`http://x.test/api/images/1/preview?${q}`));
    expect(read('')).toBeNull();
    expect(read('shadow=3D&opacity=30')).toEqual({ type: '3D', opacity: 30 });
    for (const q of ['shadow=huge', 'shadow=drop&opacity=200']) {
      try {
        read(q);
        expect.unreachable(q);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).status).toBe(400);
        expect((err as AppError).message).toMatch(/\.$/);
      }
    }
  });
});

describe('HD with a shadow', () => {
  it('charges once; another shadow of a paid image downloads again free, as its own variant', async () => {
    const user = await newUser(4);
    const view = await ingestImage(deps, { userId: user.id, bytes: await makePhoto(), originalName: 'b.jpg' });
    const req = { userId: user.id, imageId: view.id, format: 'png' as const };

    const first = await downloadHd(deps, { ...req, shadow: { type: 'drop', opacity: 80 } });
    expect(first.charged).toBe(true);
    const plainHd = await downloadHd(deps, req);
    expect(plainHd.charged).toBe(false);
    expect((await darkPartial(first.body)).count).toBeGreaterThan((await darkPartial(plainHd.body)).count + 50);

    const car = await downloadHd(deps, { ...req, shadow: { type: 'car', opacity: 90 }, allowCharge: false });
    expect(car.charged).toBe(false);
    expect((await balance(t.db, { userId: user.id })).totalUnits).toBe(0);

    const image = (await getImage(t.db, view.id))!;
    const results = readdirSync(path.join(services.storageDir, storageKeys.folderOf(image.storageKey))).filter((f) =>
      f.startsWith('result-'),
    );
    expect(results.sort()).toEqual([
      'result-transparent-shadow-car-90.png',
      'result-transparent-shadow-drop-80.png',
      'result-transparent.png',
    ]);
    expect(await listImageVariants(t.db, image.id)).toHaveLength(3);
    // The same shadow again is served from storage, byte for byte.
    const again = await downloadHd(deps, { ...req, shadow: { type: 'drop', opacity: 80 }, allowCharge: false });
    expect(Buffer.compare(again.body, first.body)).toBe(0);
  });
});
