/**
 * The improvement-images export on a real database and a real storage folder: the ZIP holds every
 * contributed image (API /improve and web uploads with consent, not the others) byte for byte,
 * a manifest names what was deleted meanwhile, and the export is in the audit log. Within its
 * caps: the newest images only, and no more bytes than the size cap, with sentences (export-note.txt,
 * the manifest) saying what was left out. The route's date range (?from=&to=, whole UTC days)
 * reaches older images, the caps applying within it; a bad range is refused with a sentence (a
 * browser is sent back to the page with the dates, where the form says it).
 */
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { withTestDb } from '@bgr/db/test/support';
import { listAudit } from '@bgr/db/queries/audit';
import { createImage } from '@bgr/db/queries/images';
import { createImprovement } from '@bgr/db/queries/improvement';
import { createUser } from '@bgr/db/queries/users';
import { listImprovementImages } from '@bgr/db/queries/admin';
import { exportImprovements } from '~/app/admin/improvements/export/export';
import { handleImprovementsExport } from '~/app/admin/improvements/export/handler';
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
    // The list takes a limit and a range only: no option it would accept and then ignore (checked by tsc).
    expectTypeOf<NonNullable<Parameters<typeof listImprovementImages>[1]>>().not.toHaveProperty('ids');

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

describe('improvement images export route with a date range (pglite)', () => {
  const t = withTestDb('pglite');
  const folder = withLocalStorage('admin-export-range');

  it('exports the images of the chosen days, newest first within the caps, and refuses a bad range', async () => {
    const { storage } = folder;
    const admin = await createUser(t.db, { email: 'admin3@example.com', role: 'admin' });
    const user = await createUser(t.db, { email: 'cleo@example.com' });
    // One submission a day, 2026-10-01 … 2026-10-06 ("day-1" … "day-6"), each just before midnight UTC.
    for (let d = 1; d <= 6; d++) {
      await storage.put(`improve/day-${d}`, new Uint8Array(10).fill(d));
      await createImprovement(t.db, {
        userId: user.id,
        source: 'api',
        storageKey: `improve/day-${d}`,
        filename: `day-${d}.png`,
        now: new Date(`2026-10-0${d}T23:59:59Z`),
      });
    }
    const get = (query: string, as: { id: string; role: string } | null = admin, accept?: string) =>
      handleImprovementsExport(
        new Request(`http://x/admin/improvements/export${query}`, accept ? { headers: { accept } } : {}),
        {
          db: t.db,
          storage,
          currentUser: async () => as,
          maxFiles: 2,
        },
      );
    // What a browser sends when it follows the page's Download button.
    const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const exported = async (res: Response) => {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
      return Object.keys(files)
        .filter((n) => n.startsWith('api-improve/'))
        .map((n) => n.replace(/^.*-(day-\d)\.png$/, '$1'))
        .sort();
    };

    // Without a range the count cap keeps the newest two.
    const newest = await get('');
    expect(newest.headers.get('x-export-note')).toBe(
      'There are 6 improvement images; this export holds the newest 2, so the 4 older ones are not in it.',
    );
    expect(await exported(newest)).toEqual(['day-5', 'day-6']);

    // A range that leaves the newest out exports the older ones.
    const older = await get('?from=2026-10-01&to=2026-10-02');
    expect(older.headers.get('x-export-note')).toBeNull();
    expect(older.headers.get('content-disposition')).toBe(
      'attachment; filename="improvement-images-2026-10-01-to-2026-10-02.zip"',
    );
    expect(await exported(older)).toEqual(['day-1', 'day-2']);

    // Within a range the caps still apply: the newest two of its three days, said in the note.
    const capped = await get('?from=2026-10-02&to=2026-10-04');
    expect(capped.headers.get('x-export-note')).toBe(
      'There are 3 improvement images from 2026-10-02 to 2026-10-04 (UTC); this export holds the newest 2, so the 1 older one is not in it.',
    );
    expect(await exported(capped)).toEqual(['day-3', 'day-4']);
    expect(await exported(await get('?to=2026-10-01'))).toEqual(['day-1']);
    expect(await exported(await get('?from=2026-10-06&to='))).toEqual(['day-6']);
    const audited = await listAudit(t.db, { action: 'improvements.export', actorId: admin.id });
    expect(audited.map((e) => e.details)).toContainEqual({ count: 2, total: 3, from: '2026-10-02', to: '2026-10-04' });

    // A bad range is refused with a sentence before anything is read or recorded.
    const before = audited.length;
    const refused = async (query: string) => {
      const res = await get(query);
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: string }).error;
    };
    expect(await refused('?from=2026-10-04&to=2026-10-02')).toBe(
      'The start date (2026-10-04) is after the end date (2026-10-02); choose a start on or before the end.',
    );
    expect(await refused('?from=2026-10-32')).toBe(
      'The start date "2026-10-32" is not a date; write it as YYYY-MM-DD, such as 2026-11-01.',
    );
    expect(await refused('?to=yesterday')).toBe(
      'The end date "yesterday" is not a date; write it as YYYY-MM-DD, such as 2026-11-30.',
    );
    // A script asking for JSON gets the same 400; a browser is sent back to the page with the
    // dates as given (the page's form then says the sentence), not to a bare JSON page.
    expect((await get('?from=2026-10-04&to=2026-10-02', admin, 'application/json')).status).toBe(400);
    const back = await get('?from=2026-10-04&to=2026-10-02&x=1', admin, BROWSER);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/admin/improvements?from=2026-10-04&to=2026-10-02');
    expect((await get('?to=yesterday&from=', admin, BROWSER)).headers.get('location')).toBe(
      '/admin/improvements?to=yesterday',
    );
    expect(await listAudit(t.db, { action: 'improvements.export', actorId: admin.id })).toHaveLength(before);
    // A good range is the ZIP, for a browser too.
    expect(await exported(await get('?from=2026-10-01&to=2026-10-01', admin, BROWSER))).toEqual(['day-1']);
    // Only administrators, whatever the range.
    expect((await get('?from=2026-10-04&to=2026-10-02', null)).status).toBe(401);
    expect((await get('?from=2026-10-01', { id: user.id, role: 'user' })).status).toBe(403);
  });
});
