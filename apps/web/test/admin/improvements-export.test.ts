/**
 * The improvement-images export on a real database and a real storage folder: the ZIP holds every
 * contributed image (API /improve and web uploads with consent, not the others) byte for byte,
 * a manifest names what was deleted meanwhile, and the export is in the audit log. Within its
 * caps: the newest images only, and no more bytes than the size cap, with sentences (export-note.txt,
 * the manifest) saying what was left out.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { withTestDb } from '@bgr/db/test/support';
import { listAudit } from '@bgr/db/queries/audit';
import { createImage } from '@bgr/db/queries/images';
import { createImprovement } from '@bgr/db/queries/improvement';
import { createUser } from '@bgr/db/queries/users';
import { listImprovementImages } from '@bgr/db/queries/admin';
import { exportImprovements } from '~/app/admin/improvements/export/export';
import { withLocalStorage } from '../support/local-storage';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('improvement images export (pglite)', () => {
  const t = withTestDb('pglite');
  const folder = withLocalStorage('admin-export');

  it('zips consented and submitted images with a manifest, and records the export', async () => {
    const { storage } = folder;
    const admin = await createUser(t.db, { email: 'admin@example.com', role: 'admin' });
    const user = await createUser(t.db, { email: 'ann@example.com' });
    const apiBytes = new Uint8Array([1, 2, 3, 4, 5]);
    const webBytes = new Uint8Array(70_000).map((_, i) => i % 251);
    await storage.put('improve/one', apiBytes);
    await storage.put('images/u/consented/original', webBytes);
    await createImprovement(t.db, {
      userId: user.id,
      source: 'api',
      storageKey: 'improve/one',
      filename: 'hair "detail".jpg',
      tag: 'hair',
    });
    await createImprovement(t.db, { userId: user.id, source: 'api', storageKey: 'improve/gone', filename: 'gone.png' });
    const base = { userId: user.id, contentHash: 'h', width: 10, height: 10, bytes: 10, source: 'web' as const };
    await createImage(t.db, {
      ...base,
      originalName: 'yes.png',
      storageKey: 'images/u/consented/original',
      consentImprove: true,
    });
    await createImage(t.db, {
      ...base,
      originalName: 'private.png',
      storageKey: 'images/u/private/original',
      consentImprove: false,
    });

    const { count, body } = await exportImprovements({ db: t.db, storage, actorId: admin.id });
    expect(count).toBe(3);
    const files = unzipSync(await readAll(body));
    const names = Object.keys(files).sort();
    expect(names).toHaveLength(3); // two images + manifest; the deleted one is only in the manifest
    const apiName = names.find((n) => n.startsWith('api-improve/') && n.endsWith('hair_detail_.jpg'))!;
    const webName = names.find((n) => n.startsWith('web-consent/') && n.endsWith('yes.png'))!;
    expect(files[apiName]).toEqual(apiBytes);
    expect(files[webName]).toEqual(webBytes);
    expect(names.some((n) => n.includes('private'))).toBe(false);

    const manifest = strFromU8(files['manifest.csv']!).trim().split('\n');
    expect(manifest[0]).toBe('file,origin,user,original_name,tag,created_at,included');
    expect(manifest).toHaveLength(4);
    expect(manifest.find((l) => l.includes('gone.png'))).toMatch(/no \(file deleted\)$/);
    expect(manifest.find((l) => l.startsWith(apiName))).toContain('"hair ""detail"".jpg",hair,');

    const [entry] = await listAudit(t.db, { action: 'improvements.export' });
    expect(entry).toMatchObject({ actorId: admin.id, details: { count: 3 } });
  });
});

describe('improvement images export within its caps (pglite)', () => {
  const t = withTestDb('pglite');
  const folder = withLocalStorage('admin-export-caps');

  it('holds the newest images within the count and size caps, and says in a sentence what it left out', async () => {
    const { storage } = folder;
    const admin = await createUser(t.db, { email: 'admin2@example.com', role: 'admin' });
    const user = await createUser(t.db, { email: 'bob@example.com' });
    // Six submissions of 100 bytes, one a minute, newest last ("img-5").
    const start = Date.parse('2026-11-01T10:00:00Z');
    for (let i = 0; i < 6; i++) {
      await storage.put(`improve/cap-${i}`, new Uint8Array(100).fill(i));
      await createImprovement(t.db, {
        userId: user.id,
        source: 'api',
        storageKey: `improve/cap-${i}`,
        filename: `img-${i}.png`,
        now: new Date(start + i * 60_000),
      });
    }
    expect(await listImprovementImages(t.db, { limit: 100 })).toHaveLength(6);

    // At most 4 images and 250 bytes: the newest two fit, the next two are left out by size.
    const {
      count,
      total: reported,
      countNote,
      body,
    } = await exportImprovements({
      db: t.db,
      storage,
      actorId: admin.id,
      maxFiles: 4,
      maxBytes: 250,
    });
    expect({ count, total: reported }).toEqual({ count: 4, total: 6 });
    expect(countNote).toBe(
      'There are 6 improvement images; this export holds the newest 4, so the 2 older ones are not in it.',
    );
    const files = unzipSync(await readAll(body));
    const images = Object.keys(files).filter((n) => n.startsWith('api-improve/'));
    expect(images.map((n) => n.replace(/^.*-/, '')).sort()).toEqual(['4.png', '5.png']);
    expect(files[images.find((n) => n.endsWith('img-5.png'))!]).toEqual(new Uint8Array(100).fill(5));
    expect(strFromU8(files['export-note.txt']!)).toBe(
      'There are 6 improvement images; this export holds the newest 4, so the 2 older ones are not in it.\n' +
        'This export stopped at its 250 bytes size cap: the 2 older images marked "no (over the size cap)" in manifest.csv are not in it.\n',
    );
    const manifest = strFromU8(files['manifest.csv']!).trim().split('\n').slice(1);
    expect(manifest.map((l) => [l.split(',')[3], l.split(',').at(-1)])).toEqual([
      ['img-5.png', 'yes'],
      ['img-4.png', 'yes'],
      ['img-3.png', 'no (over the size cap)'],
      ['img-2.png', 'no (over the size cap)'],
    ]);
    const [entry] = await listAudit(t.db, { action: 'improvements.export', actorId: admin.id });
    expect(entry).toMatchObject({ details: { count: 4, total: 6 } });

    // Within both caps nothing is left out and there is no note.
    const all = await exportImprovements({ db: t.db, storage, actorId: admin.id, maxFiles: 6, maxBytes: 10_000_000 });
    expect(all.countNote).toBeNull();
    const whole = unzipSync(await readAll(all.body));
    expect(whole['export-note.txt']).toBeUndefined();
    expect(Object.keys(whole).filter((n) => n.includes('img-'))).toHaveLength(6);
  });
});
