/**
 * GET /admin/improvements/export — every image people allowed us to use for quality improvement,
 * as one ZIP with a manifest. Admins only, checked here on the server (not by the page).
 */
import { getDb } from '@bgr/db/client';
import { listImprovementImages } from '@bgr/db/queries/admin';
import { writeAudit } from '@bgr/db/queries/audit';
import { currentUser } from '~/server/session-user';
import { getStorage } from '~/server/storage';
import { improvementEntryName, improvementsManifest } from './manifest';
import { zipStream } from './zip-stream';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const MAX_FILES = 5000;

export async function GET() {
  const user = await currentUser();
  if (!user) return Response.json({ error: 'Please sign in to continue.' }, { status: 401 });
  if (user.role !== 'admin') return Response.json({ error: 'Only administrators can export improvement images.' }, { status: 403 });

  const db = await getDb();
  const items = await listImprovementImages(db, { limit: MAX_FILES });
  await writeAudit(db, { actorId: user.id, action: 'improvements.export', details: { count: items.length } });

  const storage = getStorage();
  const named = items.map((item, i) => ({ item, name: improvementEntryName(item, i) }));
  const body = zipStream(
    named.map(({ item, name }) => ({ name, read: () => storage.get(item.storageKey) })),
    (missing) => improvementsManifest(named, missing),
  );
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="improvement-images-${stamp}.zip"`,
      'cache-control': 'no-store',
    },
  });
}
