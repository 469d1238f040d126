/**
 * GET /admin/improvements/export — the images people allowed us to use for quality improvement,
 * newest first within the export's caps (caps.ts), optionally only those of a date range
 * (?from=&to=), as one ZIP with a manifest. Admins only, checked on the server (handler.ts).
 */
import { getDb } from '@bgr/db/client';
import { currentUser } from '~/server/session-user';
import { getStorage } from '~/server/storage';
import { handleImprovementsExport } from './handler';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request) {
  return handleImprovementsExport(req, { db: await getDb(), storage: getStorage(), currentUser });
}
