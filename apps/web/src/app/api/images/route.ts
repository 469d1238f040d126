// POST /api/images — upload or fetch an image; behaviour (the 23 MB body cap included) lives in
// src/server/images/upload.ts.
import { getDb } from '@bgr/db/client';
import { handleUpload } from '~/server/images/upload';
import { getInference } from '~/server/inference';
import { currentUser } from '~/server/session-user';
import { getStorage } from '~/server/storage/index';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(req: Request) {
  return handleUpload(req, { db: await getDb(), storage: getStorage(), inference: getInference(), currentUser });
}
