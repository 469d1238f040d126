/**
 * The improvement-images export on a real database and a real storage folder: the ZIP holds every
 * contributed image (API /improve and web uploads with consent, not the others) byte for byte,
 * a manifest names what was deleted meanwhile, and the export is in the audit log.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { withTestDb } from '@bgr/db/test/support';
import { listAudit } from '@bgr/db/queries/audit';
import { createImage } from '@bgr/db/queries/images';
import { createImprovement } from '@bgr/db/queries/improvement';
import { createUser } from '@bgr/db/queries/users';
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
