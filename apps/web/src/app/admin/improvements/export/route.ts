/**
 * GET /admin/improvements/export — the images people allowed us to use for quality improvement,
 * newest first within the export's caps (caps.ts), as one ZIP with a manifest. Admins only,
 * checked here on the server (not by the page).
 */
import { getDb } from '@bgr/db/client';
import { currentUser } from '~/server/session-user';
import { getStorage } from '~/server/storage';
import { exportImprovements } from './export';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET() {
  const user = await currentUser();
  if (!user) return Response.json({ error: 'Please sign in to continue.' }, { status: 401 });
  if (user.role !== 'admin')
    return Response.json({ error: 'Only administrators can export improvement images.' }, { status: 403 });

  const { body, countNote } = await exportImprovements({ db: await getDb(), storage: getStorage(), actorId: user.id });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="improvement-images-${stamp}.zip"`,
      'cache-control': 'no-store',
      // The count cap is known before the first byte (the size cap only at the end: export-note.txt).
      ...(countNote ? { 'x-export-note': countNote } : {}),
    },
  });
}
