// POST /api/batches/download — "Download all in HD": one streamed ZIP; behaviour (checks, charging,
// the ZIP) lives in src/server/batch/.
import { getDb } from '@bgr/db/client';
import { handleBatchDownload } from '~/server/batch/http';
import { getInference } from '~/server/inference';
import { currentUser } from '~/server/session-user';
import { getStorage } from '~/server/storage/index';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(req: Request) {
  return handleBatchDownload(req, { db: await getDb(), storage: getStorage(), inference: getInference(), currentUser });
}
